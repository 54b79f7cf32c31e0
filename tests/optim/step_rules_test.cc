// Mini-batch step rules: plain step, momentum accumulation, Nesterov, Adam, AdamW, each
// against its formula computed by hand.
#include "optim/step_rules.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

namespace nnfit::optim {
namespace {

TEST(StepRulesTest, PlainStepMovesAgainstGradient) {
  Momentum sgd(2, 0.0, false);
  Vector w(2), g(2);
  w << 1.0f, -2.0f;
  g << 0.5f, -1.0f;
  sgd.step(w, g, 0.1);
  EXPECT_FLOAT_EQ(w[0], 0.95f);
  EXPECT_FLOAT_EQ(w[1], -1.9f);
}

TEST(StepRulesTest, MomentumAccumulatesVelocity) {
  Momentum sgd(1, 0.9, false);
  Vector w = Vector::Zero(1), g = Vector::Ones(1);
  sgd.step(w, g, 1.0);  // v = -1, w = -1
  sgd.step(w, g, 1.0);  // v = -0.9 - 1 = -1.9, w = -2.9
  EXPECT_FLOAT_EQ(w[0], -2.9f);
}

TEST(StepRulesTest, NesterovAddsTheLookAhead) {
  Momentum nag(1, 0.9, true);
  Vector w = Vector::Zero(1), g = Vector::Ones(1);
  nag.step(w, g, 1.0);  // v = -1, w += 0.9 * -1 - 1 = -1.9
  EXPECT_FLOAT_EQ(w[0], -1.9f);
  nag.step(w, g, 1.0);  // v = -1.9, w += 0.9 * -1.9 - 1 = -2.71 -> -4.61
  EXPECT_FLOAT_EQ(w[0], -4.61f);
}

TEST(StepRulesTest, AdamMatchesItsFormulaWithBiasCorrection) {
  const double b1 = 0.9, b2 = 0.999, eps = 1e-8, lr = 0.01;
  Adam adam(1, b1, b2, eps);
  Vector w = Vector::Constant(1, 1.0f), g(1);
  double m = 0, v = 0, x = 1;
  const double grads[] = {0.5, -0.2, 1.5};
  for (int t = 1; t <= 3; ++t) {
    g[0] = static_cast<Scalar>(grads[t - 1]);
    adam.step(w, g, lr);
    m = b1 * m + (1 - b1) * grads[t - 1];
    v = b2 * v + (1 - b2) * grads[t - 1] * grads[t - 1];
    x -= lr * (m / (1 - std::pow(b1, t))) / (std::sqrt(v / (1 - std::pow(b2, t))) + eps);
    EXPECT_NEAR(w[0], x, 1e-6) << "update " << t;
  }
  // The first step has size lr whatever the gradient's scale (m/sqrt(v) = sign(g)).
  Adam fresh(1, b1, b2, eps);
  Vector w2 = Vector::Zero(1), big = Vector::Constant(1, 1000.0f);
  fresh.step(w2, big, lr);
  EXPECT_NEAR(w2[0], -lr, 1e-7);
}

TEST(StepRulesTest, AdamWDecaysWeightsButNotBiases) {
  Vector mask(2);
  mask << 1.0f, 0.0f;  // w[1] is a bias
  Adam adamw(2, 0.9, 0.999, 1e-8, 0.5, mask);
  Vector w = Vector::Constant(2, 2.0f), g = Vector::Zero(2);
  adamw.step(w, g, 0.1);  // zero gradient: only the decoupled decay moves w
  EXPECT_FLOAT_EQ(w[0], 2.0f - 0.1f * 0.5f * 2.0f);
  EXPECT_FLOAT_EQ(w[1], 2.0f);
  EXPECT_EQ(adamw.name(), "adamw");
}

// Threads update disjoint ranges (MiniBatch with --threads): prepare once, then update on
// [0, k) and [k, n) in any order gives the bits of one step over all of w, for every rule.
TEST(StepRulesTest, RangesGiveTheBitsOfOneStep) {
  const Index n = 37;
  Vector w0(n), g(n), mask = Vector::Ones(n);
  for (Index i = 0; i < n; ++i) {
    w0[i] = std::sin(0.7f * static_cast<float>(i));
    g[i] = std::cos(1.3f * static_cast<float>(i));
  }
  auto rules = [&] {
    std::vector<std::unique_ptr<StepRule>> r;
    r.push_back(std::make_unique<Momentum>(n, 0.9, false));
    r.push_back(std::make_unique<Momentum>(n, 0.9, true));
    r.push_back(std::make_unique<Adam>(n, 0.9, 0.999, 1e-8));
    r.push_back(std::make_unique<Adam>(n, 0.9, 0.999, 1e-8, 0.01, mask));
    return r;
  };
  auto whole = rules(), split = rules();
  for (std::size_t k = 0; k < whole.size(); ++k) {
    Vector a = w0, b = w0;
    for (int t = 0; t < 3; ++t) {
      whole[k]->step(a, g, 0.01);
      split[k]->prepare(0.01);
      split[k]->update(b, g, 20, n);
      split[k]->update(b, g, 0, 20);
    }
    EXPECT_TRUE(a == b) << whole[k]->name();
    EXPECT_FALSE(a == w0) << whole[k]->name();
  }
}

}  // namespace
}  // namespace nnfit::optim
