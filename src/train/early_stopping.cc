// Early stopping bookkeeping.
#include "train/early_stopping.h"

#include <cmath>

namespace nnfit::train {

bool EarlyStopping::update(int epoch, double loss) {
  if (std::isfinite(loss) && (best_epoch_ == 0 || loss < best_loss_ - min_delta_)) {
    best_epoch_ = epoch;
    best_loss_ = loss;
    bad_epochs_ = 0;
    return true;
  }
  ++bad_epochs_;
  return false;
}

}  // namespace nnfit::train
