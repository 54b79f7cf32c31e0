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

struct TrialResult {
  Candidate params;
  std::uint64_t seed = 0;
  double val_loss = 0;    // best validation loss (the score; lower is better); inf if diverged
  double val_metric = 0;  // accuracy, or RMSE in target units, at the best epoch
  int best_epoch = 0, epochs_run = 0;
  double seconds = 0;
  bool diverged = false;
  bool done = false;  // false: not run (interrupted before it started)
  // The trial's model (trained on the training part), for on_trial; released after it.
  std::shared_ptr<const model::Model> model;
};

struct RunOptions {
  int jobs = 1;
  const std::atomic<bool>* interrupt = nullptr;  // stops starting new trials and stops running ones
  // Trials already finished (e.g. read from a journal), by canonical(params): not rerun, their
  // results are copied into the returned table.
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

// Trains base (with each candidate's values and seed) on p for every candidate. A diverged
// trial is recorded, not fatal. REQUIRES validation rows in p.
std::vector<TrialResult> run_trials(const train::PreparedData& p, const train::TrainOptions& base,
                                    const std::vector<Candidate>& candidates,
                                    const RunOptions& options);

// Rank (1 = best) of each result: by validation loss, ties by trial order; not-run trials last.
std::vector<int> ranks(const std::vector<TrialResult>& results);

}  // namespace nnfit::search
