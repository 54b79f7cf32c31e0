// The optimizer a TrainOptions asks for, built over the flat parameter vector of a network:
//   sgd     mini-batch steps with heavy-ball momentum (or Nesterov with --nesterov)
//   adam    mini-batch Adam; adamw adds decoupled weight decay on weights (not biases)
//   lbfgs   full-batch L-BFGS with a strong Wolfe line search; one iteration per "epoch"
//   newton  full-batch damped Newton (small networks only, optim::kNewtonMaxParams)
// The SGD family's rate follows --lr-schedule, counted in --lr-unit units.
#pragma once

#include <memory>
#include <string>

#include "optim/optimizer.h"
#include "optim/schedule.h"
#include "train/config.h"

namespace nnfit::train {

// The schedule of the SGD family for a run over `examples` training rows (the cosine horizon
// is the run's length after warm-up: epochs, or epochs * batches per epoch for --lr-unit update).
optim::ScheduleOptions schedule_options(const TrainOptions& opt, Index examples);

// One line for the log: the optimizer, its settings and the schedule with what t counts, e.g.
// "optimizer sgd (momentum 0.9), lr 0.01 cosine to 0 over 200 epochs (t counts epochs)".
std::string describe_optimizer(const TrainOptions& opt, Index examples);

// weight_mask: 1 for weights, 0 for biases (nn::Network::weight_mask()), for AdamW's decay.
// Throws ConfigError for an unknown optimizer, or newton on a network that is too large.
std::unique_ptr<optim::Optimizer> make_optimizer(const TrainOptions& opt, Index examples,
                                                 const Vector& weight_mask);

}  // namespace nnfit::train
