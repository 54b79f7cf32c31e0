// Reading a labelled CSV against a saved model, once and in chunks (bounded memory for the
// features): each chunk's features go to a callback, the target cells and the model's weight
// column (when the file has it) are collected. Shared by `nnfit evaluate` and `nnfit importance`.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/types.h"
#include "data/csv.h"
#include "data/dataset.h"
#include "model/model.h"

namespace nnfit::eval {

// The rows' targets and weights, in file order.
struct Labels {
  data::Dataset target;         // source, target_name, decimal, target cells and lines only
  std::vector<double> weights;  // one per row when the model's weight column is in the file
};

// Reads path ("-" = stdin) with csv (the model's reader options: its columns, categories and
// missing-value tokens; keep_reason says why the target column is wanted, for the error when
// the file lacks it), chunk_rows rows at a time, and calls on_chunk with each chunk's
// features as read (see data::FeatureStream). DataError naming file and line for a missing
// target cell, a weight cell as training reports it, every weight 0 (naming what to do), and
// the reader's errors.
Labels read_labelled(const model::Model& m, const std::string& path, const data::CsvOptions& csv,
                     std::size_t chunk_rows, const std::function<void(data::Dataset&&)>& on_chunk);

// The columns of parts side by side (all with the same rows). REQUIRES: parts not empty.
Matrix concat_columns(const std::vector<Matrix>& parts);

}  // namespace nnfit::eval
