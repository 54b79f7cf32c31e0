// Early stopping on a monitored validation quantity (--monitor): patience, min-delta, a minimum
// number of epochs and the source's look-ahead, which lets patience grow with the epoch of the
// last significant improvement.
#pragma once

#include <string>

namespace nnfit::train {

// What early stopping and the best epoch watch (TrainOptions::monitor).
enum class Monitor { kValLoss, kValAccuracy, kValF1, kValRmse };

// "val_loss", "val_accuracy", "val_f1", "val_rmse".
std::string monitor_name(Monitor m);
// The monitor of TrainOptions::monitor for a classification (or regression) target. Throws
// ConfigError naming --monitor and what to use: val_accuracy and val_f1 need classes, val_rmse
// a regression target.
Monitor parse_monitor(const std::string& name, bool classification);
// Accuracy and F1 are maximised, loss and RMSE minimised.
bool maximised(Monitor m);

struct StoppingRule {
  int patience = 20;        // epochs without a new best before the stop, >= 1
  double min_delta = 0.0;   // a new best beats the best by more than this (metric units)
  bool maximise = false;    // higher is better (accuracy, F1)
  int min_epochs = 0;       // no stop before this epoch
  double look_ahead = 0.0;  // > 0: a new best at epoch t raises patience to t * look_ahead
};

class EarlyStopping {
 public:
  explicit EarlyStopping(const StoppingRule& rule);
  EarlyStopping(int patience, double min_delta)
      : EarlyStopping(StoppingRule{patience, min_delta}) {}
  // Records the monitored value of `epoch` (1-based). Returns true if it is a new best: better
  // than the best so far by more than min_delta (the first finite value is always a new best;
  // NaN or Inf never is; a tie keeps the earlier epoch). A new best at epoch t with look_ahead
  // raises patience to max(patience, t * look_ahead); patience never shrinks.
  bool update(int epoch, double value);
  // True once `patience` consecutive epochs have passed without a new best and the last epoch
  // recorded is at least min_epochs.
  bool should_stop() const;
  int best_epoch() const { return best_epoch_; }
  double best_value() const { return best_; }
  // The patience in force (grown by look-ahead), in epochs (may be fractional).
  double patience() const { return patience_; }

 private:
  StoppingRule rule_;
  double patience_;
  int best_epoch_ = 0;
  double best_ = 0.0;
  int bad_epochs_ = 0;
  int last_epoch_ = 0;
};

}  // namespace nnfit::train
