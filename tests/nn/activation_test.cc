// Tests for the activation layers: hand-computed values, finite-difference checks of dx for
// every kind (TEST_P), numerical stability of sigmoid, name parsing, and a deliberately wrong
// derivative that the same gradient check must reject.
#include "nn/activation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "core/error.h"
#include "testing/grad_check.h"

namespace nnfit::nn {
namespace {

using test::BoundLayer;
using test::kTolerance;

Matrix apply(Layer& layer, const Matrix& x) {
  Matrix y(x.rows(), x.cols());
  layer.fprop(x, y);
  return y;
}

Matrix sample_inputs() {
  Matrix x(1, 5);
  x << -2, -0.5f, 0.25f, 1, 3;
  return x;
}

class ActivationTest : public ::testing::TestWithParam<Activation> {};

TEST_P(ActivationTest, InputGradientMatchesFiniteDifferences) {
  Rng rng(11);
  BoundLayer b(make_activation(GetParam()), 4, rng);
  // Away from zero keeps ReLU off its kink; |x| <= 2.5 keeps sigmoid/tanh slopes non-trivial.
  const Matrix x = 2.5f * test::random_away_from_zero(4, 6, rng);
  const Matrix r = test::random_matrix(4, 6, rng);
  const auto check = test::check_input_gradient(b, x, r);
  EXPECT_LT(check.error, kTolerance) << activation_name(GetParam());
  EXPECT_GT(check.analytic.norm(), 0.1);
}

// Activations have no parameters: their parameter gradient is empty by construction, and the
// parameter-gradient check through them is the network check in network_test.cc.
TEST_P(ActivationTest, HasNoParameters) {
  const auto layer = make_activation(GetParam());
  EXPECT_EQ(layer->param_count(8), 0);
  EXPECT_EQ(layer->output_size(8), 8);
  EXPECT_EQ(layer->kind(), activation_name(GetParam()));
}

TEST_P(ActivationTest, EmptyDxIsLeftAlone) {
  const auto layer = make_activation(GetParam());
  const Matrix x = sample_inputs();
  const Matrix y = apply(*layer, x);
  Matrix dx(0, 0);
  layer->bprop(x, y, Matrix::Ones(1, 5), dx);
  EXPECT_EQ(dx.size(), 0);
}

TEST_P(ActivationTest, NameRoundTrips) {
  EXPECT_EQ(parse_activation(activation_name(GetParam())), GetParam());
}

INSTANTIATE_TEST_SUITE_P(AllKinds, ActivationTest,
                         ::testing::Values(Activation::kIdentity, Activation::kSigmoid,
                                           Activation::kTanh, Activation::kRelu),
                         [](const auto& p) { return activation_name(p.param); });

TEST(IdentityTest, ForwardAndBackwardPassThrough) {
  Identity layer;
  const Matrix x = sample_inputs();
  EXPECT_EQ(apply(layer, x), x);
  Matrix dx(1, 5);
  layer.bprop(x, x, 2 * x, dx);
  EXPECT_EQ(dx, 2 * x);
}

TEST(SigmoidTest, ForwardMatchesHandComputed) {
  Sigmoid layer;
  Matrix x(1, 3);
  x << 0, 2, -2;
  Matrix expected(1, 3);
  expected << 0.5f, 0.880797078f, 0.119202922f;  // 1 / (1 + e^-x)
  EXPECT_TRUE(apply(layer, x).isApprox(expected, 1e-5f)) << apply(layer, x);
}

TEST(SigmoidTest, StaysFiniteForHugeInputs) {
  Sigmoid layer;
  Matrix x(1, 6);
  x << -1e4f, -1000, -90, 90, 1000, 1e4f;
  const Matrix y = apply(layer, x);
  ASSERT_TRUE(y.allFinite()) << y;
  EXPECT_GE(y.minCoeff(), 0);
  EXPECT_LE(y.maxCoeff(), 1);
  EXPECT_NEAR(y(0), 0, 1e-30);
  EXPECT_FLOAT_EQ(y(5), 1);
  Matrix dx(1, 6);
  layer.bprop(x, y, Matrix::Ones(1, 6), dx);
  EXPECT_TRUE(dx.allFinite()) << dx;
  EXPECT_NEAR(dx.cwiseAbs().maxCoeff(), 0, 1e-30);
}

TEST(TanhTest, ForwardMatchesHandComputed) {
  Tanh layer;
  Matrix x(1, 4);
  x << 0, 1, -0.5f, 1e4f;
  Matrix expected(1, 4);
  expected << 0, 0.761594156f, -0.462117157f, 1;
  EXPECT_TRUE(apply(layer, x).isApprox(expected, 1e-5f)) << apply(layer, x);
}

TEST(ReluTest, ForwardAndBackwardMatchHandComputed) {
  Relu layer;
  const Matrix x = sample_inputs();  // -2, -0.5, 0.25, 1, 3
  Matrix expected(1, 5);
  expected << 0, 0, 0.25f, 1, 3;
  const Matrix y = apply(layer, x);
  EXPECT_EQ(y, expected);
  Matrix dy(1, 5), dx(1, 5), dx_expected(1, 5);
  dy << 1, 2, 3, 4, 5;
  dx_expected << 0, 0, 3, 4, 5;
  layer.bprop(x, y, dy, dx);
  EXPECT_EQ(dx, dx_expected);
}

TEST(ActivationParseTest, UnknownNameThrowsConfigErrorNamingIt) {
  try {
    parse_activation("softplus");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("'softplus'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("relu"), std::string::npos) << e.what();
  }
}

// Tanh with the classic bug of using dy (1 - y) instead of dy (1 - y^2).
class WrongTanh : public Tanh {
 public:
  void bprop(const ConstMatrixRef& /*x*/, const ConstMatrixRef& y, const ConstMatrixRef& dy,
             MatrixRef dx) override {
    dx.array() = dy.array() * (Scalar(1) - y.array());
  }
};

TEST(GradCheckTest, WrongDerivativeFailsTheSameCheck) {
  Rng rng(12);
  const Matrix x = test::random_away_from_zero(3, 4, rng);
  const Matrix r = test::random_matrix(3, 4, rng);
  BoundLayer good(std::make_unique<Tanh>(), 3, rng);
  BoundLayer bad(std::make_unique<WrongTanh>(), 3, rng);
  EXPECT_LT(test::check_input_gradient(good, x, r).error, kTolerance);
  EXPECT_GT(test::check_input_gradient(bad, x, r).error, kTolerance);
}

}  // namespace
}  // namespace nnfit::nn
