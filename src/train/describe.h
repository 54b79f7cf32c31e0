// What a training run inferred from its inputs, for the block `nnfit train` and `nnfit
// gridsearch` print before training: the target and how it was chosen, the task and why, the
// column types and dropped columns, the input width and the rows of each part; plus warnings
// for a target that probably has the wrong task. Built in two steps because prepare_data
// consumes the training file: describe_inputs on the files as read, describe_prepared on the
// prepared data. The library only builds the text (summary_text); the CLI prints it.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "core/types.h"
#include "data/target.h"
#include "train/pipeline.h"

namespace nnfit::train {

// One feature column of the training file (all rows, before the split).
struct ColumnSummary {
  std::string name;
  bool categorical = false;
  std::size_t categories = 0;  // categorical: distinct values in the file
  // Numeric, with column statistics only: over the non-missing cells (NaN if there are none).
  double min = std::numeric_limits<double>::quiet_NaN();
  double mean = std::numeric_limits<double>::quiet_NaN();
  double max = std::numeric_limits<double>::quiet_NaN();
  Index missing = 0;  // missing cells (with column statistics only)
};

struct InputSummary {
  std::string target;         // the target column's name
  std::string target_choice;  // "named", "column 3" (by index) or "last column" (defaulted)
  bool target_defaulted = false;
  data::Task requested = data::Task::kAuto;  // --task
  data::Task task = data::Task::kAuto;       // as fitted (describe_prepared)
  std::size_t classes = 0;                   // classification
  Index rows = 0;                            // rows of the training file
  bool target_numeric = false;               // every target value is a number
  bool target_integer = false;               // ... and an integer
  // Integer targets: distinct values, counted up to rows / 10 + 1 (a larger count stops there).
  std::size_t target_distinct = 0;
  std::vector<ColumnSummary> columns;  // the features, in file order
  bool column_stats = false;           // min/mean/max/missing were computed
  // Columns not used, with the reason: "--ignore", or "over --max-categories 100".
  std::vector<std::pair<std::string, std::string>> dropped;
  Index input_width = 0, train_rows = 0, val_rows = 0;  // describe_prepared
  int folds = 0;                                        // cross-validation folds; 0 = none
  std::string validation;  // "--val-split 0.2", "--val-data FILE" or "--val-split 0"
};

// The files as read_inputs returned them (before prepare_data takes in.train). column_stats:
// also per-column min, mean, max and missing counts (one pass over the features).
InputSummary describe_inputs(const InputData& in, bool column_stats = false);
// Adds the task, classes, input width and rows of p (with folds > 0, p is the first fold's
// data and the rows are the whole file's).
void describe_prepared(InputSummary& s, const PreparedData& p, int folds = 0);

// The block as lines without a level prefix: info (3 lines), warnings (a classification
// target with more than 20 classes and more than one class per 5 rows; an integer target with
// more than 20 distinct values, at most one per 10 rows, taken as regression by --task auto),
// and debug (one line per column; with column statistics only).
struct SummaryText {
  std::vector<std::string> info, warnings, debug;
};
SummaryText summary_text(const InputSummary& s);

}  // namespace nnfit::train
