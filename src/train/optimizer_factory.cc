// Optimizer construction from TrainOptions (see optimizer_factory.h).
#include "train/optimizer_factory.h"

#include <algorithm>
#include <sstream>

#include "core/error.h"
#include "optim/lbfgs.h"
#include "optim/minibatch.h"
#include "optim/newton.h"
#include "optim/step_rules.h"

namespace nnfit::train {
namespace {

std::unique_ptr<optim::StepRule> make_rule(const TrainOptions& opt, const Vector& mask) {
  const Index dim = mask.size();
  if (opt.optimizer == "sgd") {
    return std::make_unique<optim::Momentum>(dim, opt.momentum, opt.nesterov);
  }
  if (opt.optimizer == "adam") {
    return std::make_unique<optim::Adam>(dim, opt.beta1, opt.beta2, opt.epsilon);
  }
  if (opt.optimizer == "adamw") {
    return std::make_unique<optim::Adam>(dim, opt.beta1, opt.beta2, opt.epsilon, opt.weight_decay,
                                         mask);
  }
  throw ConfigError("unknown --optimizer '" + opt.optimizer +
                    "'; use sgd, adam, adamw, lbfgs or newton");
}

}  // namespace

optim::ScheduleOptions schedule_options(const TrainOptions& opt, Index examples) {
  optim::ScheduleOptions s;
  s.kind = optim::parse_schedule(opt.lr_schedule);
  s.unit = opt.lr_unit == "update" ? optim::ScheduleUnit::kUpdate : optim::ScheduleUnit::kEpoch;
  s.alpha = opt.lr;
  s.delta = opt.lr_decay;
  const Index batch = std::max<Index>(1, std::min(opt.batch_size, examples));
  const long per_epoch = s.unit == optim::ScheduleUnit::kUpdate
                             ? static_cast<long>((examples + batch - 1) / batch)
                             : 1;
  s.warmup = opt.lr_warmup;
  s.horizon = std::max(1L, static_cast<long>(opt.epochs) * per_epoch - s.warmup);
  s.floor = opt.lr_min;
  s.factor = opt.lr_factor;
  s.patience = opt.lr_patience;
  s.min_delta = opt.min_delta;
  s.warmup_kind =
      opt.lr_warmup_kind == "constant" ? optim::WarmupKind::kConstant : optim::WarmupKind::kLinear;
  return s;
}

std::string describe_optimizer(const TrainOptions& given, Index examples) {
  const TrainOptions opt = with_default_lr(given);
  std::ostringstream os;
  os << "optimizer " << opt.optimizer;
  if (opt.optimizer == "sgd") {
    os << " (" << (opt.nesterov ? "nesterov " : "") << "momentum " << opt.momentum << ")";
  } else if (opt.optimizer == "adam" || opt.optimizer == "adamw") {
    os << " (beta1 " << opt.beta1 << ", beta2 " << opt.beta2 << ", epsilon " << opt.epsilon;
    if (opt.optimizer == "adamw") os << ", weight decay " << opt.weight_decay;
    os << ")";
  }
  if (is_full_batch(opt)) {
    os << ", full batch, at most " << opt.epochs << " iterations, tol " << opt.tol;
    return os.str();
  }
  const optim::ScheduleOptions s = schedule_options(opt, examples);
  const char* unit = s.unit == optim::ScheduleUnit::kUpdate ? "updates" : "epochs";
  os << ", lr " << opt.lr << " " << opt.lr_schedule;
  if (opt.lr_schedule == "inverse" || opt.lr_schedule == "power") os << " decay " << opt.lr_decay;
  if (opt.lr_schedule == "cosine") os << " to " << opt.lr_min << " over " << s.horizon << " " << unit;
  if (opt.lr_schedule == "plateau") {
    os << " (/" << opt.lr_factor << " after " << opt.lr_patience << " epochs without improvement"
       << ", floor " << opt.lr_min << ")";
    unit = "epochs";
  }
  if (opt.lr_warmup > 0) os << " after a " << opt.lr_warmup_kind << " warm-up of " << opt.lr_warmup;
  os << " (t counts " << unit << ")";
  return os.str();
}

std::unique_ptr<optim::Optimizer> make_optimizer(const TrainOptions& opt, Index examples,
                                                 const Vector& weight_mask) {
  if (opt.optimizer == "lbfgs") {
    optim::LbfgsOptions o;
    o.history = opt.lbfgs_history;
    o.gtol = opt.tol;
    o.ftol = opt.tol * 1e-4;
    return std::make_unique<optim::Lbfgs>(weight_mask.size(), o);
  }
  if (opt.optimizer == "newton") {
    optim::NewtonOptions o;
    o.gtol = opt.tol;
    return std::make_unique<optim::Newton>(weight_mask.size(), o);
  }
  return std::make_unique<optim::MiniBatch>(make_rule(opt, weight_mask),
                                            optim::Schedule(schedule_options(opt, examples)),
                                            opt.batch_size, opt.clip_norm);
}

}  // namespace nnfit::train
