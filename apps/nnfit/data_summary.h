// The block `nnfit train` and `nnfit gridsearch` log before training: what was read and
// inferred (train::describe_inputs), on stderr at info level, its warnings at warn level and,
// with --log-level debug, one line per column.
#pragma once

#include "train/describe.h"
#include "train/pipeline.h"

namespace nnfit::cli {

// The summary of `in` before prepare_data consumes it (column statistics only when the debug
// level is on).
train::InputSummary describe_read(const train::InputData& in);
// Completes s with the prepared data p (the first fold's with folds > 0) and logs the block.
void log_inputs(train::InputSummary s, const train::PreparedData& p, int folds = 0);

}  // namespace nnfit::cli
