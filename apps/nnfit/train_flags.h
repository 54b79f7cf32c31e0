// The flags `nnfit train` and `nnfit gridsearch` share: data, reading, preprocessing and every
// hyper-parameter, the model path, config file and logging.
#pragma once

#include <string>

#include "cli.h"
#include "output_paths.h"
#include "train/pipeline.h"

namespace nnfit::cli {

struct TrainFlags {
  CommonOptions common;
  train::DataOptions data;
  train::TrainOptions opt;
  int threads = 1;
  std::string model_path = "model.nnfit";
  std::string config_path;
  CsvFlags csv;
  std::string ignore;
  CLI::Option* ignore_option = nullptr;  // set by add_train_flags: was --ignore given?
  CLI::Option* val_split_option = nullptr;
  bool val_split_flag = false;  // --val-split was on the command line (set by check_command_line)
  std::string categorical;
  std::string weight_column;  // --weight-column: data::CsvOptions::weight_column
  bool print_config = false;
  bool no_progress = false;  // --no-progress: no per-epoch (train) or per-trial (gridsearch) lines
};

// Registers the shared flags (--config, --print-config, --quiet, --log-level, --data, reading
// and preprocessing flags, hyper-parameters, --seed, --threads, --model) on cmd.
void add_train_flags(CLI::App& cmd, TrainFlags& f);

// Parses and checks the hyper-parameters and --threads (ConfigError naming the option); for
// --print-config, which must not print a configuration that cannot run.
void check_train_values(TrainFlags& f);

// Right after parsing, before the config file: rejects command-line values that say nothing
// (--ignore '') and notes whether --val-split was given. Throws ConfigError.
void check_command_line(TrainFlags& f);

// The start of a train-like command's callback: check_command_line, the --config file, and
// --print-config (checked, printed). True when that was all (--print-config): return at once.
bool configure_or_print(CLI::App& cmd, TrainFlags& f);

// The files a train or gridsearch run reads: --data, --val-data and --config.
std::vector<PathFlag> input_paths(const TrainFlags& f);

// After parsing: sets up logging, checks --data, --threads and --val-split with --val-data
// (an error when both are on the command line, or --val-split is and the config gives
// --val-data; a config may hold both, as --print-config writes them), and fills f.data.csv and the
// list-valued hyper-parameters. Throws ConfigError.
void resolve_train_flags(TrainFlags& f);

}  // namespace nnfit::cli
