// The epoch loop. Buffers (batch copies, best-weights and roll-back snapshots, validation
// outputs) are allocated before the first epoch; the batch loop itself allocates nothing.
#include "train/trainer.h"

#include <chrono>
#include <cmath>

#include "core/error.h"
#include "train/early_stopping.h"
#include "train/metrics.h"
#include "train/objective.h"
#include "train/optimizer_factory.h"

namespace nnfit::train {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Validation loss, metric and monitored value of the current weights.
void evaluate(nn::Network& net, const FitData& data, Monitor monitor, Matrix& outputs,
              EpochReport& r) {
  const Matrix& x = *data.x_val;
  const Matrix& y = *data.y_val;
  const Vector* w = data.w_val;
  r.val_loss = net.evaluate(x, y, outputs, weight_data(w)) / weight_total(w, x.cols());
  r.val_metric =
      data.classification ? accuracy(outputs, y, w) : rmse(outputs, y, w) * data.target_scale;
  r.monitored = monitor == Monitor::kValLoss ? r.val_loss
                : monitor == Monitor::kValF1 ? macro_f1(outputs, y, w)
                                             : r.val_metric;
}

StoppingRule stopping_rule(const TrainOptions& opt, Monitor monitor) {
  StoppingRule rule;
  rule.patience = opt.patience;
  rule.min_delta = opt.min_delta;
  rule.maximise = maximised(monitor);
  rule.min_epochs = opt.min_epochs;
  rule.look_ahead = opt.look_ahead;
  return rule;
}

}  // namespace

Trainer::Trainer(nn::Network& net, const TrainOptions& opt, const FitData& data, Rng& rng)
    : net_(net), opt_(with_default_lr(opt)), data_(data), rng_(rng) {
  validate(opt_);
  net_.set_dropout(opt_.dropout, opt_.seed);  // regularization: dropout, max-norm, clip-norm
  result_.monitor = parse_monitor(opt_.monitor, data_.classification);
  objective_ = std::make_unique<NetworkObjective>(net_, *data_.x_train, *data_.y_train, opt_.l1,
                                                  opt_.l2, opt_.batch_size, data_.w_train,
                                                  opt_.max_norm);
  if (training_threads() > 1) {
    pool_ = std::make_unique<WorkPool>(training_threads());
    objective_->set_pool(pool_.get());
  }
  optimizer_ = make_optimizer(opt_, data_.x_train->cols(), net_.weight_mask());
  optimizer_->set_pool(pool_.get());
  lr_ = opt_.lr;
  stopper_ = std::make_unique<EarlyStopping>(stopping_rule(opt_, result_.monitor));
  best_params_ = net_.params();
  good_params_ = net_.params();
  initial_params_ = net_.params();
}

Trainer::~Trainer() = default;

std::string Trainer::check_epoch(const optim::PassResult& pass, EpochReport& r) {
  // The pass checks each batch's loss before its step; the weights after the last step and
  // the validation loss are checked here, so no non-finite model is ever kept.
  if (pass.status == optim::PassStatus::kDiverged) return "loss is NaN or infinite";
  if (!net_.params().allFinite()) return "weights are NaN or infinite";
  // The full-batch methods report f(w) with the penalty; epoch lines show the data loss.
  r.train_loss = is_full_batch(opt_) ? pass.loss - objective_->penalty(net_.params()) : pass.loss;
  std::string exploded = explosion(r.train_loss, first_loss_);
  if (!exploded.empty()) return exploded;
  if (data_.x_val != nullptr && data_.x_val->cols() > 0) {
    evaluate(net_, data_, result_.monitor, val_outputs_, r);
    if (!std::isfinite(r.val_loss)) return "validation loss is NaN or infinite";
  }
  return "";
}

void Trainer::recover(int epoch, const std::string& reason, double rate) {
  const bool full_batch = is_full_batch(opt_);
  // newton keeps no state, and lbfgs with an empty history would repeat the same step.
  const bool pointless = full_batch && (opt_.optimizer == "newton" || fresh_optimizer_);
  const int done = static_cast<int>(result_.recoveries.size());
  if (done >= opt_.max_recoveries || pointless) {
    throw FitDiverged(diverged_message(epoch, reason, full_batch ? rate : lr_, full_batch, done,
                                       extreme_feature(*data_.x_train, data_.feature_names)),
                      result());
  }
  // The same epoch exploded to the same loss after the rate was halved: the rate is not the
  // cause but the roll-back point (an epoch's mean loss can pass while the weights at its end
  // do not), so go back to the initial weights.
  const bool stuck = done > 0 && result_.recoveries.back().epoch == epoch &&
                     result_.recoveries.back().reason == reason;
  if (stuck) {
    good_params_ = initial_params_;
    good_is_initial_ = true;
  }
  const double new_lr = full_batch ? lr_ : lr_ / 2;
  result_.recoveries.push_back({epoch, lr_, new_lr, reason, good_is_initial_});
  lr_ = new_lr;
  net_.params() = good_params_;
  optimizer_ =
      make_optimizer(restart_options(opt_, lr_, epoch), data_.x_train->cols(), net_.weight_mask());
  optimizer_->set_pool(pool_.get());
  fresh_optimizer_ = true;
}

void Trainer::accept_epoch(const optim::PassResult& pass, EpochReport& r,
                           const EpochCallback& on_epoch) {
  const bool has_val = data_.x_val != nullptr && data_.x_val->cols() > 0;
  fresh_optimizer_ = false;
  if (r.epoch == 1) first_loss_ = r.train_loss;
  good_params_ = net_.params();
  good_is_initial_ = false;
  // plateau schedules watch --monitor (negated when it is maximised), or the training loss.
  const double watched = !has_val                    ? r.train_loss
                         : maximised(result_.monitor) ? -r.monitored
                                                      : r.monitored;
  optimizer_->end_epoch(watched);
  // Without validation the last epoch is the one kept, so every epoch counts as the best.
  r.improved = has_val ? stopper_->update(r.epoch, r.monitored) : true;
  if (r.improved) {
    best_params_ = net_.params();
    result_.best = r;
  }
  result_.history.push_back(r);
  result_.epochs_run = r.epoch;
  if (on_epoch) on_epoch(r);
  result_.converged =
      pass.status == optim::PassStatus::kConverged || pass.status == optim::PassStatus::kStalled;
  const bool stop = has_val && stopper_->should_stop();
  result_.stopped_early = stop && !result_.interrupted && r.epoch < opt_.epochs;
  finished_ = result_.interrupted || stop || result_.converged || r.epoch == opt_.epochs;
  result_.still_improving = has_val && r.epoch == opt_.epochs && result_.best.epoch == r.epoch &&
                            !result_.interrupted && !result_.converged;
}

void Trainer::run_to(int epochs, const EpochCallback& on_epoch) {
  const auto t_run = Clock::now();
  while (!finished_ && result_.epochs_run < std::min(epochs, opt_.epochs)) {
    if (data_.interrupt != nullptr && data_.interrupt->load()) {  // set before this epoch began
      result_.interrupted = finished_ = true;
      break;
    }
    const auto t_epoch = Clock::now();
    EpochReport r;
    r.epoch = result_.epochs_run + 1;
    r.classification = data_.classification;
    const optim::PassResult pass =
        optimizer_->pass(*objective_, net_.params(), {&rng_, data_.interrupt});
    r.lr = pass.rate;
    result_.interrupted = data_.interrupt != nullptr && data_.interrupt->load();
    const std::string failure = check_epoch(pass, r);
    if (!failure.empty()) {
      recover(r.epoch, failure, pass.rate);  // or throws; the epoch is then redone
      continue;
    }
    r.seconds = seconds_since(t_epoch);
    accept_epoch(pass, r, on_epoch);
  }
  seconds_ += seconds_since(t_run);
}

FitResult Trainer::result() const {
  FitResult result = result_;
  result.best_epoch = result.best.epoch;
  result.train_seconds = seconds_;
  const double examples =
      static_cast<double>(data_.x_train->cols()) * static_cast<double>(result.epochs_run);
  result.samples_per_second = seconds_ > 0 ? examples / seconds_ : 0.0;
  return result;
}

FitResult fit(nn::Network& net, const TrainOptions& opt, const FitData& data, Rng& rng,
              const EpochCallback& on_epoch) {
  Trainer trainer(net, opt, data, rng);
  trainer.run_to(opt.epochs, on_epoch);
  net.params() = trainer.best_params();
  return trainer.result();
}

}  // namespace nnfit::train
