// How the rows of a training file are used beyond one held-out split:
//   refit        early stopping on a held-out part picks the epoch count E, then a fresh
//                network trains on every row for E epochs (train --refit, gridsearch's model)
//   fold epochs  K-fold early stopping: each fold in turn is the validation part of a run on
//                the other folds; E is the mean of their best epochs, and the refit trains on
//                every row for E epochs (train --refit-folds K)
// On small data the held-out part is the largest single lever (bench/ACCURACY.md), so `nnfit
// train`'s default (--refit-folds auto) is fold epochs with kAutoFolds folds up to
// kAutoMaxRows training rows and a refit after one held-out part above (on the two big sets
// measured it matches the folds at 1.9x the time of one run instead of 5.7x).
#pragma once

#include <atomic>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "train/pipeline.h"

namespace nnfit::train {

inline constexpr int kAutoFolds = 5;
inline constexpr Index kAutoMaxRows = 10000;

// --refit-folds auto's fold count for a training file of `rows` rows: kAutoFolds when
// 2 * kAutoFolds <= rows <= kAutoMaxRows (two validation rows per fold at least), else 0
// (one held-out part).
int auto_folds(Index rows);
// Whether --refit-folds auto refits after the held-out part: above kAutoMaxRows rows.
bool auto_refit(Index rows);

// Trains opt's network from scratch on every row of `all` (preprocessing refitted on them, no
// validation part) for `epochs` epochs, seeded by opt.seed like any run. The model's metrics
// get "refit": {rows, epochs}.
TrainRun refit_all_rows(data::Dataset all, const DataOptions& data, TrainOptions opt, int epochs,
                        const EpochCallback& on_epoch = {},
                        const std::atomic<bool>* interrupt = nullptr);

struct FoldEpochs {
  std::vector<int> best_epochs;     // per fold
  int epochs = 0;                   // their mean, rounded, >= 1
  nlohmann::json validation;        // the folds' validation metrics: means, rows summed, folds
  Monitor monitor = Monitor::kValLoss;  // what the folds' early stopping watched
  double monitored = 0;             // the mean of the folds' best monitored values
  bool still_improving = false;     // most folds' best epoch was their last, at the epoch limit
  double seconds = 0;               // the folds' training time, summed
  bool interrupted = false;         // a fold was interrupted; the rest did not run
};

// K-fold early stopping (K >= 2; stratified for classification). on_fold is called after each
// fold with its index and result. Throws ConfigError for K < 2 or more folds than rows.
FoldEpochs fold_epochs(const data::Dataset& all, const DataOptions& data, const TrainOptions& opt,
                       int folds, const std::function<void(int, const TrainRun&)>& on_fold = {},
                       const std::atomic<bool>* interrupt = nullptr);

}  // namespace nnfit::train
