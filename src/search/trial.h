// One trial of a search: a candidate trained on every prepared set (one validation split, or
// the K folds of cross-validation) and scored. TrialState keeps the fits, so successive halving
// can give a trial more epochs later; a plain search trains each trial once to its epochs.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "search/search.h"
#include "train/pipeline.h"

namespace nnfit::search {

struct TrialState {
  std::vector<std::unique_ptr<train::PreparedFit>> fits;  // one per set; empty until first run
  double seconds = 0;     // wall time trained so far
  bool diverged = false;  // never trained again
};

// Trains the candidate c (its values over base, seed trial_seed(base.seed, c)) to `epochs`
// epochs in total on every set, continuing from state, and scores it: on sets[f]'s validation
// rows, or with cross-validation (x_test non-empty) on the scored folds, their mean (val_sd:
// population standard deviation; best_epoch: the rounded mean). A diverged trial is recorded
// (val_loss inf), not thrown. result.done is false if the interrupt stopped it.
TrialResult run_trial(const std::vector<train::PreparedData>& sets, const train::TrainOptions& base,
                      const Candidate& c, int epochs, TrialState& state,
                      const std::atomic<bool>* interrupt);

// The budgets of a search (RunOptions max_trials, max_seconds, interrupt), from construction.
class Budget {
 public:
  explicit Budget(const RunOptions& options)
      : options_(options), t0_(std::chrono::steady_clock::now()) {}
  // Counts one more training to start; false (and not counted) once max_trials are taken.
  bool take();
  // The interrupt is set, or max_seconds have passed: start nothing new.
  bool stop() const;

 private:
  const RunOptions& options_;
  std::chrono::steady_clock::time_point t0_;
  long taken_ = 0;
};

// Calls work(todo[n]) for n = 0, 1, ... on `jobs` threads (the caller's among them) and
// returns when all have returned. A thread takes no new item once stop() is true or its last
// work() returned false. work and stop run concurrently and must synchronise what they share.
// If a work() throws, no thread takes a new item (those running finish theirs), all are joined
// and the first exception is rethrown.
void run_parallel(const std::vector<std::size_t>& todo, int jobs,
                  const std::function<bool()>& stop,
                  const std::function<bool(std::size_t)>& work);

// The number of weights and biases of the network of options opt on the data of sets.
long double n_parameters(const std::vector<train::PreparedData>& sets,
                         const train::TrainOptions& opt);
// "1234 parameters": the size of the network of options opt on the data of sets (computed,
// not allocated; exact even where it would not fit in memory).
std::string parameter_count(const std::vector<train::PreparedData>& sets,
                            const train::TrainOptions& opt);

// work() for candidate c (over base); an exception from it is rethrown as Error (ConfigError
// stays one) naming the trial, its parameter count and the cause.
bool run_guarded(const std::vector<train::PreparedData>& sets, const train::TrainOptions& base,
                 const Candidate& c, const std::function<bool()>& work);

// The trainings a search has finished, of how many; shared by the threads of run_parallel.
struct Progress {
  explicit Progress(std::size_t trainings) : total(trainings) {}
  std::size_t total;
  std::size_t done = 0;
  std::mutex mutex;
};

// Stores the result of a training in its slot (under progress.mutex); if it finished, counts it,
// calls options.on_trial and releases its model. Returns r.done (false: interrupted, stop).
bool record(TrialResult r, TrialResult& slot, Progress& progress, const RunOptions& options);

// ConfigError unless every set has validation rows to score the trials on.
void check_sets(const std::vector<train::PreparedData>& sets);

}  // namespace nnfit::search
