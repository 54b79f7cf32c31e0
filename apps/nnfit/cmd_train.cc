// `nnfit train`: flags and config file bound to train::DataOptions / TrainOptions, progress
// logged per epoch, model, history and JSON summary written at the end.
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <Eigen/Core>
#include <cmath>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli.h"
#include "interrupt.h"
#include "progress.h"
#include "core/error.h"
#include "io/model_io.h"
#include "train/pipeline.h"

namespace nnfit::cli {
namespace {

struct TrainCommand {
  CommonOptions common;
  train::DataOptions data;
  train::TrainOptions opt;
  std::string hidden = "64";
  std::string activation = "relu";
  int threads = 1;
  std::string model_path = "model.nnfit";
  std::string history_path;
  bool json = false;
  std::string config_path;
  CsvFlags csv;
  std::string ignore;
  std::string categorical;
  bool print_config = false;
};

std::string metric_name(bool classification) { return classification ? "val_acc" : "val_rmse"; }

std::string history_csv(const train::FitResult& fit, bool classification) {
  std::ostringstream os;
  os.precision(9);
  os << "epoch,train_loss,val_loss," << metric_name(classification) << ",lr,seconds\n";
  for (const auto& r : fit.history) {
    os << r.epoch << ',' << r.train_loss << ',';
    if (!std::isnan(r.val_loss)) os << r.val_loss;
    os << ',';
    if (!std::isnan(r.val_metric)) os << r.val_metric;
    os << ',' << r.lr << ',' << r.seconds << '\n';
  }
  return os.str();
}

void log_summary(const train::TrainRun& run, const std::string& model_path) {
  const auto& m = run.model.metrics;
  const bool classification = run.model.target.task == data::Task::kClassification;
  spdlog::info("best epoch {} of {}{}", run.fit.best_epoch, run.fit.epochs_run,
               run.fit.stopped_early ? " (stopped early)" : "");
  const auto& val = m.at("validation");
  if (val.at("rows").get<Index>() > 0) {
    if (classification) {
      spdlog::info("held-out accuracy {:.4f} on {} validation rows (loss {:.5f})",
                   val.at("accuracy").get<double>(), run.n_val, val.at("loss").get<double>());
    } else {
      spdlog::info("held-out RMSE {:.5g}, R^2 {:.4f} on {} validation rows",
                   val.at("rmse").get<double>(), val.at("r2").get<double>(), run.n_val);
    }
  }
  spdlog::info("trained on {} rows in {:.3f}s ({:.0f} samples/s); model saved to {}", run.n_train,
               run.fit.train_seconds, run.fit.samples_per_second, model_path);
}

nlohmann::json summary_json(const train::TrainRun& run, const TrainCommand& c) {
  nlohmann::json j = run.model.metrics;
  j["model"] = c.model_path;
  j["task"] = data::task_name(run.model.target.task);
  j["load_seconds"] = run.load_seconds;
  j["train_seconds"] = run.fit.train_seconds;
  j["samples_per_second"] = run.fit.samples_per_second;
  j["threads"] = Eigen::nbThreads();
  j["seed"] = c.opt.seed;
  if (!c.history_path.empty()) j["history"] = c.history_path;
  return j;
}

void run_train(TrainCommand& c) {
  setup_logging(c.common);
  if (c.data.data.empty()) throw ConfigError("no training data: give --data FILE (or data = \"FILE\" in --config)");
  c.data.csv = csv_options(c.csv);
  c.data.csv.ignore = split_list(c.ignore);
  c.data.csv.categorical = split_list(c.categorical);
  c.opt.hidden = train::parse_hidden(c.hidden);
  c.opt.activation = split_list(c.activation);
  if (c.threads < 1) throw ConfigError("invalid --threads " + std::to_string(c.threads) + ": must be >= 1");
  Eigen::setNbThreads(c.threads);
  const InterruptGuard interrupt;
  train::TrainRun run;
  {
    Progress progress(c.opt.epochs, spdlog::should_log(spdlog::level::info),
                      isatty(STDERR_FILENO) == 1);
    run = train::train_csv(c.data, c.opt, std::ref(progress), interrupt.flag());
  }
  io::save_model(run.model, c.model_path);
  if (!c.history_path.empty()) {
    write_output(c.history_path,
                 history_csv(run.fit, run.model.target.task == data::Task::kClassification));
  }
  log_summary(run, c.model_path);
  if (c.json) write_output("-", summary_json(run, c).dump(2) + "\n");
  if (run.fit.interrupted) {
    throw Interrupted("interrupted in epoch " + std::to_string(run.fit.epochs_run) +
                      ": saved the best model so far (epoch " +
                      std::to_string(run.fit.best_epoch) + ") to " + c.model_path);
  }
}

}  // namespace

void setup_train(CLI::App& app) {
  auto c = std::make_shared<TrainCommand>();
  CLI::App* cmd = app.add_subcommand("train", "Train a network on a CSV file and save the model");
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // last flag wins
  cmd->footer(help_footer(
      {"nnfit train --data data/iris.csv --target species --model iris.nnfit",
       "nnfit train --data data/penguins.csv --target Species --impute median --na-values . \\\n"
       "      --hidden 32,16 --lr 0.05 --epochs 500 --model penguins.nnfit --json",
       "nnfit train --config configs/train.toml --lr 0.05 --print-config > run.toml"}));
  add_config_option(*cmd, c->config_path);
  add_common_options(*cmd, c->common);
  cmd->add_option("--data", c->data.data, "Training CSV with a header row ('-' = stdin); required");
  add_csv_options(*cmd, c->csv);
  cmd->add_option("--target", c->data.target, "Target column: name or 0-based index (default: last)");
  cmd->add_option("--ignore", c->ignore,
                  "Columns to drop, comma-separated (ids, dates, free text); remembered by the "
                  "model");
  cmd->add_option("--categorical", c->categorical,
                  "Columns to read as categories even if their values are numbers (codes), "
                  "comma-separated; text columns are categorical anyway. One-hot encoded");
  cmd->add_option("--max-categories", c->data.max_categories,
                  "Drop (with a warning) a categorical column with more categories than this, "
                  "e.g. an id or free text; 0 = no limit")->capture_default_str();
  cmd->add_option("--impute", c->data.impute,
                  "Missing feature cells: none (an error naming the cell) | mean | median | mode. "
                  "Categorical columns take their most frequent category. Fitted on the training "
                  "rows, stored in the model, applied by predict")
      ->check(CLI::IsMember({"none", "mean", "median", "mode"}))->capture_default_str();
  cmd->add_option("--val-data", c->data.val_data, "Separate validation CSV (overrides --val-split)");
  cmd->add_option("--val-split", c->data.val_split,
                  "Fraction held out for validation and early stopping, shuffled and stratified; "
                  "0 = none")->capture_default_str();
  cmd->add_option("--task", c->data.task, "auto | classification | regression")
      ->check(CLI::IsMember({"auto", "classification", "regression"}))->capture_default_str();
  cmd->add_option("--hidden", c->hidden, "Hidden layer sizes, e.g. 256,128; 0 = none")
      ->capture_default_str();
  cmd->add_option("--activation", c->activation,
                  "relu | tanh | sigmoid | identity: one, or one per hidden layer (relu,tanh)")
      ->capture_default_str();
  cmd->add_option("--optimizer", c->opt.optimizer, "Optimiser: sgd")
      ->check(CLI::IsMember({"sgd"}))->capture_default_str();
  cmd->add_option("--lr", c->opt.lr, "Learning rate (> 0)")->capture_default_str();
  cmd->add_option("--momentum", c->opt.momentum, "Momentum in [0, 1)")->capture_default_str();
  cmd->add_option("--batch-size", c->opt.batch_size, "Examples per step; 1 = per-example SGD")
      ->capture_default_str();
  cmd->add_option("--epochs", c->opt.epochs, "Maximum number of epochs")->capture_default_str();
  cmd->add_option("--l1", c->opt.l1, "L1 penalty on weights (not biases)")->capture_default_str();
  cmd->add_option("--l2", c->opt.l2, "L2 penalty on weights (not biases)")->capture_default_str();
  cmd->add_option("--patience", c->opt.patience,
                  "Stop after this many epochs without validation-loss improvement")
      ->capture_default_str();
  cmd->add_option("--min-delta", c->opt.min_delta, "Smallest validation-loss decrease that counts")
      ->capture_default_str();
  cmd->add_option("--seed", c->opt.seed, "Random seed (split, initialisation, shuffling)")
      ->capture_default_str();
  cmd->add_option("--threads", c->threads, "Threads for matrix products")->capture_default_str();
  cmd->add_option("--model", c->model_path, "Output model file (written atomically)")
      ->capture_default_str();
  cmd->add_option("--history", c->history_path, "Write the per-epoch learning curve as CSV");
  cmd->add_flag("--json", c->json, "Print a JSON summary on stdout");
  cmd->add_flag("--print-config", c->print_config,
                "Print the effective configuration (defaults, then --config, then flags) as TOML "
                "on stdout and exit without training; --config reads it back");
  cmd->callback([c, cmd] {
    apply_config_file(*cmd, c->config_path);
    if (c->print_config) {
      write_output("-", effective_config(*cmd));
      return;
    }
    run_train(*c);
  });
}

}  // namespace nnfit::cli
