// The optimizer and schedule TrainOptions ask for: continuing a run (successive halving) stays
// bit-identical to one go for every optimizer and schedule; full-batch methods end a run when
// they converge; the cosine horizon is the run's length in --lr-unit units.
#include "train/optimizer_factory.h"

#include <gtest/gtest.h>

#include "testing/networks.h"
#include "train/trainer.h"

namespace nnfit::train {
namespace {

struct Problem {
  Matrix x, y, x_val, y_val;
  Problem() : x(3, 90), y(1, 90), x_val(3, 30), y_val(1, 30) {
    Rng rng(5);
    for (Matrix* m : {&x, &x_val}) {
      for (Index j = 0; j < m->cols(); ++j) {
        for (Index i = 0; i < 3; ++i) (*m)(i, j) = static_cast<Scalar>(rng.uniform(-1, 1));
      }
    }
    y = x.row(0).cwiseProduct(x.row(1)) - x.row(2);
    y_val = x_val.row(0).cwiseProduct(x_val.row(1)) - x_val.row(2);
  }
  FitData data() const { return {&x, &y, &x_val, &y_val, false, 1.0}; }
};

nn::Network make_net() {
  return test::small_network(3, {5}, nn::Activation::kTanh, 1, nn::LossKind::kSquaredError, 9);
}

std::vector<TrainOptions> every_optimizer_and_schedule() {
  TrainOptions base;
  base.hidden = {5};
  base.epochs = 40;
  base.batch_size = 16;
  base.patience = 1000;
  std::vector<TrainOptions> out;
  for (const char* o : {"sgd", "adam", "adamw", "lbfgs", "newton"}) {
    out.push_back(base);
    out.back().optimizer = o;
  }
  out.push_back(base);
  out.back().nesterov = true;
  for (const char* s : {"inverse", "power", "cosine", "plateau"}) {
    out.push_back(base);
    out.back().lr_schedule = s;
    out.back().lr_unit = "update";
    out.back().lr_warmup = 7;
    out.back().lr_patience = 2;
    out.back().lr_min = 0.001;
  }
  return out;
}

TEST(OptimizerFactoryTest, ContinuingEqualsOneGoForEveryOptimizerAndSchedule) {
  const Problem p;
  for (const TrainOptions& opt : every_optimizer_and_schedule()) {
    const std::string what = opt.optimizer + "/" + opt.lr_schedule;
    nn::Network once = make_net(), steps = make_net();
    Rng rng_once(3), rng_steps(3);
    Trainer a(once, opt, p.data(), rng_once);
    a.run_to(opt.epochs);
    Trainer b(steps, opt, p.data(), rng_steps);
    for (int e : {1, 6, 17, opt.epochs}) b.run_to(e);
    ASSERT_EQ(a.epochs_run(), b.epochs_run()) << what;
    EXPECT_GT(a.epochs_run(), 1) << what;
    EXPECT_TRUE(once.params() == steps.params()) << what;
    EXPECT_TRUE(a.best_params() == b.best_params()) << what;
    const FitResult ra = a.result(), rb = b.result();
    for (std::size_t e = 0; e < ra.history.size(); ++e) {
      EXPECT_EQ(ra.history[e].val_loss, rb.history[e].val_loss) << what << " epoch " << e + 1;
      EXPECT_EQ(ra.history[e].lr, rb.history[e].lr) << what << " epoch " << e + 1;
    }
    EXPECT_LT(ra.best.val_loss, ra.history.front().val_loss) << what << " did not learn";
  }
}

TEST(OptimizerFactoryTest, LbfgsConvergesAndEndsTheRunBeforeTheEpochLimit) {
  Matrix x(2, 50), y(1, 50);
  Rng rng(2);
  for (Index j = 0; j < 50; ++j) {
    x(0, j) = static_cast<Scalar>(rng.uniform(-1, 1));
    x(1, j) = static_cast<Scalar>(rng.uniform(-1, 1));
  }
  y = 3 * x.row(0) - 2 * x.row(1);
  y.array() += 0.5f;
  // Linear least squares: a convex problem with an exact optimum.
  nn::Network net =
      test::small_network(2, {}, nn::Activation::kIdentity, 1, nn::LossKind::kSquaredError, 1);
  TrainOptions opt;
  opt.hidden = {};
  opt.optimizer = "lbfgs";
  opt.epochs = 500;
  Rng fit_rng(1);
  const FitResult r = fit(net, opt, {&x, &y, nullptr, nullptr, false, 1.0}, fit_rng);
  EXPECT_TRUE(r.converged);
  EXPECT_LT(r.epochs_run, 50);
  EXPECT_NEAR(r.best.train_loss, 0.0, 1e-8);
  EXPECT_GT(r.history.front().lr, 0.0);  // the accepted step length is the epoch's rate
}

TEST(OptimizerFactoryTest, CosineHorizonIsTheRunAfterWarmUpInLrUnitUnits) {
  TrainOptions opt;
  opt.lr_schedule = "cosine";
  opt.epochs = 10;
  opt.batch_size = 32;
  opt.lr_warmup = 3;
  EXPECT_EQ(schedule_options(opt, 100).horizon, 10 - 3);
  opt.lr_unit = "update";  // ceil(100 / 32) = 4 updates per epoch
  EXPECT_EQ(schedule_options(opt, 100).horizon, 40 - 3);
  EXPECT_EQ(schedule_options(opt, 100).unit, optim::ScheduleUnit::kUpdate);
  EXPECT_FALSE(is_full_batch(opt));
  opt.optimizer = "lbfgs";
  EXPECT_TRUE(is_full_batch(opt));
}

}  // namespace
}  // namespace nnfit::train
