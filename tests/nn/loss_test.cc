// Tests for the losses: hand-computed values, finite-difference checks of d(mean loss)/dlogits
// for every kind (TEST_P), stability at logits of +-1000, outputs, names and target checks.
#include "nn/loss.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "testing/grad_check.h"

namespace nnfit::nn {
namespace {

using test::kTolerance;

// Logits and valid targets for a loss kind: K = 3 classes, 1 BCE logit, or 2 regression outputs.
struct Case {
  Matrix logits, targets;
};

Case random_case(LossKind kind, Index batch, Rng& rng) {
  Case c;
  switch (kind) {
    case LossKind::kSoftmaxNll:
      c.logits = test::random_matrix(3, batch, rng, -2, 2);
      c.targets = Matrix(1, batch);
      for (Index b = 0; b < batch; ++b) c.targets(0, b) = static_cast<Scalar>(rng.below(3));
      break;
    case LossKind::kSigmoidBce:
      c.logits = test::random_matrix(1, batch, rng, -3, 3);
      c.targets = Matrix(1, batch);
      for (Index b = 0; b < batch; ++b) c.targets(0, b) = static_cast<Scalar>(rng.below(2));
      break;
    case LossKind::kSquaredError:
      c.logits = test::random_matrix(2, batch, rng);
      c.targets = test::random_matrix(2, batch, rng);
      break;
  }
  return c;
}

class LossTest : public ::testing::TestWithParam<LossKind> {};

TEST_P(LossTest, GradientMatchesFiniteDifferences) {
  Rng rng(21);
  const auto loss = make_loss(GetParam());
  const Case c = random_case(GetParam(), 5, rng);
  const auto check = test::check_loss_gradient(*loss, c.logits, c.targets);
  EXPECT_LT(check.error, kTolerance) << loss_name(GetParam());
  EXPECT_GT(check.analytic.norm(), 0.01);
}

TEST_P(LossTest, GradientReturnsMeanOfSum) {
  Rng rng(22);
  const auto loss = make_loss(GetParam());
  const Case c = random_case(GetParam(), 7, rng);
  Matrix dz(c.logits.rows(), c.logits.cols());
  // 1e-6: gradient() may use float exp where sum() uses double.
  EXPECT_NEAR(loss->gradient(c.logits, c.targets, dz), loss->sum(c.logits, c.targets) / 7, 1e-6);
}

// Scaling or sign-flipping a correct analytic gradient must fail the check that it passes.
TEST_P(LossTest, CorruptedGradientFailsCheck) {
  Rng rng(23);
  const auto loss = make_loss(GetParam());
  const Case c = random_case(GetParam(), 4, rng);
  const auto check = test::check_loss_gradient(*loss, c.logits, c.targets);
  ASSERT_LT(check.error, kTolerance);
  EXPECT_GT(test::relative_error(-check.analytic, check.numeric), kTolerance);
  EXPECT_GT(test::relative_error(1.1 * check.analytic, check.numeric), kTolerance);
  EXPECT_GT(test::relative_error(4.0 * check.analytic, check.numeric), kTolerance);  // 1/B lost
}

TEST_P(LossTest, FiniteAtExtremeLogits) {
  const auto loss = make_loss(GetParam());
  const Index rows = GetParam() == LossKind::kSoftmaxNll ? 2 : 1;
  Matrix z(rows, 2), t = Matrix::Zero(GetParam() == LossKind::kSquaredError ? rows : 1, 2);
  z.row(0) << 1000, -1000;
  if (rows == 2) z.row(1) << -1000, 1000;
  Matrix dz(z.rows(), z.cols()), out(z.rows(), z.cols());
  EXPECT_TRUE(std::isfinite(loss->sum(z, t)));
  EXPECT_TRUE(std::isfinite(loss->gradient(z, t, dz)));
  EXPECT_TRUE(dz.allFinite()) << dz;
  loss->output(z, out);
  EXPECT_TRUE(out.allFinite()) << out;
}

TEST_P(LossTest, NameRoundTrips) { EXPECT_EQ(parse_loss(loss_name(GetParam())), GetParam()); }

INSTANTIATE_TEST_SUITE_P(AllKinds, LossTest,
                         ::testing::Values(LossKind::kSoftmaxNll, LossKind::kSigmoidBce,
                                           LossKind::kSquaredError),
                         [](const auto& p) { return loss_name(p.param); });

TEST(SoftmaxNllTest, MatchesHandComputed) {
  const auto loss = make_loss(LossKind::kSoftmaxNll);
  Matrix z(3, 2), t(1, 2);
  z << 0, 1,
       0, 2,
       0, 3;
  t << 0, 2;
  // Column 0: log 3. Column 1: log(e + e^2 + e^3) - 3 = log(e^-2 + e^-1 + 1).
  const double c1 = std::log(std::exp(-2.0) + std::exp(-1.0) + 1.0);
  EXPECT_NEAR(loss->sum(z, t), std::log(3.0) + c1, 1e-6);
  Matrix dz(3, 2), p(3, 2);
  EXPECT_NEAR(loss->gradient(z, t, dz), (std::log(3.0) + c1) / 2, 1e-6);
  EXPECT_NEAR(dz(0, 0), (1.0 / 3 - 1) / 2, 1e-6);  // (softmax - onehot) / B
  EXPECT_NEAR(dz(1, 0), (1.0 / 3) / 2, 1e-6);
  loss->output(z, p);
  EXPECT_NEAR(p(2, 1), 1.0 / (std::exp(-2.0) + std::exp(-1.0) + 1.0), 1e-6);
  EXPECT_NEAR(p.col(1).sum(), 1, 1e-6);
}

TEST(SoftmaxNllTest, ExtremeLogitsGiveExactValues) {
  const auto loss = make_loss(LossKind::kSoftmaxNll);
  Matrix z(2, 1), t(1, 1), dz(2, 1);
  z << 1000, -1000;
  t << 1;
  EXPECT_DOUBLE_EQ(loss->sum(z, t), 2000);
  EXPECT_DOUBLE_EQ(loss->gradient(z, t, dz), 2000);
  EXPECT_FLOAT_EQ(dz(0, 0), 1);   // softmax = (1, 0), onehot = (0, 1)
  EXPECT_FLOAT_EQ(dz(1, 0), -1);
  t << 0;
  EXPECT_DOUBLE_EQ(loss->sum(z, t), 0);
}

TEST(SoftmaxNllTest, RejectsBadClassIndex) {
  const auto loss = make_loss(LossKind::kSoftmaxNll);
  Matrix z = Matrix::Zero(3, 1), t(1, 1);
  t << 3;
  EXPECT_THROW(loss->sum(z, t), DataError);
  t << 1.5f;
  EXPECT_THROW(loss->sum(z, t), DataError);
  t << -1;
  EXPECT_THROW(loss->sum(z, t), DataError);
}

TEST(SigmoidBceTest, MatchesHandComputed) {
  const auto loss = make_loss(LossKind::kSigmoidBce);
  Matrix z(1, 2), t(1, 2), dz(1, 2), p(1, 2);
  z << 0, 2;
  t << 1, 0;
  // -log(sigmoid(0)) = log 2;  -log(1 - sigmoid(2)) = log(1 + e^2).
  const double expected = std::log(2.0) + std::log1p(std::exp(2.0));
  EXPECT_NEAR(loss->sum(z, t), expected, 1e-6);
  EXPECT_NEAR(loss->gradient(z, t, dz), expected / 2, 1e-6);
  EXPECT_NEAR(dz(0, 0), (0.5 - 1) / 2, 1e-7);
  EXPECT_NEAR(dz(0, 1), 1 / (1 + std::exp(-2.0)) / 2, 1e-7);
  loss->output(z, p);
  EXPECT_NEAR(p(0, 1), 1 / (1 + std::exp(-2.0)), 1e-6);
}

TEST(SigmoidBceTest, ExtremeLogitsGiveExactValues) {
  const auto loss = make_loss(LossKind::kSigmoidBce);
  Matrix z(1, 4), t(1, 4), dz(1, 4);
  z << 1000, -1000, 1000, -1000;
  t << 0, 1, 1, 0;
  EXPECT_DOUBLE_EQ(loss->sum(z, t), 2000);  // two confident mistakes of 1000 each
  loss->gradient(z, t, dz);
  Matrix expected(1, 4);
  expected << 0.25f, -0.25f, 0, 0;  // (sigmoid - t) / B
  EXPECT_EQ(dz, expected);
}

TEST(SquaredErrorTest, MatchesHandComputed) {
  const auto loss = make_loss(LossKind::kSquaredError);
  Matrix z(2, 2), t(2, 2), dz(2, 2), out(2, 2);
  z << 1, 2,
       3, 4;
  t << 0, 2,
       1, 1;
  EXPECT_DOUBLE_EQ(loss->sum(z, t), 0.5 * (1 + 0 + 4 + 9));
  EXPECT_DOUBLE_EQ(loss->gradient(z, t, dz), 0.5 * 14 / 2);
  Matrix expected(2, 2);
  expected << 0.5f, 0,
              1, 1.5f;
  EXPECT_EQ(dz, expected);
  loss->output(z, out);
  EXPECT_EQ(out, z);
  const Matrix big = Matrix::Constant(2, 2, 1000);
  EXPECT_DOUBLE_EQ(loss->sum(big, -big), 4 * 0.5 * 2000.0 * 2000.0);
}

TEST(LossNameTest, UnknownNameThrowsModelError) {
  EXPECT_THROW(parse_loss("hinge"), ModelError);
}

TEST(LossShapeTest, MismatchedTargetsThrow) {
  const auto loss = make_loss(LossKind::kSquaredError);
  EXPECT_THROW(loss->sum(Matrix::Zero(2, 3), Matrix::Zero(2, 2)), DataError);
}

}  // namespace
}  // namespace nnfit::nn
