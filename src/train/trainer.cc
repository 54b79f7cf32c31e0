// The epoch loop. Buffers (batch copies, best-weights snapshot, validation outputs) are
// allocated before the first epoch; the batch loop itself allocates nothing.
#include "train/trainer.h"

#include <chrono>
#include <cmath>
#include <sstream>

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

[[noreturn]] void diverged(int epoch, double lr, bool full_batch) {
  std::ostringstream os;
  os << "training diverged in epoch " << epoch << " (loss is NaN or infinite)";
  if (full_batch) {
    os << " with a line-search step of " << lr << "; try --l2 or --optimizer adam";
  } else {
    os << " with --lr " << lr << "; try a smaller --lr or --momentum";
  }
  os << " (no model was saved)";
  throw TrainingDiverged(os.str());
}

// Validation loss and metric of the current weights.
void evaluate(nn::Network& net, const FitData& data, Matrix& outputs, EpochReport& r) {
  const Matrix& x = *data.x_val;
  const Matrix& y = *data.y_val;
  const Vector* w = data.w_val;
  r.val_loss = net.evaluate(x, y, outputs, weight_data(w)) / weight_total(w, x.cols());
  r.val_metric =
      data.classification ? accuracy(outputs, y, w) : rmse(outputs, y, w) * data.target_scale;
}

}  // namespace

Trainer::Trainer(nn::Network& net, const TrainOptions& opt, const FitData& data, Rng& rng)
    : net_(net), opt_(opt), data_(data), rng_(rng) {
  validate(opt_);
  net_.set_dropout(opt_.dropout, opt_.seed);  // regularization: dropout, max-norm, clip-norm
  objective_ = std::make_unique<NetworkObjective>(net_, *data_.x_train, *data_.y_train, opt_.l1,
                                                  opt_.l2, opt_.batch_size, data_.w_train,
                                                  opt_.max_norm);
  optimizer_ = make_optimizer(opt_, data_.x_train->cols(), net_.weight_mask());
  stopper_ = std::make_unique<EarlyStopping>(opt_.patience, opt_.min_delta);
  best_params_ = net_.params();
}

Trainer::~Trainer() = default;

void Trainer::run_to(int epochs, const EpochCallback& on_epoch) {
  const bool has_val = data_.x_val != nullptr && data_.x_val->cols() > 0;
  const auto t_run = Clock::now();
  for (int epoch = result_.epochs_run + 1; !finished_ && epoch <= std::min(epochs, opt_.epochs);
       ++epoch) {
    if (data_.interrupt != nullptr && data_.interrupt->load()) {  // set before this epoch began
      result_.interrupted = finished_ = true;
      break;
    }
    const auto t_epoch = Clock::now();
    EpochReport r;
    r.epoch = epoch;
    r.classification = data_.classification;
    const optim::PassResult pass =
        optimizer_->pass(*objective_, net_.params(), {&rng_, data_.interrupt});
    // The pass checks each batch's loss before its step; the weights after the last step and
    // the validation loss are checked here, so no non-finite model is ever kept.
    r.lr = pass.rate;
    const bool full_batch = is_full_batch(opt_);
    if (pass.status == optim::PassStatus::kDiverged || !net_.params().allFinite()) {
      diverged(epoch, r.lr, full_batch);
    }
    // The full-batch methods report f(w) with the penalty; epoch lines show the data loss.
    r.train_loss = full_batch ? pass.loss - objective_->penalty(net_.params()) : pass.loss;
    result_.interrupted = data_.interrupt != nullptr && data_.interrupt->load();
    if (has_val) {
      evaluate(net_, data_, val_outputs_, r);
      if (!std::isfinite(r.val_loss)) diverged(epoch, r.lr, full_batch);
    }
    optimizer_->end_epoch(has_val ? r.val_loss : r.train_loss);  // plateau schedules
    // Without validation the last epoch is the one kept, so every epoch counts as the best.
    r.improved = has_val ? stopper_->update(epoch, r.val_loss) : true;
    r.seconds = seconds_since(t_epoch);
    if (r.improved) {
      best_params_ = net_.params();
      result_.best = r;
    }
    result_.history.push_back(r);
    result_.epochs_run = epoch;
    if (on_epoch) on_epoch(r);
    result_.converged =
        pass.status == optim::PassStatus::kConverged || pass.status == optim::PassStatus::kStalled;
    const bool stop = has_val && stopper_->should_stop();
    result_.stopped_early = stop && !result_.interrupted && epoch < opt_.epochs;
    finished_ = result_.interrupted || stop || result_.converged || epoch == opt_.epochs;
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
