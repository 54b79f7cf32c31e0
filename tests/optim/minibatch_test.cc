// The SGD family through the optimizer seam: gradient descent reaches the closed form, the rate
// follows the schedule, and state() / restore() continue a run bit for bit.
#include "optim/minibatch.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "optim/least_squares.h"

namespace nnfit::optim {
namespace {

test::LeastSquares make_problem(Index d, Index n, std::uint64_t seed) {
  Rng rng(seed);
  Matrix a(d, n);
  Vector b(n);
  for (Index j = 0; j < n; ++j) {
    for (Index i = 0; i < d; ++i) a(i, j) = static_cast<Scalar>(rng.uniform(-1, 1));
    b[j] = static_cast<Scalar>(rng.uniform(-2, 2));  // noisy: the optimum has residuals
  }
  return test::LeastSquares(a, b);
}

std::unique_ptr<MiniBatch> make(const std::string& rule, Index dim, Index batch, double lr) {
  ScheduleOptions s;
  s.alpha = lr;
  std::unique_ptr<StepRule> r;
  if (rule == "sgd") r = std::make_unique<Momentum>(dim, 0.9, false);
  if (rule == "nesterov") r = std::make_unique<Momentum>(dim, 0.9, true);
  if (rule == "adam") r = std::make_unique<Adam>(dim, 0.9, 0.999, 1e-8);
  if (rule == "adamw") r = std::make_unique<Adam>(dim, 0.9, 0.999, 1e-8, 0.01, Vector::Ones(dim));
  return std::make_unique<MiniBatch>(std::move(r), Schedule(s), batch);
}

TEST(MiniBatchTest, FullBatchGradientDescentReachesTheClosedForm) {
  test::LeastSquares f = make_problem(4, 100, 1);
  for (const char* rule : {"sgd", "nesterov"}) {
    auto opt = make(rule, 4, 100, 0.1);  // one batch = the full set: plain gradient descent
    Vector w = Vector::Zero(4);
    Rng rng(1);
    for (int epoch = 0; epoch < 2000; ++epoch) opt->pass(f, w, {&rng, nullptr});
    const Eigen::VectorXd exact = f.solution();
    for (Index i = 0; i < 4; ++i) EXPECT_NEAR(w[i], exact[i], 1e-4) << rule << " w" << i;
  }
}

TEST(MiniBatchTest, ContinuingFromRestoredStateEqualsOneRunBitForBit) {
  test::LeastSquares f = make_problem(3, 50, 2);
  for (const char* rule : {"sgd", "nesterov", "adam", "adamw"}) {
    Vector once = Vector::Zero(3);
    Rng rng_once(5);
    auto a = make(rule, 3, 8, 0.05);
    for (int e = 0; e < 6; ++e) a->pass(f, once, {&rng_once, nullptr});
    Vector split = Vector::Zero(3);
    Rng rng_split(5);
    auto b = make(rule, 3, 8, 0.05);
    for (int e = 0; e < 3; ++e) b->pass(f, split, {&rng_split, nullptr});
    auto c = make(rule, 3, 8, 0.05);  // a fresh optimizer carries on from b's state
    c->restore(b->state());
    for (int e = 0; e < 3; ++e) c->pass(f, split, {&rng_split, nullptr});
    EXPECT_TRUE(once == split) << rule;
    // Without the state (moments, counters lost) the run differs: the test can fail.
    Vector lost = Vector::Zero(3);
    Rng rng_lost(5);
    auto d = make(rule, 3, 8, 0.05);
    for (int e = 0; e < 3; ++e) d->pass(f, lost, {&rng_lost, nullptr});
    auto fresh = make(rule, 3, 8, 0.05);
    for (int e = 0; e < 3; ++e) fresh->pass(f, lost, {&rng_lost, nullptr});
    EXPECT_FALSE(once == lost) << rule;
  }
}

TEST(MiniBatchTest, RestoreRejectsAnotherOptimizersState) {
  auto sgd = make("sgd", 3, 8, 0.1);
  auto adam = make("adam", 3, 8, 0.1);
  EXPECT_THROW(adam->restore(sgd->state()), ModelError);
  EXPECT_THROW(make("sgd", 4, 8, 0.1)->restore(sgd->state()), ModelError);
}

TEST(MiniBatchTest, PerUpdateScheduleChangesTheRateWithinAnEpoch) {
  test::LeastSquares f = make_problem(2, 10, 3);
  ScheduleOptions s;
  s.kind = ScheduleKind::kInverse;
  s.unit = ScheduleUnit::kUpdate;
  s.alpha = 0.1;
  s.delta = 1.0;
  MiniBatch opt(std::make_unique<Momentum>(2, 0.0, false), Schedule(s), 3);  // 4 updates/epoch
  Vector w = Vector::Zero(2);
  Rng rng(1);
  const PassResult r = opt.pass(f, w, {&rng, nullptr});
  EXPECT_EQ(r.updates, 4);
  EXPECT_DOUBLE_EQ(r.rate, 0.1 / (1 + 3));  // the last update of the epoch is t = 3
  EXPECT_DOUBLE_EQ(opt.next_rate(), 0.1 / (1 + 4));
}

}  // namespace
}  // namespace nnfit::optim
