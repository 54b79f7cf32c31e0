#include "train_flags.h"

#include <spdlog/spdlog.h>

#include <cstdint>
#include <limits>

#include "cli_errors.h"
#include "core/error.h"
#include "param_flags.h"

namespace nnfit::cli {
namespace {

// Below this, an SGD step changes no float32 weight of a normal size: the run learns nothing.
constexpr double kTinyLr = 1e-12;

}  // namespace

void add_train_flags(CLI::App& cmd, TrainFlags& f) {
  add_config_option(cmd, f.config_path);
  add_common_options(cmd, f.common);
  cmd.add_option("--data", f.data.data, "Training CSV with a header row ('-' = stdin); required");
  add_csv_options(cmd, f.csv, "(give --target by index)");
  cmd.add_option("--decimal", f.csv.decimal,
                 "Decimal mark of the numbers: '.' or ',' (5,1 with --delimiter ';'); "
                 "remembered by the model for predict and evaluate")
      ->capture_default_str();
  cmd.add_option("--target", f.data.target, "Target column: name or 0-based index (default: last)");
  f.ignore_option = cmd.add_option("--ignore", f.ignore,
                 "Columns to drop, comma-separated (ids, dates, free text); remembered by the "
                 "model");
  cmd.add_option("--weight-column", f.weight_column,
                 "Column of per-row sample weights (numbers >= 0, not all 0): not a feature; the "
                 "loss is the weighted mean. Remembered by the model: evaluate weighs its "
                 "metrics by it, predict skips it");
  cmd.add_option("--categorical", f.categorical,
                 "Columns to read as categories even if their values are numbers (codes), "
                 "comma-separated; text columns are categorical anyway. One-hot encoded");
  cmd.add_option("--max-categories", f.data.max_categories,
                 "Drop (with a warning) a categorical column with more categories than this, "
                 "e.g. an id or free text; 0 = no limit")
      ->transform(whole_number(std::numeric_limits<std::size_t>::max()))
      ->capture_default_str();
  cmd.add_option("--impute", f.data.impute,
                 "Missing feature cells: none (an error naming the cell) | mean | median | mode. "
                 "Categorical columns take their most frequent category. Fitted on the training "
                 "rows, stored in the model, applied by predict")
      ->check(CLI::IsMember({"none", "mean", "median", "mode"}))->capture_default_str();
  cmd.add_option("--val-data", f.data.val_data, "Separate validation CSV (not with --val-split)");
  f.val_split_option =
      cmd.add_option(
             "--val-split", f.data.val_split,
             "Fraction held out for validation and early stopping, shuffled and stratified; "
             "0 = none")
          ->capture_default_str();
  cmd.add_option("--task", f.data.task, "auto | classification | regression")
      ->check(CLI::IsMember({"auto", "classification", "regression"}))->capture_default_str();
  add_param_flags(cmd, f.opt);
  cmd.add_option("--threads", f.threads,
                 "Threads sharing each large mini-batch (>= 128 columns a thread) and L-BFGS's "
                 "full passes; the same N gives the same model bytes")
      ->capture_default_str();
  cmd.add_option("--model", f.model_path, "Output model file (written atomically)")
      ->capture_default_str();
  cmd.add_flag("--no-progress", f.no_progress,
               "No per-epoch progress lines (gridsearch: no per-trial lines); the summary at "
               "the end is still logged");
  cmd.add_flag("--print-config", f.print_config,
               "Print the effective configuration (defaults, then --config, then flags) as TOML "
               "on stdout and exit without running; --config reads it back");
}

void check_train_values(TrainFlags& f) {
  train::validate(f.opt);
  if (f.opt.lr < kTinyLr) {
    spdlog::warn(
        "--lr {:g} is so small that the weights will hardly change: nothing will be "
        "learned (typical rates are 1e-4 to 1)",
        f.opt.lr);
  }
  if (f.threads < 1) {
    throw ConfigError("invalid --threads " + std::to_string(f.threads) + ": must be >= 1");
  }
}

void check_command_line(TrainFlags& f) {
  f.val_split_flag = f.val_split_option != nullptr && f.val_split_option->count() > 0;
  // Before the config file is applied: --print-config writes ignore = "" for no columns.
  if (f.ignore_option != nullptr && f.ignore_option->count() > 0 && f.ignore.empty()) {
    throw ConfigError("--ignore '' names no column; to drop a column without a name (a "
                      "delimiter at the end of every line), remove it from the file or give it a "
                      "name in the header, then --ignore NAME");
  }
}

void resolve_train_flags(TrainFlags& f) {
  setup_logging(f.common);
  if (f.data.data.empty()) {
    throw ConfigError("no training data: give --data FILE (or data = \"FILE\" in --config)");
  }
  if (f.data.data == "-" && f.data.val_data == "-") {
    throw ConfigError("--data - and --val-data - both read stdin, which can be read only once; "
                      "save one of them to a file");
  }
  if (f.val_split_flag && !f.data.val_data.empty()) {
    throw ConfigError(
        "--val-split and --val-data are both given: the validation rows come from "
        "--val-data, so --val-split would be ignored; give one of them");
  }
  f.data.csv = csv_options(f.csv);
  f.data.csv.ignore = split_list(f.ignore);
  f.data.csv.categorical = split_list(f.categorical);
  f.data.csv.weight_column = f.weight_column;
  check_train_values(f);
}

bool configure_or_print(CLI::App& cmd, TrainFlags& f) {
  check_command_line(f);
  apply_config_file(cmd, f.config_path);
  if (!f.print_config) return false;
  check_train_values(f);
  write_output("-", effective_config(cmd));
  return true;
}

std::vector<PathFlag> input_paths(const TrainFlags& f) {
  return {{"--data", f.data.data}, {"--val-data", f.data.val_data}, {"--config", f.config_path}};
}

}  // namespace nnfit::cli
