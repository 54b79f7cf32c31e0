// train::fit: the epoch loop. Mini-batch SGD over shuffled training columns, validation after
// each epoch, early stopping on the validation loss, best weights restored at the end.
// train::Trainer is the same loop, continued in steps (successive halving).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

#include "core/rng.h"
#include "core/types.h"
#include "nn/network.h"
#include "optim/optimizer.h"
#include "train/config.h"

namespace nnfit::train {

struct EpochReport {
  int epoch = 0;            // 1-based
  double train_loss = 0.0;  // mean data loss over the epoch's batches (no penalty)
  double val_loss = std::numeric_limits<double>::quiet_NaN();    // NaN without validation
  double val_metric = std::numeric_limits<double>::quiet_NaN();  // accuracy or RMSE
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
};

struct FitResult {
  int best_epoch = 0;
  int epochs_run = 0;
  bool stopped_early = false;
  bool interrupted = false;  // FitData::interrupt was set; the last epoch is partial
  // lbfgs / newton: the gradient or loss tolerance was met, or the line search found no
  // better point (the weights are then a local minimum to float precision).
  bool converged = false;
  EpochReport best;  // the report of the best (kept) epoch
  double train_seconds = 0.0;
  double samples_per_second = 0.0;  // training examples processed per second of fit()
  std::vector<EpochReport> history;
};

class NetworkObjective;
class EarlyStopping;

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

  // Throws TrainingDiverged if a batch loss, the weights after an epoch or the validation
  // loss become NaN or Inf.
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
  std::unique_ptr<NetworkObjective> objective_;
  std::unique_ptr<optim::Optimizer> optimizer_;
  std::unique_ptr<EarlyStopping> stopper_;
  Vector best_params_;
  Matrix val_outputs_;
  FitResult result_;
  bool finished_ = false;
  double seconds_ = 0.0;  // wall time spent in run_to
};

// Trains net (already initialised) in place; on return net holds the best epoch's weights.
// rng drives the per-epoch shuffles. Throws TrainingDiverged if the loss becomes NaN or Inf.
FitResult fit(nn::Network& net, const TrainOptions& opt, const FitData& data, Rng& rng,
              const EpochCallback& on_epoch = {});

}  // namespace nnfit::train
