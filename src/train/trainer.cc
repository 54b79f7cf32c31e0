// The epoch loop. Buffers (batch copies, best-weights snapshot, validation outputs) are
// allocated before the first epoch; the batch loop itself allocates nothing.
#include "train/trainer.h"

#include <chrono>
#include <cmath>
#include <numeric>
#include <sstream>

#include "core/error.h"
#include "optim/sgd.h"
#include "train/early_stopping.h"
#include "train/metrics.h"

namespace nnfit::train {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

[[noreturn]] void diverged(int epoch, double lr) {
  std::ostringstream os;
  os << "training diverged in epoch " << epoch << " (loss is NaN or infinite) with --lr " << lr
     << "; try a smaller --lr or --momentum";
  throw TrainingDiverged(os.str());
}

// Copies the columns order[begin, begin+B) of src into the first B columns of dst.
void gather(const Matrix& src, const std::vector<Index>& order, Index begin, Index B, Matrix& dst) {
  for (Index j = 0; j < B; ++j) dst.col(j) = src.col(order[static_cast<std::size_t>(begin + j)]);
}

}  // namespace

// One pass over the training data in a fresh random order; returns the mean batch loss.
class EpochRunner {
 public:
  EpochRunner(nn::Network& net, const TrainOptions& opt, const FitData& data)
      : net_(net),
        x_(*data.x_train),
        y_(*data.y_train),
        batch_(std::min<Index>(opt.batch_size, x_.cols())),
        sgd_(net.param_count(), {opt.momentum, opt.l1, opt.l2}),
        order_(static_cast<std::size_t>(x_.cols())),
        xb_(x_.rows(), batch_),
        yb_(y_.rows(), batch_) {
    net_.reserve(batch_);
  }

  // One epoch; stops after the current batch once *interrupt is set (then the loss is the mean
  // over the batches run).
  double run(Rng& rng, double lr, int epoch, const std::atomic<bool>* interrupt) {
    std::iota(order_.begin(), order_.end(), Index{0});
    rng.shuffle(order_);
    const Index n = x_.cols();
    double loss_sum = 0.0;
    Index seen = 0;
    for (Index begin = 0; begin < n; begin += batch_) {
      const Index B = std::min(batch_, n - begin);
      double loss;
      if (B == 1) {  // per-example SGD: a column is contiguous, no copy needed
        const Index j = order_[static_cast<std::size_t>(begin)];
        loss = net_.forward_backward(x_.col(j), y_.col(j));
      } else {
        gather(x_, order_, begin, B, xb_);
        gather(y_, order_, begin, B, yb_);
        loss = net_.forward_backward(xb_.leftCols(B), yb_.leftCols(B));
      }
      if (!std::isfinite(loss)) diverged(epoch, lr);
      loss_sum += loss * static_cast<double>(B);
      seen += B;
      sgd_.step(net_.params(), net_.grads(), net_.weight_mask(), lr);
      if (interrupt != nullptr && interrupt->load(std::memory_order_relaxed)) break;
    }
    return loss_sum / static_cast<double>(seen);
  }

 private:
  nn::Network& net_;
  const Matrix& x_;
  const Matrix& y_;
  Index batch_;
  optim::Sgd sgd_;
  std::vector<Index> order_;
  Matrix xb_, yb_;
};

namespace {

// Validation loss and metric of the current weights.
void evaluate(nn::Network& net, const FitData& data, Matrix& outputs, EpochReport& r) {
  const Matrix& x = *data.x_val;
  const Matrix& y = *data.y_val;
  r.val_loss = net.evaluate(x, y, outputs) / static_cast<double>(x.cols());
  r.val_metric = data.classification ? accuracy(outputs, y) : rmse(outputs, y) * data.target_scale;
}

}  // namespace

Trainer::Trainer(nn::Network& net, const TrainOptions& opt, const FitData& data, Rng& rng)
    : net_(net), opt_(opt), data_(data), rng_(rng) {
  validate(opt_);
  runner_ = std::make_unique<EpochRunner>(net_, opt_, data_);
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
    r.lr = opt_.lr;
    r.classification = data_.classification;
    r.train_loss = runner_->run(rng_, opt_.lr, epoch, data_.interrupt);
    result_.interrupted = data_.interrupt != nullptr && data_.interrupt->load();
    if (has_val) evaluate(net_, data_, val_outputs_, r);
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
    const bool stop = has_val && stopper_->should_stop();
    result_.stopped_early = stop && !result_.interrupted && epoch < opt_.epochs;
    finished_ = result_.interrupted || stop || epoch == opt_.epochs;
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
