// Flags for every row of the hyper-parameter table (train/params.h), bound to a TrainOptions.
#pragma once

#include <CLI/CLI.hpp>

#include "train/config.h"

namespace nnfit::cli {

// Adds --NAME for each row, in the table's order, with the row's doc and its current value in
// opt as the default (which --print-config writes). Booleans are flags (--nesterov); the rest
// take one value, parsed by train::set_text into opt when the command line or a config file
// gives it, so a bad value is reported at its config file's line and column.
void add_param_flags(CLI::App& cmd, train::TrainOptions& opt);

}  // namespace nnfit::cli
