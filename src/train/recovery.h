// Divergence recovery for the epoch loop (train::Trainer): what counts as a divergence, the
// options of the optimizer rebuilt after a roll-back, and the message of a run that could not be
// recovered.
//
// An epoch has diverged when its pass met a non-finite batch loss, when the weights after it or
// its validation loss are not finite, or when its training loss exploded: above
// kExplosionFactor times the first good epoch's training loss, or above kExplosionFactor if
// that was below 1 or in the first epoch itself (the losses are of standardised targets or
// cross-entropies, of order 1 at the start). The Trainer then rolls the weights back to the end of
// the last good epoch, halves the rate and rebuilds the optimizer (fresh moments; the schedule
// restarts over the remaining epochs), and redoes the epoch under the same number.
#pragma once

#include <string>
#include <vector>

#include "core/types.h"
#include "train/config.h"

namespace nnfit::train {

inline constexpr double kExplosionFactor = 1e3;

// One roll-back: the epoch that failed (and is redone), the rate before and after (equal for
// lbfgs, whose history is reset instead), why, and whether the weights went back to the
// initial ones (epoch 1, or a roll-back point that itself explodes; see Trainer::recover).
struct Recovery {
  int epoch = 0;
  double old_lr = 0.0;
  double new_lr = 0.0;
  std::string reason;
  bool to_initial = false;
};

// Why an epoch's training loss counts as exploded given the first good epoch's loss (NaN
// before it is known), or "" if it does not.
std::string explosion(double train_loss, double first_loss);

// The options of the optimizer rebuilt after a roll-back in epoch `epoch` at rate lr: lr and
// lr_min scaled alike, and the schedule's run shortened to the epochs left from `epoch` on.
TrainOptions restart_options(const TrainOptions& opt, double lr, int epoch);

// "feature 'x3' has scaled values up to 47 standard deviations; consider clipping it or a log
// transform" for the input row of x (standardised) with the largest |value|, if that is at
// least kExtremeZ; "" otherwise. names: one per row of x (may be null: "input 3").
inline constexpr double kExtremeZ = 10.0;
std::string extreme_feature(const Matrix& x, const std::vector<std::string>* names);

// The TrainingDiverged message of a run that diverged in `epoch` for `reason` with rate lr,
// after `recoveries` roll-backs.
std::string diverged_message(int epoch, const std::string& reason, double lr, bool full_batch,
                             int recoveries, const std::string& feature_hint);

}  // namespace nnfit::train
