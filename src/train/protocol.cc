// Refit and K-fold epoch protocols (see protocol.h).
#include "train/protocol.h"

#include <cmath>
#include <string>

#include "core/error.h"

namespace nnfit::train {
namespace {

// Means of the numeric metrics of each fold's validation part; rows summed.
nlohmann::json mean_metrics(const std::vector<nlohmann::json>& parts) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : parts.front().items()) {
    if (!value.is_number()) continue;
    double sum = 0;
    for (const nlohmann::json& p : parts) sum += p.at(key).get<double>();
    if (key == "rows") {
      out[key] = static_cast<Index>(sum);
    } else {
      out[key] = sum / static_cast<double>(parts.size());
    }
  }
  out["folds"] = parts.size();
  return out;
}

}  // namespace

int auto_folds(Index rows) {
  return rows >= 2 * kAutoFolds && rows <= kAutoMaxRows ? kAutoFolds : 0;
}

bool auto_refit(Index rows) { return rows > kAutoMaxRows; }

TrainRun refit_all_rows(data::Dataset all, const DataOptions& data, TrainOptions opt, int epochs,
                        const EpochCallback& on_epoch, const std::atomic<bool>* interrupt) {
  DataOptions d = data;
  d.val_split = 0;
  d.val_data.clear();
  opt.epochs = std::max(1, epochs);
  Rng rng(opt.seed);
  const PreparedData full = prepare_data(std::move(all), nullptr, d, rng);
  TrainRun run = fit_prepared(full, opt, rng, on_epoch, interrupt);
  run.model.metrics["refit"] = {{"rows", full.x_train.cols()}, {"epochs", opt.epochs}};
  return run;
}

FoldEpochs fold_epochs(const data::Dataset& all, const DataOptions& data, const TrainOptions& opt,
                       int folds, const std::function<void(int, const TrainRun&)>& on_fold,
                       const std::atomic<bool>* interrupt) {
  if (folds < 2) {
    throw ConfigError("invalid --refit-folds " + std::to_string(folds) + ": must be >= 2");
  }
  Rng rng(opt.seed);  // the fold assignment, then each fold's initialisation and shuffles
  const std::vector<PreparedData> sets =
      prepare_folds(all, data, folds, rng, FoldUse::kStopOnFold);
  FoldEpochs out;
  std::vector<nlohmann::json> parts;
  double sum = 0;
  int improving = 0;
  for (int f = 0; f < folds; ++f) {
    const TrainRun run = fit_prepared(sets[static_cast<std::size_t>(f)], opt, rng, {}, interrupt);
    if (on_fold) on_fold(f, run);
    if (run.fit.interrupted) {
      out.interrupted = true;
      break;
    }
    out.best_epochs.push_back(run.fit.best_epoch);
    sum += run.fit.best_epoch;
    out.monitor = run.fit.monitor;
    out.seconds += run.fit.train_seconds;
    out.monitored += run.fit.best.monitored / folds;
    improving += run.fit.still_improving ? 1 : 0;
    parts.push_back(run.model.metrics.at("validation"));
  }
  if (out.interrupted) return out;
  out.still_improving = 2 * improving > folds;  // one fold's late best is noise, most are not
  out.epochs = std::max(1, static_cast<int>(std::lround(sum / folds)));
  out.validation = mean_metrics(parts);
  return out;
}

}  // namespace nnfit::train
