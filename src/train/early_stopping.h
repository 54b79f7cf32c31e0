// Early stopping on a monitored loss (lower is better) with patience and min-delta.
#pragma once

namespace nnfit::train {

class EarlyStopping {
 public:
  EarlyStopping(int patience, double min_delta) : patience_(patience), min_delta_(min_delta) {}
  // Records the loss of `epoch` (1-based). Returns true if it is a new best: lower than the best
  // so far by more than min_delta (the first finite loss is always a new best; NaN or Inf never
  // is).
  bool update(int epoch, double loss);
  // True once `patience` consecutive epochs have passed without a new best.
  bool should_stop() const { return bad_epochs_ >= patience_; }
  int best_epoch() const { return best_epoch_; }
  double best_loss() const { return best_loss_; }

 private:
  int patience_;
  double min_delta_;
  int best_epoch_ = 0;
  double best_loss_ = 0.0;
  int bad_epochs_ = 0;
};

}  // namespace nnfit::train
