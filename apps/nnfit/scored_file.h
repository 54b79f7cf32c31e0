// A labelled CSV scored by a model, for `nnfit evaluate` and `nnfit report --data`: the
// model's outputs on every row (read in chunks), the encoded target and the rows' weights.
#pragma once

#include <string>
#include <vector>

#include "cli.h"
#include "data/dataset.h"

namespace nnfit::cli {

struct ScoredFile {
  Matrix outputs;  // model::predict_outputs of every row
  Matrix truth;    // data::encode_target of the target cells: class index or value, (1, N)
  // With a model weight column that the file has, each row's weight (checked as in training);
  // else empty.
  std::vector<double> weights;
  data::Dataset labels;  // the target cells, lines and source (no features)
};

// Reads path ("-" = stdin) with the model's columns and its target column, in chunks
// (eval::read_labelled: DataError naming file and line for a missing target cell, a bad weight
// cell or every weight 0; otherwise as data::FeatureStream and model::predict_outputs).
// command names the command in the error for a file without the target column.
ScoredFile score_file(const model::Model& m, const std::string& path, const CsvFlags& flags,
                      const std::string& command = "evaluate");

}  // namespace nnfit::cli
