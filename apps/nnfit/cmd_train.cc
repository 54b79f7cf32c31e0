// `nnfit train`: flags and config file bound to train::DataOptions / TrainOptions, progress
// logged per epoch, model, history and JSON summary written at the end.
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <Eigen/Core>
#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli.h"
#include "data_summary.h"
#include "interrupt.h"
#include "output_paths.h"
#include "progress.h"
#include "terminal.h"
#include "report_output.h"
#include "train_flags.h"
#include "core/error.h"
#include "core/work_pool.h"
#include "io/model_io.h"
#include "train/optimizer_factory.h"
#include "train/protocol.h"
#include "train/pipeline.h"

namespace nnfit::cli {
namespace {

struct TrainCommand : TrainFlags {
  std::string history_path;
  std::string report_path;
  bool json = false;
  bool refit = false;
  std::string refit_folds = "auto";  // auto | 0 (one held-out part) | K >= 2
  std::string plot = "never";        // never | auto (stderr is a terminal) | always
};

// How the training rows are used (train/protocol.h): `folds` > 0 is K-fold early stopping and
// a refit on all rows, `refit` a refit after one held-out part; `automatic` when
// --refit-folds auto chose it.
struct Protocol {
  int folds = 0;
  bool refit = false;
  bool automatic = false;
};

// --refit-folds K as given, or auto's rule (train::auto_folds, auto_refit) unless another flag
// already names the protocol: --refit, --val-data, or a --val-split on the command line or
// not 0.2.
Protocol choose_protocol(const TrainCommand& c, Index rows) {
  if (c.refit_folds != "auto") return {std::stoi(c.refit_folds), c.refit, false};
  const bool named = c.refit || !c.data.val_data.empty() || c.val_split_flag ||
                     c.data.val_split != train::DataOptions{}.val_split;
  if (named) return {0, c.refit, false};
  return {train::auto_folds(rows), train::auto_refit(rows), true};
}

// The model's metrics["protocol"]: its name, fold count and whether auto chose it.
nlohmann::json protocol_json(const TrainCommand& c, const Protocol& p) {
  const std::string name = p.folds > 0            ? "folds"
                           : p.refit              ? "refit"
                           : c.data.val_data.empty() && c.data.val_split == 0 ? "all_rows"
                                                                              : "holdout";
  return {{"name", name}, {"folds", p.folds}, {"auto", p.automatic}};
}

void log_protocol(const Protocol& p, Index rows) {
  if (!p.automatic) return;
  if (p.folds > 0) {
    spdlog::info("protocol: {}-fold early stopping, then a refit on all {} rows for the folds' "
                 "mean best epoch (--refit-folds auto: {} to {} training rows; --refit-folds 0 "
                 "for one held-out part)", p.folds, rows, 2 * train::kAutoFolds,
                 train::kAutoMaxRows);
  } else if (p.refit) {
    spdlog::info("protocol: early stopping on one held-out part, then a refit on all {} rows "
                 "for its best epoch count (--refit-folds auto: more than {} training rows; "
                 "--refit-folds 0 keeps the held-out run, --refit-folds {} for k-fold)", rows,
                 train::kAutoMaxRows, train::kAutoFolds);
  } else {
    spdlog::info("protocol: early stopping on one held-out part (--refit-folds auto: {} "
                 "training rows, too few for {} folds)", rows, train::kAutoFolds);
  }
}

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

// Which epoch count the saved model has and why: the best epoch of one run, or a refit's
// count with where it came from (the folds' best epochs, or the held-out run's).
void log_epochs(const train::TrainRun& run, int epochs) {
  const auto& m = run.model.metrics;
  if (const auto refit = m.find("refit"); refit != m.end()) {
    std::string from = "the held-out run's best epoch";
    if (refit->contains("fold_best_epochs")) {
      from = "the folds' mean best epoch; theirs:";
      for (const auto& e : refit->at("fold_best_epochs")) from += " " + std::to_string(e.get<int>());
    }
    spdlog::info("refit: {} epochs on all {} rows ({})", refit->at("epochs").get<int>(),
                 refit->at("rows").get<Index>(), from);
  } else {
    spdlog::info("best epoch {} of {}{}{}", run.fit.best_epoch, run.fit.epochs_run,
                 run.n_val > 0 ? " by " + train::monitor_name(run.fit.monitor) : std::string(),
                 run.fit.stopped_early ? " (stopped early)"
                 : run.fit.converged   ? " (converged: --tol met or no better point on the line)"
                                       : "");
  }
  if (run.fit.still_improving) {
    spdlog::warn("still improving at the last epoch: raise --epochs (now {})", epochs);
  }
}

void log_validation(const nlohmann::json& val, bool classification) {
  const Index rows = val.at("rows").get<Index>();
  if (rows == 0) return;
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

void log_train_summary(const train::TrainRun& run, const std::string& model_path, int epochs) {
  log_epochs(run, epochs);
  log_validation(run.model.metrics.at("validation"),
                 run.model.target.task == data::Task::kClassification);
  const auto refit = run.model.metrics.find("refit");
  const bool folds = refit != run.model.metrics.end() && refit->contains("fold_best_epochs");
  const std::string before =
      run.select_seconds > 0
          ? fmt::format(", after {} in {:.3f}s", folds ? "the folds" : "the held-out run",
                        run.select_seconds)
          : "";
  spdlog::info("trained on {} rows in {:.3f}s ({:.0f} samples/s){}; model saved to {}",
               run.n_train, run.fit.train_seconds, run.fit.samples_per_second, before, model_path);
}

nlohmann::json summary_json(const train::TrainRun& run, const TrainCommand& c) {
  nlohmann::json j = run.model.metrics;
  j["model"] = c.model_path;
  j["task"] = data::task_name(run.model.target.task);
  j["load_seconds"] = run.load_seconds;
  j["train_seconds"] = run.fit.train_seconds;
  if (run.select_seconds > 0) j["select_seconds"] = run.select_seconds;
  j["samples_per_second"] = run.fit.samples_per_second;
  j["threads"] = training_threads();
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

void log_lr_auto(const std::optional<train::LrAuto>& a) {
  if (!a) return;
  spdlog::info("--lr auto: lambda_max {:.6g} on {} rows ({} power iterations{}) -> lr {:.6g}",
               a->lambda_max, a->rows, a->iterations, a->converged ? "" : ", not converged",
               a->rate);
}

// The run on the held-out split (as train::fit_prepared, with the --lr auto line).
train::TrainRun fit_held_out(const TrainCommand& c, const train::PreparedData& p, Rng& rng,
                             const std::atomic<bool>* interrupt) {
  Progress progress = progress_for(c, c.opt.epochs);
  train::PreparedFit fit(p, c.opt, rng, interrupt);
  log_lr_auto(fit.lr_auto());
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
  run.fit.monitor = held.fit.monitor;  // what chose the epoch count
  run.fit.best.monitored = held.fit.best.monitored;
  run.fit.still_improving = held.fit.still_improving;
  run.select_seconds = held.fit.train_seconds;
  return run;
}

// --refit-folds K: K-fold early stopping picks the epoch count, then the refit.
train::TrainRun fold_refit(const TrainCommand& c, int folds, data::Dataset all,
                           const train::DataOptions& d, const std::atomic<bool>* interrupt) {
  const auto on_fold = [&](int f, const train::TrainRun& r) {
    log_recoveries(r.fit);
    spdlog::info("fold {}/{}: best epoch {} of {}, validation loss {:.5f} on {} rows", f + 1,
                 folds, r.fit.best_epoch, r.fit.epochs_run,
                 r.model.metrics.at("validation").at("loss").get<double>(), r.n_val);
  };
  const train::FoldEpochs fe = train::fold_epochs(all, d, c.opt, folds, on_fold, interrupt);
  if (fe.interrupted) throw Interrupted("interrupted during the folds: no model was written");
  spdlog::info("refit: training on all {} rows for {} epochs (the folds' mean best epoch)",
               all.x.cols(), fe.epochs);
  Progress progress = progress_for(c, fe.epochs);
  train::TrainRun run =
      train::refit_all_rows(std::move(all), d, c.opt, fe.epochs, std::ref(progress), interrupt);
  log_lr_auto(run.lr_auto);  // the refit's (each fold chose its own)
  run.model.metrics["validation"] = fe.validation;  // the folds' mean: the estimate
  run.model.metrics["refit"]["fold_best_epochs"] = fe.best_epochs;
  run.select_seconds = fe.seconds;
  run.fit.monitor = fe.monitor;  // what chose the epoch count
  run.fit.best.monitored = fe.monitored;
  run.fit.still_improving = fe.still_improving;
  return run;
}

// As train::train_csv (the same draws from one Rng), with the inputs block logged before the
// first epoch and the progress per epoch; then the --refit or --refit-folds protocol.
train::TrainRun read_and_fit(const TrainCommand& c, const std::atomic<bool>* interrupt) {
  train::InputData in = train::read_inputs(c.data);
  const train::InputSummary summary = describe_read(in);
  Rng rng(c.opt.seed);  // one stream: the split, then the initialisation, then the shuffles
  const Index rows = in.train.x.cols();
  const Protocol protocol = choose_protocol(c, rows);
  data::Dataset all;
  if (protocol.refit || protocol.folds > 0) all = in.train;  // the refit trains on every row
  const train::PreparedData p =
      train::prepare_data(std::move(in.train), in.has_val ? &in.val : nullptr, in.options, rng);
  log_inputs(summary, p, protocol.folds);
  if (c.data.on_network) c.data.on_network(train::network_footprint(p, c.opt));
  spdlog::info("{}", train::describe_optimizer(c.opt, p.x_train.cols()));
  log_protocol(protocol, rows);
  const bool classification = p.model.target.task == data::Task::kClassification;
  try {
    train::TrainRun run;
    if (protocol.folds > 0) {
      run = fold_refit(c, protocol.folds, std::move(all), in.options, interrupt);
    } else {
      run = fit_held_out(c, p, rng, interrupt);
      if (protocol.refit && !run.fit.interrupted) {
        run = refit(c, std::move(all), in.options, run, interrupt);
      }
    }
    run.load_seconds = in.load_seconds;
    run.model.metrics["protocol"] = protocol_json(c, protocol);
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

// --plot: the learning curve on stderr at the end (auto: when stderr is a terminal). The best
// epoch is marked when a held-out part chose the saved weights.
void plot_curve(const train::TrainRun& run, const std::string& when) {
  // A bare --plot (no value) means auto.
  if (when == "never" || (when != "always" && isatty(STDERR_FILENO) != 1)) return;
  report::LearningCurve curve;
  for (const train::EpochReport& r : run.fit.history) {
    curve.epochs.push_back(r.epoch);
    curve.train_loss.push_back(r.train_loss);
    curve.val_loss.push_back(r.val_loss);
  }
  if (curve.epochs.empty()) return;
  if (report::lowest_val_epoch(curve) > 0 && !run.model.metrics.contains("refit")) {
    curve.marked_epoch = run.fit.best_epoch;
    curve.marked_label = "best epoch " + std::to_string(run.fit.best_epoch) + " (saved)";
  }
  report::PlotStyle style;
  style.width = std::max(terminal_width(STDERR_FILENO), report::kMinPlotWidth);
  style.color = terminal_color(STDERR_FILENO);
  std::cerr << plot_text(curve, style) << std::flush;
}

// --refit-folds: auto, 0, or K >= 2 without --refit or --val-data (the folds replace them).
void check_refit_folds(const TrainCommand& c) {
  if (c.refit_folds == "auto") return;
  int k = -1;
  const std::string& s = c.refit_folds;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), k);
  const bool number = ec == std::errc() && end == s.data() + s.size();
  if (!number || k < 0 || k == 1) {
    throw ConfigError("invalid --refit-folds '" + s + "': give auto, 0 (one held-out part) or "
                      "K >= 2 folds");
  }
  if (k >= 2 && (c.refit || !c.data.val_data.empty())) {
    throw ConfigError("invalid --refit-folds " + s + " with " +
                      (c.refit ? "--refit" : "--val-data") +
                      ": the folds replace the held-out part; give one of them");
  }
}

void run_train(TrainCommand& c) {
  resolve_train_flags(c);
  check_refit_folds(c);
  if (c.refit && (!c.data.val_data.empty() || c.data.val_split == 0)) {
    throw ConfigError("--refit needs a held-out part to choose the epoch count: give "
                      "--val-split F > 0 (with --val-data or --val-split 0 every training row "
                      "is already trained on)");
  }
  check_output_paths(input_paths(c), {{"--model", c.model_path}, {"--history", c.history_path},
                                      {"--report", c.report_path}});
  Eigen::setNbThreads(1);  // threads split the batches instead (WorkPool)
  set_training_threads(c.threads);
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
  const bool classification = run.model.target.task == data::Task::kClassification;
  if (!c.history_path.empty()) write_output(c.history_path, history_csv(run.fit, classification));
  if (!c.report_path.empty()) {
    write_train_report(run, metric_name(classification), c, c.report_path);
  }
  log_train_summary(run, c.model_path, c.opt.epochs);
  plot_curve(run, c.plot);
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
  cmd->add_option("--report", c->report_path,
                  "At the end, write an HTML report (nnfit report): learning curves, the "
                  "model scored on --val-data (else on the training file, marked optimistic) "
                  "and the model card");
  cmd->add_flag("--json", c->json, "Print a JSON summary on stdout");
  cmd->add_flag("--refit", c->refit,
                "After early stopping on the held-out part, train again from scratch on all "
                "rows for the best epoch count and save that model (validation metrics are "
                "the held-out run's)");
  cmd->add_option("--refit-folds", c->refit_folds,
                  "K-fold early stopping instead of one held-out part: each fold in turn is "
                  "the validation part; then train on all rows for the folds' mean best epoch "
                  "(validation metrics: the folds' means). auto (default): 5 folds for 10 to "
                  "10000 training rows, --refit above; one held-out part as flagged when "
                  "--refit, --val-data or --val-split is given; 0: one held-out part")
      ->capture_default_str();
  cmd->add_option("--plot", c->plot,
                  "Draw the learning curve on stderr at the end: auto (also a bare --plot: "
                  "when stderr is a terminal), always or never (the default); the width is "
                  "$COLUMNS or the terminal's (see nnfit plot)")
      ->expected(0, 1)  // no default string: CLI11 gives it to a bare --plot
      ->check(CLI::IsMember({"", "auto", "always", "never"}));
  cmd->callback([c, cmd] {
    if (configure_or_print(*cmd, *c)) return;
    run_train(*c);
  });
}

}  // namespace nnfit::cli
