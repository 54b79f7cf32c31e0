// Divergence recovery: roll-back, halved rate, events, the give-up message, and that recovery
// keeps reproducibility and continuation (train/recovery.h, train::Trainer).
#include "train/recovery.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "testing/networks.h"
#include "train/trainer.h"

namespace nnfit::train {
namespace {

nn::Network linear_net(Index in, std::uint64_t seed) {
  return test::small_network(in, {}, nn::Activation::kIdentity, 1, nn::LossKind::kSquaredError,
                             seed);
}

// y = x0 - 2 x1 + 0.5 x2 on uniform(-1, 1) inputs: plain SGD (no momentum) on this linear
// least-squares problem is stable below a rate of about 2 (2 / the Hessian's largest
// eigenvalue, about 1 for the bias) and blows up above it.
struct Problem {
  Matrix x{3, 200}, y{1, 200}, x_val{3, 50}, y_val{1, 50};
  Problem() {
    Rng rng(4);
    const auto draw = [&](Matrix& a, Matrix& t) {
      for (Index j = 0; j < a.cols(); ++j) {
        for (Index i = 0; i < 3; ++i) a(i, j) = static_cast<Scalar>(rng.uniform(-1, 1));
        t(0, j) = a(0, j) - 2 * a(1, j) + 0.5f * a(2, j);
      }
    };
    draw(x, y);
    draw(x_val, y_val);
  }
  FitData data() const { return {&x, &y, &x_val, &y_val, false, 1.0}; }
};

TrainOptions huge_rate() {
  TrainOptions opt;
  opt.optimizer = "sgd";  // plain steps: the rate alone decides divergence
  opt.hidden = {};
  opt.lr = 1536.0;  // 2^-10 of it, 1.5, is stable
  opt.momentum = 0.0;
  opt.epochs = 30;
  opt.patience = 1000;
  opt.max_recoveries = 12;
  return opt;
}

TEST(RecoveryTest, AHugeRateIsHalvedUntilTrainingWorks) {
  const Problem p;
  nn::Network net = linear_net(3, 1);
  Rng rng(1);
  const FitResult r = fit(net, huge_rate(), p.data(), rng);
  ASSERT_GE(r.recoveries.size(), 2u);
  double lr = 1536.0;
  for (const Recovery& e : r.recoveries) {
    EXPECT_EQ(e.old_lr, lr);
    EXPECT_EQ(e.new_lr, lr / 2);
    EXPECT_FALSE(e.reason.empty());
    if (e.epoch == 1) EXPECT_TRUE(e.to_initial);  // nothing earlier to roll back to
    lr /= 2;
  }
  EXPECT_EQ(r.history.back().lr, lr);  // the epochs after the last recovery run at its rate
  ASSERT_EQ(r.history.size(), 30u);    // a redone epoch replaces the failed one
  for (std::size_t e = 0; e < r.history.size(); ++e) EXPECT_EQ(r.history[e].epoch, int(e) + 1);
  EXPECT_TRUE(net.params().allFinite());
  EXPECT_LT(r.best.val_loss, 1e-3);  // and it learned
}

TEST(RecoveryTest, NoRecoveriesIsTheOldImmediateFailure) {
  const Problem p;
  nn::Network net = linear_net(3, 1);
  TrainOptions opt = huge_rate();
  opt.max_recoveries = 0;
  Rng rng(1);
  try {
    fit(net, opt, p.data(), rng);
    FAIL() << "expected FitDiverged";
  } catch (const FitDiverged& e) {
    EXPECT_TRUE(e.partial.recoveries.empty());
    EXPECT_EQ(e.partial.epochs_run, 0);
    EXPECT_NE(std::string(e.what()).find("training diverged in epoch 1"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("try a smaller --lr"), std::string::npos) << e.what();
  }
}

TEST(RecoveryTest, GivingUpKeepsTheHistoryAndTheEvents) {
  const Problem p;
  nn::Network net = linear_net(3, 1);
  TrainOptions opt = huge_rate();
  opt.max_recoveries = 2;  // 1536 -> 384 still explodes
  Rng rng(1);
  try {
    fit(net, opt, p.data(), rng);
    FAIL() << "expected FitDiverged";
  } catch (const FitDiverged& e) {
    EXPECT_EQ(e.partial.recoveries.size(), 2u);
    EXPECT_NE(std::string(e.what()).find("after 2 recoveries"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--lr 384"), std::string::npos) << e.what();
  }
}

// The same seed gives the same run, recoveries included, and a run continued in steps, one of
// them ending just before the epoch that is rolled back, equals one go.
TEST(RecoveryTest, ContinuingInStepsEqualsOneGoWithARecoveryInside) {
  const Problem p;
  TrainOptions opt = huge_rate();
  opt.lr = 2.2;  // grows slowly: a few epochs pass before the loss explodes
  nn::Network once = linear_net(3, 2);
  nn::Network steps = once;
  Rng rng_once(5), rng_steps(5);
  const FitResult a = fit(once, opt, p.data(), rng_once);
  ASSERT_FALSE(a.recoveries.empty());
  const int first = a.recoveries.front().epoch;
  ASSERT_GT(first, 1) << "the test needs a recovery after the first epoch";
  Trainer t(steps, opt, p.data(), rng_steps);
  t.run_to(first - 1);
  EXPECT_TRUE(t.result().recoveries.empty());
  t.run_to(first);
  t.run_to(opt.epochs);
  const FitResult b = t.result();
  ASSERT_EQ(b.recoveries.size(), a.recoveries.size());
  for (std::size_t i = 0; i < a.recoveries.size(); ++i) {
    EXPECT_EQ(b.recoveries[i].epoch, a.recoveries[i].epoch);
    EXPECT_EQ(b.recoveries[i].new_lr, a.recoveries[i].new_lr);
  }
  ASSERT_EQ(b.history.size(), a.history.size());
  for (std::size_t e = 0; e < a.history.size(); ++e) {
    EXPECT_EQ(b.history[e].val_loss, a.history[e].val_loss) << "epoch " << e + 1;
  }
  EXPECT_TRUE(t.best_params() == once.params());
}

TEST(RecoveryTest, ExplosionBound) {
  EXPECT_TRUE(explosion(0.5, std::nan("")).empty());
  EXPECT_FALSE(explosion(2e3, std::nan("")).empty());  // epoch 1: the absolute bound
  EXPECT_TRUE(explosion(900, 0.01).empty());           // 1000 x max(1, first)
  EXPECT_FALSE(explosion(1100, 0.01).empty());
  EXPECT_TRUE(explosion(4e3, 5.0).empty());
  EXPECT_FALSE(explosion(6e3, 5.0).empty());
}

TEST(RecoveryTest, RestartOptionsScaleTheScheduleAndShortenIt) {
  TrainOptions opt;
  opt.lr = 0.1;
  opt.lr_min = 0.01;
  opt.epochs = 50;
  const TrainOptions o = restart_options(opt, 0.05, 11);
  EXPECT_DOUBLE_EQ(o.lr, 0.05);
  EXPECT_DOUBLE_EQ(o.lr_min, 0.005);
  EXPECT_EQ(o.epochs, 40);  // epochs 11..50
}

TEST(RecoveryTest, TheMostExtremeFeatureIsNamed) {
  Matrix x(3, 4);
  x << 0.1f, -1, 2, 0.5f,  //
      0, 47.0f, -3, 1,     //
      1, 1, -12, 1;
  const std::vector<std::string> names{"a", "x3", "c"};
  const std::string hint = extreme_feature(x, &names);
  EXPECT_NE(hint.find("feature 'x3' has scaled values up to 47 standard deviations"),
            std::string::npos)
      << hint;
  EXPECT_NE(extreme_feature(x, nullptr).find("input 2"), std::string::npos);
  EXPECT_TRUE(extreme_feature(Matrix::Constant(2, 3, 3.0f), &names).empty());  // nothing extreme
}

}  // namespace
}  // namespace nnfit::train
