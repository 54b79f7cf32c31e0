// L-BFGS and Adam on a convex logistic regression; the strong Wolfe conditions at every accepted
// L-BFGS step, checked from the iterates alone; the L-BFGS state round trip.
#include "optim/lbfgs.h"

#include <gtest/gtest.h>

#include "optim/logistic.h"
#include "optim/minibatch.h"

namespace nnfit::optim {
namespace {

// Runs L-BFGS to convergence; returns the iterates.
std::vector<Vector> run_lbfgs(Objective& f, Vector& w, int max_iter, LbfgsOptions o = {}) {
  Lbfgs opt(f.dim(), o);
  std::vector<Vector> iterates{w};
  for (int k = 0; k < max_iter; ++k) {
    const PassResult r = opt.pass(f, w, {});
    if (r.updates > 0) iterates.push_back(w);
    if (r.status != PassStatus::kOk) break;
  }
  return iterates;
}

TEST(LbfgsTest, ReachesTheLogisticRegressionOptimum) {
  test::Logistic f(5, 400, 1e-2, 1);
  Vector w = Vector::Zero(5), g(5);
  const std::vector<Vector> it = run_lbfgs(f, w, 100);
  f.full(w, &g);
  EXPECT_LT(g.cwiseAbs().maxCoeff(), 1e-5);  // convex: a zero gradient is the optimum
  EXPECT_LT(it.size(), 30u);
}

TEST(LbfgsTest, EveryAcceptedStepSatisfiesTheStrongWolfeConditions) {
  // With s = w_k+1 - w_k = a d the conditions read f(w + s) <= f(w) + c1 g's and
  // |g(w + s)'s| <= c2 |g's| (a > 0 cancels), so the check needs only the iterates.
  for (std::uint64_t seed : {2, 3, 4}) {
    test::Logistic f(6, 300, 1e-3, seed);
    Vector w = Vector::Constant(6, 3.0f);  // far from the optimum: long first steps
    LbfgsOptions o;
    o.wolfe.c2 = 0.1;  // a tight curvature condition, which a unit step seldom meets by luck
    const std::vector<Vector> it = run_lbfgs(f, w, 50, o);
    ASSERT_GT(it.size(), 3u);
    Vector g0(6), g1(6);
    for (std::size_t k = 0; k + 1 < it.size(); ++k) {
      const Vector s = it[k + 1] - it[k];
      const double f0 = f.full(it[k], &g0), f1 = f.full(it[k + 1], &g1);
      EXPECT_LE(f1, f0 + o.wolfe.c1 * dot(g0, s) + 1e-7) << "seed " << seed << " step " << k;
      EXPECT_LE(std::abs(dot(g1, s)), o.wolfe.c2 * std::abs(dot(g0, s)) + 1e-7)
          << "seed " << seed << " step " << k;
    }
  }
}

TEST(LbfgsTest, AdamReachesTheSameOptimum) {
  test::Logistic f(5, 400, 1e-2, 1);
  Vector w_star = Vector::Zero(5);
  run_lbfgs(f, w_star, 100);
  ScheduleOptions s;
  s.alpha = 0.01;
  MiniBatch adam(std::make_unique<Adam>(5, 0.9, 0.999, 1e-8), Schedule(s), 400);  // full batch
  Vector w = Vector::Zero(5);
  Rng rng(1);
  for (int e = 0; e < 3000; ++e) adam.pass(f, w, {&rng, nullptr});
  EXPECT_LT((w - w_star).cwiseAbs().maxCoeff(), 1e-3);
  EXPECT_NEAR(f.full(w, nullptr), f.full(w_star, nullptr), 1e-7);
}

TEST(LbfgsTest, ContinuingFromRestoredStateEqualsOneRunBitForBit) {
  test::Logistic f(4, 200, 1e-2, 5);
  LbfgsOptions o;
  o.gtol = 0;  // never stop early
  o.ftol = 0;
  Vector once = Vector::Zero(4), split = Vector::Zero(4);
  Lbfgs a(4, o), b(4, o);
  for (int k = 0; k < 6; ++k) a.pass(f, once, {});
  for (int k = 0; k < 3; ++k) b.pass(f, split, {});
  Lbfgs c(4, o);
  c.restore(b.state());
  for (int k = 0; k < 3; ++k) c.pass(f, split, {});
  EXPECT_TRUE(once == split);
  Vector lost = Vector::Zero(4);  // without the history the iterates differ
  Lbfgs d(4, o), e(4, o);
  for (int k = 0; k < 3; ++k) d.pass(f, lost, {});
  lost[0] = std::nextafter(lost[0], 1.0f);  // a moved point clears the history
  for (int k = 0; k < 3; ++k) e.pass(f, lost, {});
  EXPECT_FALSE(once == lost);
}

}  // namespace
}  // namespace nnfit::optim
