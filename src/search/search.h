// Running the trials of a search over one shared, read-only PreparedData, in parallel, with
// results that do not depend on the number of jobs: each trial's seed comes from its
// parameters (space.h trial_seed) and each result goes to the trial's own slot.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "search/space.h"
#include "train/pipeline.h"

namespace nnfit::search {

// Every --scoring metric (search/select.h) of a trial on its scored rows: classification fills
// loss, accuracy and f1 (macro), regression loss, rmse (target units) and r2.
struct Scores {
  double loss = 0, accuracy = 0, f1 = 0, rmse = 0, r2 = 0;
};

struct TrialResult {
  Candidate params;
  std::uint64_t seed = 0;
  // The score (lower is better): the best validation loss, or with cross-validation the mean
  // loss on the scored folds (val_sd: their standard deviation); inf if diverged.
  double val_loss = 0, val_sd = 0;
  double val_metric = 0;  // accuracy, or RMSE in target units, at the best epoch
  int best_epoch = 0, epochs_run = 0;
  // Every metric: the mean over the n_scored scored sets (folds x repeats, or 1) and their
  // population standard deviation (--select 1se). n_scored 0: a journal line written before
  // these existed (scores.loss and accuracy or rmse are known, f1 and r2 are NaN).
  Scores scores, scores_sd;
  int n_scored = 0;
  double seconds = 0;
  bool diverged = false;
  bool done = false;  // false: not run (interrupted before it started)
  // Successive halving: the rung (1-based; 0 in a plain search) and its epoch budget.
  int rung = 0, budget = 0;
  // The trial's model (trained on the training part), for on_trial; released after it.
  std::shared_ptr<const model::Model> model;
};

struct RunOptions {
  int jobs = 1;
  const std::atomic<bool>* interrupt = nullptr;  // stops starting new trials and stops running ones
  // Trials already finished (e.g. read from a journal), by trial_key: not rerun, their results
  // are copied into the returned table.
  const std::map<std::string, TrialResult>* finished = nullptr;
  // Budgets for the new trials: at most max_trials are started (0 = all), and none is started
  // after max_seconds (0 = no limit). Unstarted trials have done = false.
  long max_trials = 0;
  // Only the candidates i with i % shard_count == shard_index are run (--shard I/N).
  std::size_t shard_index = 0, shard_count = 1;
  bool run_new = true;  // false: only collect `finished` (gridsearch merge)
  double max_seconds = 0;
  // Called after each new trial (from the worker thread, serialised by a mutex).
  std::function<void(const TrialResult&, std::size_t done, std::size_t total)> on_trial;
};

// Trains base (with each candidate's values and seed) for every candidate: on sets[0], scored
// by its validation rows, or with cross-validation (sets[f].x_test non-empty) on every fold,
// scored by the mean over the folds (best_epoch: their rounded mean). A diverged trial is
// recorded, not fatal. REQUIRES validation rows in every set.
std::vector<TrialResult> run_trials(const std::vector<train::PreparedData>& sets,
                                    const train::TrainOptions& base,
                                    const std::vector<Candidate>& candidates,
                                    const RunOptions& options);

// The key of a finished trial in a journal: canonical(c), plus the rung with halving.
std::string trial_key(const Candidate& c, int rung);

}  // namespace nnfit::search
