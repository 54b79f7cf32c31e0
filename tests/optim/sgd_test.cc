// SGD update rule: plain step, momentum accumulation, L1/L2 on weights only.
#include "optim/sgd.h"

#include <gtest/gtest.h>

namespace nnfit::optim {
namespace {

TEST(SgdTest, PlainStepMovesAgainstGradient) {
  Sgd sgd(2, {});
  Vector w(2), g(2), mask = Vector::Ones(2);
  w << 1.0f, -2.0f;
  g << 0.5f, -1.0f;
  sgd.step(w, g, mask, 0.1);
  EXPECT_FLOAT_EQ(w[0], 0.95f);
  EXPECT_FLOAT_EQ(w[1], -1.9f);
}

TEST(SgdTest, MomentumAccumulatesVelocity) {
  Sgd sgd(1, {0.9, 0.0, 0.0});
  Vector w = Vector::Zero(1), g = Vector::Ones(1), mask = Vector::Ones(1);
  sgd.step(w, g, mask, 1.0);  // v = -1, w = -1
  sgd.step(w, g, mask, 1.0);  // v = -0.9 - 1 = -1.9, w = -2.9
  EXPECT_FLOAT_EQ(w[0], -2.9f);
}

TEST(SgdTest, L2DecaysWeightsButNotBiases) {
  Sgd sgd(2, {0.0, 0.0, 0.5});
  Vector w(2), g = Vector::Zero(2), mask(2);
  w << 2.0f, 2.0f;
  mask << 1.0f, 0.0f;  // w[1] is a bias
  sgd.step(w, g, mask, 0.1);
  EXPECT_FLOAT_EQ(w[0], 2.0f - 0.1f * 0.5f * 2.0f);
  EXPECT_FLOAT_EQ(w[1], 2.0f);
}

TEST(SgdTest, L1PullsTowardZeroBySignOnWeightsOnly) {
  Sgd sgd(3, {0.0, 0.2, 0.0});
  Vector w(3), g = Vector::Zero(3), mask(3);
  w << 1.0f, -1.0f, 1.0f;
  mask << 1.0f, 1.0f, 0.0f;
  sgd.step(w, g, mask, 0.5);
  EXPECT_FLOAT_EQ(w[0], 0.9f);
  EXPECT_FLOAT_EQ(w[1], -0.9f);
  EXPECT_FLOAT_EQ(w[2], 1.0f);
}

}  // namespace
}  // namespace nnfit::optim
