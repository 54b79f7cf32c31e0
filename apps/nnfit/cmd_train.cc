// `nnfit train`: flags and config file bound to train::DataOptions / TrainOptions, progress
// logged per epoch, model, history and JSON summary written at the end.
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <Eigen/Core>
#include <atomic>
#include <cmath>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli.h"
#include "data_summary.h"
#include "interrupt.h"
#include "output_paths.h"
#include "progress.h"
#include "train_flags.h"
#include "core/error.h"
#include "io/model_io.h"
#include "train/pipeline.h"

namespace nnfit::cli {
namespace {

struct TrainCommand : TrainFlags {
  std::string history_path;
  bool json = false;
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
  if (run.lr_auto) {
    j["lr_auto"] = {{"lambda_max", run.lr_auto->lambda_max}, {"lr", run.lr_auto->rate},
                    {"rows", run.lr_auto->rows}, {"iterations", run.lr_auto->iterations},
                    {"converged", run.lr_auto->converged}};
  }
  return j;
}

// As train::train_csv (the same draws from one Rng), with the inputs block logged before the
// first epoch and the progress per epoch.
train::TrainRun read_and_fit(const TrainCommand& c, const std::atomic<bool>* interrupt) {
  train::InputData in = train::read_inputs(c.data);
  const train::InputSummary summary = describe_read(in);
  Rng rng(c.opt.seed);  // one stream: the split, then the initialisation, then the shuffles
  const train::PreparedData p =
      train::prepare_data(std::move(in.train), in.has_val ? &in.val : nullptr, in.options, rng);
  log_inputs(summary, p);
  if (c.data.on_network) c.data.on_network(train::network_footprint(p, c.opt));
  Progress progress(c.opt.epochs, spdlog::should_log(spdlog::level::info) && !c.no_progress,
                    isatty(STDERR_FILENO) == 1);
  train::PreparedFit fit(p, c.opt, rng, interrupt);  // as train::fit_prepared, with a log line
  if (const auto& a = fit.lr_auto()) {
    spdlog::info("--lr auto: lambda_max {:.6g} on {} rows ({} power iterations{}) -> lr {:.6g}",
                 a->lambda_max, a->rows, a->iterations, a->converged ? "" : ", not converged",
                 a->rate);
  }
  fit.run_to(c.opt.epochs, std::ref(progress));
  train::TrainRun run = fit.run();
  run.load_seconds = in.load_seconds;
  return run;
}

void run_train(TrainCommand& c) {
  resolve_train_flags(c);
  check_output_paths(input_paths(c), {{"--model", c.model_path}, {"--history", c.history_path}});
  Eigen::setNbThreads(c.threads);
  c.data.on_network = [](const train::Footprint& f) {
    spdlog::info("network {}, {} parameters, about {} to train", f.layers, f.parameters,
                 train::bytes_text(f.network_bytes + f.data_bytes));
  };
  const InterruptGuard interrupt;
  train::TrainRun run = read_and_fit(c, interrupt.flag());
  if (run.fit.interrupted && run.fit.epochs_run == 0) {
    throw Interrupted("interrupted before the first epoch: no model was written");
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
  add_train_flags(*cmd, *c);
  cmd->add_option("--history", c->history_path, "Write the per-epoch learning curve as CSV");
  cmd->add_flag("--json", c->json, "Print a JSON summary on stdout");
  cmd->callback([c, cmd] {
    if (configure_or_print(*cmd, *c)) return;
    run_train(*c);
  });
}

}  // namespace nnfit::cli
