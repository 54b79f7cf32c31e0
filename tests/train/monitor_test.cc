// --monitor, --min-epochs and the still-improving flag through train::Trainer.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "testing/networks.h"
#include "train/trainer.h"

namespace nnfit::train {
namespace {

nn::Network softmax_net(std::uint64_t seed) {
  return test::small_network(2, {8}, nn::Activation::kTanh, 3, nn::LossKind::kSoftmaxNll, seed);
}

// Three classes by angle sector with 20 % of the labels scrambled: the accuracy levels off
// early while the loss keeps moving, so the two monitors disagree on the best epoch.
struct Noisy {
  Matrix x{2, 300}, y{1, 300}, x_val{2, 90}, y_val{1, 90};
  Noisy() {
    Rng rng(8);
    const auto draw = [&](Matrix& a, Matrix& t) {
      for (Index j = 0; j < a.cols(); ++j) {
        a(0, j) = static_cast<Scalar>(rng.uniform(-1, 1));
        a(1, j) = static_cast<Scalar>(rng.uniform(-1, 1));
        const double angle = std::atan2(a(1, j), a(0, j)) + M_PI;
        int c = static_cast<int>(angle / (2 * M_PI / 3)) % 3;
        if (rng.uniform() < 0.2) c = static_cast<int>(rng.below(3));
        t(0, j) = static_cast<Scalar>(c);
      }
    };
    draw(x, y);
    draw(x_val, y_val);
  }
  FitData data() const { return {&x, &y, &x_val, &y_val, true, 1.0}; }
};

FitResult run(const Noisy& d, const std::string& monitor, int epochs = 40) {
  TrainOptions opt;
  opt.hidden = {8};
  opt.lr = 0.05;
  opt.epochs = epochs;
  opt.patience = 1000;  // every run sees the same epochs; only the choice of best differs
  opt.min_delta = 0;
  opt.monitor = monitor;
  nn::Network net = softmax_net(3);
  Rng rng(2);
  return fit(net, opt, d.data(), rng);
}

int first_best(const FitResult& r, bool maximise) {
  int best = 0;
  double value = 0.0;
  for (const EpochReport& e : r.history) {
    if (best == 0 || (maximise ? e.monitored > value : e.monitored < value)) {
      best = e.epoch;
      value = e.monitored;
    }
  }
  return best;
}

TEST(MonitorTest, EachMonitorPicksItsOwnBestEpoch) {
  const Noisy d;
  const FitResult loss = run(d, "val_loss");
  const FitResult acc = run(d, "val_accuracy");
  const FitResult f1 = run(d, "val_f1");
  EXPECT_EQ(loss.monitor, Monitor::kValLoss);
  EXPECT_EQ(loss.best_epoch, first_best(loss, false));
  EXPECT_EQ(acc.best_epoch, first_best(acc, true));  // ties: the earlier epoch stays best
  EXPECT_EQ(f1.best_epoch, first_best(f1, true));
  EXPECT_NE(acc.best_epoch, loss.best_epoch);
  for (const EpochReport& e : acc.history) EXPECT_EQ(e.monitored, e.val_metric);
  for (const EpochReport& e : loss.history) EXPECT_EQ(e.monitored, e.val_loss);
  for (const EpochReport& e : f1.history) {
    EXPECT_GE(e.monitored, 0.0);
    EXPECT_LE(e.monitored, 1.0);
  }
}

TEST(MonitorTest, AMetricTheTaskHasNotIsAConfigError) {
  const Noisy d;
  TrainOptions opt;
  opt.monitor = "val_rmse";
  nn::Network net = softmax_net(1);
  Rng rng(1);
  EXPECT_THROW(Trainer(net, opt, d.data(), rng), ConfigError);
  const FitData regression{&d.x, &d.y, &d.x_val, &d.y_val, false, 1.0};
  opt.monitor = "val_accuracy";
  EXPECT_THROW(Trainer(net, opt, regression, rng), ConfigError);
}

TEST(MonitorTest, MinEpochsHoldsOffTheStop) {
  const Noisy d;
  TrainOptions opt;
  opt.hidden = {8};
  opt.lr = 0.05;
  opt.epochs = 200;
  opt.patience = 2;
  nn::Network a = softmax_net(3);
  nn::Network b = a;
  Rng ra(2), rb(2);
  const FitResult plain = fit(a, opt, d.data(), ra);
  ASSERT_TRUE(plain.stopped_early);
  opt.min_epochs = plain.epochs_run + 10;
  const FitResult held = fit(b, opt, d.data(), rb);
  EXPECT_GE(held.epochs_run, opt.min_epochs);
}

TEST(MonitorTest, StillImprovingAtTheEpochLimit) {
  Matrix x(1, 8), y(1, 8);
  x << 1, 2, 3, 4, 5, 6, 7, 8;
  y = x;  // as TrainerTest.BestEpochIsKeptWhenEpochLimitComesFirst
  const Matrix y_bad = -y;
  TrainOptions opt;
  opt.optimizer = "sgd";  // plain gradient steps: every epoch moves towards y
  opt.hidden = {};
  opt.lr = 0.001;
  opt.epochs = 5;
  const auto train = [&](const Matrix* y_val) {
    nn::Network net =
        test::small_network(1, {}, nn::Activation::kIdentity, 1, nn::LossKind::kSquaredError, 1);
    Rng rng(1);
    return fit(net, opt, {&x, &y, y_val ? &x : nullptr, y_val, false, 1.0}, rng);
  };
  const FitResult improving = train(&y);  // validation = training rows: better every epoch
  EXPECT_EQ(improving.best_epoch, 5);
  EXPECT_TRUE(improving.still_improving);
  const FitResult worse = train(&y_bad);
  ASSERT_LT(worse.best_epoch, 5);
  EXPECT_FALSE(worse.still_improving);
  EXPECT_FALSE(train(nullptr).still_improving);  // without validation nothing is monitored
}

}  // namespace
}  // namespace nnfit::train
