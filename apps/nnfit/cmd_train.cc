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
#include "train/optimizer_factory.h"
#include "train/protocol.h"
#include "train/pipeline.h"

namespace nnfit::cli {
namespace {

struct TrainCommand : TrainFlags {
  std::string history_path;
  bool json = false;
  bool refit = false;
  int refit_folds = 0;
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

// One warning per divergence that training rolled back (train/recovery.h).
void log_recoveries(const train::FitResult& fit) {
  for (const train::Recovery& e : fit.recoveries) {
    const std::string back =
        e.to_initial ? "the initial weights" : "the weights of epoch " + std::to_string(e.epoch - 1);
    if (e.new_lr < e.old_lr) {
      spdlog::warn(
          "epoch {} diverged ({}): rolled back to {}, --lr {:g} -> {:g} with a fresh "
          "optimizer state, redoing epoch {}",
          e.epoch, e.reason, back, e.old_lr, e.new_lr, e.epoch);
    } else {
      spdlog::warn(
          "epoch {} diverged ({}): rolled back to {} with the history reset, redoing "
          "epoch {}",
          e.epoch, e.reason, back, e.epoch);
    }
  }
}

void log_summary(const train::TrainRun& run, const std::string& model_path) {
  const auto& m = run.model.metrics;
  const bool classification = run.model.target.task == data::Task::kClassification;
  spdlog::info("best epoch {} of {}{}{}", run.fit.best_epoch, run.fit.epochs_run,
               run.n_val > 0 ? " by " + train::monitor_name(run.fit.monitor) : std::string(),
               run.fit.stopped_early ? " (stopped early)"
               : run.fit.converged   ? " (converged: --tol met or no better point on the line)"
                                     : "");
  if (run.fit.still_improving) {
    spdlog::warn("still improving at the last epoch: raise --epochs (now {})", run.fit.epochs_run);
  }
  const auto& val = m.at("validation");
  const Index rows = val.at("rows").get<Index>();
  if (rows > 0) {
    const std::string where =
        val.contains("folds")
            ? fmt::format(", mean of {} folds ({} rows)", val.at("folds").get<int>(), rows)
            : fmt::format(" on {} validation rows", rows);
    if (classification) {
      spdlog::info("held-out accuracy {:.4f}{} (loss {:.5f})", val.at("accuracy").get<double>(),
                   where, val.at("loss").get<double>());
    } else {
      spdlog::info("held-out RMSE {:.5g}, R^2 {:.4f}{}", val.at("rmse").get<double>(),
                   val.at("r2").get<double>(), where);
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
  j["monitor"] = train::monitor_name(run.fit.monitor);
  if (std::isfinite(run.fit.best.monitored)) j["best_monitored"] = run.fit.best.monitored;
  j["still_improving"] = run.fit.still_improving;
  j["recoveries"] = nlohmann::json::array();
  for (const train::Recovery& e : run.fit.recoveries) {
    j["recoveries"].push_back(
        {{"epoch", e.epoch}, {"old_lr", e.old_lr}, {"new_lr", e.new_lr}, {"reason", e.reason},
         {"to_initial", e.to_initial}});
  }
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
Progress progress_for(const TrainCommand& c, int epochs) {
  return Progress(epochs, spdlog::should_log(spdlog::level::info) && !c.no_progress,
                  isatty(STDERR_FILENO) == 1);
}

// The run on the held-out split (as train::fit_prepared, with the --lr auto line).
train::TrainRun fit_held_out(const TrainCommand& c, const train::PreparedData& p, Rng& rng,
                             const std::atomic<bool>* interrupt) {
  Progress progress = progress_for(c, c.opt.epochs);
  train::PreparedFit fit(p, c.opt, rng, interrupt);
  if (const auto& a = fit.lr_auto()) {
    spdlog::info("--lr auto: lambda_max {:.6g} on {} rows ({} power iterations{}) -> lr {:.6g}",
                 a->lambda_max, a->rows, a->iterations, a->converged ? "" : ", not converged",
                 a->rate);
  }
  fit.run_to(c.opt.epochs, std::ref(progress));
  return fit.run();
}

// --refit: a fresh network on every row for the held-out run's best epoch count.
train::TrainRun refit(const TrainCommand& c, data::Dataset all, const train::DataOptions& d,
                      const train::TrainRun& held, const std::atomic<bool>* interrupt) {
  spdlog::info("refit: training on all {} rows for {} epochs (the best epoch on the held-out "
               "part)", all.x.cols(), held.fit.best_epoch);
  Progress progress = progress_for(c, held.fit.best_epoch);
  train::TrainRun run =
      train::refit_all_rows(std::move(all), d, c.opt, held.fit.best_epoch, std::ref(progress),
                            interrupt);
  run.model.metrics["validation"] = held.model.metrics.at("validation");  // the estimate
  run.model.metrics["best_epoch"] = held.fit.best_epoch;
  run.n_val = held.n_val;
  return run;
}

// --refit-folds K: K-fold early stopping picks the epoch count, then the refit.
train::TrainRun fold_refit(const TrainCommand& c, data::Dataset all, const train::DataOptions& d,
                           const std::atomic<bool>* interrupt) {
  const auto on_fold = [&](int f, const train::TrainRun& r) {
    spdlog::info("fold {}/{}: best epoch {} of {}, validation loss {:.5f} on {} rows", f + 1,
                 c.refit_folds, r.fit.best_epoch, r.fit.epochs_run,
                 r.model.metrics.at("validation").at("loss").get<double>(), r.n_val);
  };
  const train::FoldEpochs fe = train::fold_epochs(all, d, c.opt, c.refit_folds, on_fold, interrupt);
  if (fe.interrupted) throw Interrupted("interrupted during the folds: no model was written");
  spdlog::info("refit: training on all {} rows for {} epochs (the folds' mean best epoch)",
               all.x.cols(), fe.epochs);
  Progress progress = progress_for(c, fe.epochs);
  train::TrainRun run =
      train::refit_all_rows(std::move(all), d, c.opt, fe.epochs, std::ref(progress), interrupt);
  run.model.metrics["validation"] = fe.validation;  // the folds' mean: the estimate
  run.model.metrics["refit"]["fold_best_epochs"] = fe.best_epochs;
  return run;
}

// As train::train_csv (the same draws from one Rng), with the inputs block logged before the
// first epoch and the progress per epoch; then the --refit or --refit-folds protocol.
train::TrainRun read_and_fit(const TrainCommand& c, const std::atomic<bool>* interrupt) {
  train::InputData in = train::read_inputs(c.data);
  const train::InputSummary summary = describe_read(in);
  Rng rng(c.opt.seed);  // one stream: the split, then the initialisation, then the shuffles
  data::Dataset all;
  if (c.refit || c.refit_folds > 0) all = in.train;  // the refit trains on every row again
  const train::PreparedData p =
      train::prepare_data(std::move(in.train), in.has_val ? &in.val : nullptr, in.options, rng);
  log_inputs(summary, p);
  if (c.data.on_network) c.data.on_network(train::network_footprint(p, c.opt));
  spdlog::info("{}", train::describe_optimizer(c.opt, p.x_train.cols()));
  const bool classification = p.model.target.task == data::Task::kClassification;
  try {
    train::TrainRun run;
    if (c.refit_folds > 0) {
      run = fold_refit(c, std::move(all), in.options, interrupt);
    } else {
      run = fit_held_out(c, p, rng, interrupt);
      if (c.refit && !run.fit.interrupted) {
        run = refit(c, std::move(all), in.options, run, interrupt);
      }
    }
    run.load_seconds = in.load_seconds;
    log_recoveries(run.fit);
    return run;
  } catch (const train::FitDiverged& e) {  // exit 3: the learning curve up to the failure
    log_recoveries(e.partial);
    if (!c.history_path.empty()) {
      write_output(c.history_path, history_csv(e.partial, classification));
    }
    throw;
  }
}

void run_train(TrainCommand& c) {
  resolve_train_flags(c);
  if (c.refit_folds != 0 && (c.refit || !c.data.val_data.empty() || c.refit_folds < 2)) {
    throw ConfigError("invalid --refit-folds " + std::to_string(c.refit_folds) +
                      ": give K >= 2, without --refit or --val-data (the folds replace them)");
  }
  if (c.refit && (!c.data.val_data.empty() || c.data.val_split == 0)) {
    throw ConfigError("--refit needs a held-out part to choose the epoch count: give "
                      "--val-split F > 0 (with --val-data or --val-split 0 every training row "
                      "is already trained on)");
  }
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
  cmd->add_option("--history", c->history_path,
                  "Write the per-epoch learning curve as CSV (also on exit 3)");
  cmd->add_flag("--json", c->json, "Print a JSON summary on stdout");
  cmd->add_flag("--refit", c->refit,
                "After early stopping on the held-out part, train again from scratch on all "
                "rows for the best epoch count and save that model (validation metrics are "
                "the held-out run's)");
  cmd->add_option("--refit-folds", c->refit_folds,
                  "K-fold early stopping instead of one held-out part: each fold in turn is "
                  "the validation part; then train on all rows for the folds' mean best epoch "
                  "(validation metrics: the folds' means)");
  cmd->callback([c, cmd] {
    if (configure_or_print(*cmd, *c)) return;
    run_train(*c);
  });
}

}  // namespace nnfit::cli
