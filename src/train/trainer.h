// train::fit: the epoch loop. Mini-batch SGD over shuffled training columns, validation after
// each epoch, early stopping on the monitored validation quantity (--monitor), best weights
// restored at the end, divergence recovery (train/recovery.h). train::Trainer is the same loop,
// continued in steps (successive halving).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "core/work_pool.h"
#include "core/types.h"
#include "nn/network.h"
#include "optim/optimizer.h"
#include "train/config.h"
#include "train/early_stopping.h"
#include "train/recovery.h"

namespace nnfit::train {

struct EpochReport {
  int epoch = 0;            // 1-based
  double train_loss = 0.0;  // mean data loss over the epoch's batches (no penalty)
  double val_loss = std::numeric_limits<double>::quiet_NaN();    // NaN without validation
  double val_metric = std::numeric_limits<double>::quiet_NaN();  // accuracy or RMSE
  // The value of --monitor (val_loss, val_accuracy, val_f1 or val_rmse); NaN without validation.
  double monitored = std::numeric_limits<double>::quiet_NaN();
  // The rate of the epoch's last update (SGD family, after the schedule), or the step length
  // the line search accepted (lbfgs, newton).
  double lr = 0.0;
  double seconds = 0.0;        // wall time of this epoch
  bool improved = false;       // new best epoch
  bool classification = true;  // val_metric is accuracy (else RMSE in target units)
};

using EpochCallback = std::function<void(const EpochReport&)>;

// Prepared (standardised) training data. Targets as in nn/loss.h.
struct FitData {
  const Matrix* x_train = nullptr;
  const Matrix* y_train = nullptr;
  const Matrix* x_val = nullptr;  // null: no validation, no early stopping, last epoch kept
  const Matrix* y_val = nullptr;
  bool classification = true;  // val metric: accuracy, else RMSE
  double target_scale = 1.0;   // multiplies the RMSE to report it in target units
  // Checked after every batch (may be null). Once set, the current epoch ends early, is
  // validated and may become the best, and fit returns with interrupted = true. Set it from a
  // signal handler to stop a run cleanly (std::atomic<bool> is lock-free, so that is safe).
  const std::atomic<bool>* interrupt = nullptr;
  // Row weights (one per column, or null = unweighted): w_train weights the training loss
  // (see NetworkObjective), w_val the validation loss and metric.
  const Vector* w_train = nullptr;
  const Vector* w_val = nullptr;
  // One name per row of x_train (may be null): the divergence message names the most extreme.
  const std::vector<std::string>* feature_names = nullptr;
};

struct FitResult {
  int best_epoch = 0;
  int epochs_run = 0;
  bool stopped_early = false;
  bool interrupted = false;  // FitData::interrupt was set; the last epoch is partial
  // lbfgs / newton: the gradient or loss tolerance was met, or the line search found no
  // better point (the weights are then a local minimum to float precision).
  bool converged = false;
  EpochReport best;                     // the report of the best (kept) epoch
  Monitor monitor = Monitor::kValLoss;  // what chose the best epoch and early stopping
  // The best epoch is the last one and the run ended on the epoch limit: more epochs would
  // probably help (raise --epochs).
  bool still_improving = false;
  std::vector<Recovery> recoveries;  // divergences rolled back, in order
  double train_seconds = 0.0;
  double samples_per_second = 0.0;  // training examples processed per second of fit()
  std::vector<EpochReport> history;
};

// TrainingDiverged from a Trainer, with the result up to the last good epoch (history and
// recoveries), so that a caller can still write the learning curve.
struct FitDiverged : TrainingDiverged {
  FitDiverged(const std::string& message, FitResult partial_result)
      : TrainingDiverged(message), partial(std::move(partial_result)) {}
  FitResult partial;
};

class NetworkObjective;

// The epoch loop as an object that can be continued: run_to(n) trains until epoch n in total
// (at most opt.epochs), or until early stopping or the interrupt ends the run. Training to
// epoch a and then to b gives bit-identical weights, history and best epoch to training to b
// in one call, since nothing in an epoch depends on the target. net (initialised), rng and
// the matrices of data must outlive the Trainer; net holds the latest (not the best) weights.
class Trainer {
 public:
  Trainer(nn::Network& net, const TrainOptions& opt, const FitData& data, Rng& rng);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // An epoch whose batch loss, weights or validation loss become NaN or Inf, or whose training
  // loss explodes, is rolled back and redone at half the rate (train/recovery.h); throws
  // FitDiverged once opt.max_recoveries roll-backs did not help (at once for newton, and for
  // lbfgs when its history was already empty). Throws ConfigError for a --monitor the task
  // cannot use (in the constructor).
  void run_to(int epochs, const EpochCallback& on_epoch = {});
  // No epoch is left: stopped early, interrupted, or opt.epochs reached.
  bool finished() const { return finished_; }
  int epochs_run() const { return result_.epochs_run; }
  // The result so far (best epoch, history, timing); the best epoch's weights: best_params().
  FitResult result() const;
  const Vector& best_params() const { return best_params_; }

 private:
  nn::Network& net_;
  TrainOptions opt_;
  FitData data_;
  Rng& rng_;
  std::unique_ptr<WorkPool> pool_;  // training_threads() > 1: data-parallel batches
  std::unique_ptr<NetworkObjective> objective_;
  std::unique_ptr<optim::Optimizer> optimizer_;
  std::unique_ptr<EarlyStopping> stopper_;
  Vector best_params_;
  Vector good_params_;  // the weights at the end of the last good epoch (the roll-back point)
  Vector initial_params_;      // the fallback when the roll-back point itself explodes
  bool good_is_initial_ = true;  // good_params_ are the initial weights
  Matrix val_outputs_;
  FitResult result_;
  bool finished_ = false;
  double seconds_ = 0.0;  // wall time spent in run_to
  double lr_ = 0.0;       // the rate of the optimizer in use (halved by each recovery)
  double first_loss_ = std::numeric_limits<double>::quiet_NaN();  // epoch 1's training loss
  bool fresh_optimizer_ = true;  // no pass since the optimizer was built

  // Why the epoch just run (report r, pass status) diverged, or "" (also validates r).
  std::string check_epoch(const optim::PassResult& pass, EpochReport& r);
  // Rolls back and rebuilds the optimizer, or throws FitDiverged.
  void recover(int epoch, const std::string& reason, double rate);
  void accept_epoch(const optim::PassResult& pass, EpochReport& r, const EpochCallback& on_epoch);
};

// Trains net (already initialised) in place; on return net holds the best epoch's weights.
// rng drives the per-epoch shuffles. Throws FitDiverged (a TrainingDiverged) as run_to.
FitResult fit(nn::Network& net, const TrainOptions& opt, const FitData& data, Rng& rng,
              const EpochCallback& on_epoch = {});

}  // namespace nnfit::train
