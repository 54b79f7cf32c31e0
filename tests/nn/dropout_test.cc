// Tests for nn::Dropout and the network's dropout: the mask keeps the expectation, it is off
// at prediction time, a fixed mask makes fprop/bprop a function that finite differences check,
// the masks are reproducible from the seed, and a network without dropout is untouched.
#include "nn/dropout.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "nn/network.h"
#include "testing/grad_check.h"

namespace nnfit::nn {
namespace {

NetworkSpec tanh_spec(std::vector<Index> hidden) {
  NetworkSpec spec;
  spec.inputs = 3;
  spec.hidden = std::move(hidden);
  spec.activations.assign(spec.hidden.size(), Activation::kTanh);
  spec.outputs = 3;
  spec.loss = LossKind::kSoftmaxNll;
  return spec;
}

Matrix class_targets(Index batch) {
  Matrix t(1, batch);
  for (Index b = 0; b < batch; ++b) t(0, b) = static_cast<Scalar>(b % 3);
  return t;
}

TEST(DropoutTest, MeanOverManyMasksIsTheInput) {
  Rng rng(1);
  const Matrix x = test::random_away_from_zero(6, 5, rng, 0.5);
  for (double p : {0.2, 0.5}) {
    Dropout d(p, 7);
    Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(6, 5);
    double zeros = 0;
    const int draws = 4000;
    Matrix y(6, 5);
    for (int k = 0; k < draws; ++k) {
      d.fprop(x, y);
      sum += y.cast<double>();
      zeros += static_cast<double>((y.array() == 0).count());
    }
    // Each entry's mean has standard deviation |x| sqrt(p / (1 - p) / draws) (<= 0.016 |x|).
    const double sigma = std::sqrt(p / (1 - p) / draws);
    for (Index i = 0; i < 6; ++i) {
      for (Index j = 0; j < 5; ++j) {
        EXPECT_NEAR(sum(i, j) / draws, x(i, j), 5 * sigma * std::abs(x(i, j))) << p;
      }
    }
    EXPECT_NEAR(zeros / (draws * 30.0), p, 0.01);  // the dropped fraction is p
    // Kept entries are scaled by 1 / (1 - p) (inverted dropout).
    for (Index i = 0; i < 6; ++i) {
      if (y(i, 0) != 0) {
        EXPECT_FLOAT_EQ(y(i, 0), x(i, 0) / static_cast<Scalar>(1 - p));
      }
    }
  }
}

TEST(DropoutTest, FixedMaskRepeatsAndBpropUsesTheSameMask) {
  Rng rng(2);
  const Matrix x = test::random_away_from_zero(8, 4, rng);
  Dropout d(0.5, 3);
  Matrix y1(8, 4), y2(8, 4), dx(8, 4);
  d.fprop(x, y1);
  d.fix_mask(true);
  d.fprop(x, y2);
  EXPECT_TRUE(y1 == y2);
  d.fix_mask(false);
  d.fprop(x, y2);
  EXPECT_FALSE(y1 == y2);  // a fresh mask (2^-32 chance of a repeat)
  const Matrix dy = Matrix::Ones(8, 4);
  d.bprop(x, y2, dy, dx);
  EXPECT_TRUE(dx == d.mask(4));
  EXPECT_TRUE(y2.array().isApprox(x.array() * d.mask(4).array()));
}

TEST(DropoutTest, ReservedMaskIsReusedForEveryBatchSize) {
  Dropout d(0.5, 1);
  d.reserve(5, 8);
  const Scalar* mask = d.mask(8).data();
  Rng rng(3);
  const Matrix x = test::random_matrix(5, 8, rng);
  Matrix y(5, 8);
  for (Index batch : {8, 1, 3, 8}) {
    d.fprop(x.leftCols(batch), y.leftCols(batch));
    EXPECT_EQ(d.mask(batch).data(), mask) << batch;
  }
}

TEST(DropoutTest, InputGradientUnderAFixedMaskMatchesFiniteDifferences) {
  Rng rng(4);
  test::BoundLayer b(std::make_unique<Dropout>(0.4, 9), 5, rng);
  const Matrix x = test::random_matrix(5, 3, rng);
  b.forward(x);  // draws the mask
  static_cast<Dropout&>(*b.layer).fix_mask(true);
  const test::GradCheck c = test::check_input_gradient(b, x, test::random_matrix(5, 3, rng));
  EXPECT_LT(c.error, test::kTolerance);
}

TEST(NetworkDropoutTest, GradientUnderFixedMasksMatchesFiniteDifferences) {
  Network net(tanh_spec({6, 5}));
  Rng rng(5);
  net.init_params(rng);
  net.set_dropout({0.5, 0.3}, 11);
  const Matrix x = test::random_matrix(3, 4, rng);
  const Matrix t = class_targets(4);
  net.forward_backward(x, t);  // draws the masks
  net.fix_dropout_masks(true);
  const double loss = net.forward_backward(x, t);
  const Eigen::VectorXd analytic = net.grads().cast<double>();
  const Eigen::VectorXd numeric = test::numeric_gradient(
      net.params().data(), net.param_count(), [&] { return net.forward_backward(x, t); });
  EXPECT_LT(test::relative_error(analytic, numeric), test::kTolerance);
  // The masks matter: the dropped network's loss differs from the plain one's.
  EXPECT_NE(loss, net.loss_sum(x, t) / 4);
  // A gradient that ignored the mask in bprop would fail the same check.
  net.set_training(false);
  net.forward_backward(x, t);
  const Eigen::VectorXd unmasked = net.grads().cast<double>();
  EXPECT_GT(test::relative_error(unmasked, numeric), 0.05);
}

TEST(NetworkDropoutTest, PredictEvaluateAndForwardNeverDrop) {
  Network plain(tanh_spec({8}));
  Rng rng(6);
  plain.init_params(rng);
  Network dropped = plain;
  dropped.set_dropout({0.5}, 1);
  const Matrix x = test::random_matrix(3, 10, rng);
  const Matrix t = class_targets(10);
  dropped.forward_backward(x, t);  // training passes draw masks
  Matrix a, b, c;
  plain.predict(x, a);
  dropped.predict(x, b);
  dropped.predict(x, c);
  EXPECT_TRUE(a == b);
  EXPECT_TRUE(b == c);
  EXPECT_EQ(plain.loss_sum(x, t), dropped.loss_sum(x, t));
  EXPECT_EQ(plain.evaluate(x, t, a), dropped.evaluate(x, t, b));
  EXPECT_TRUE(Matrix(plain.forward(x)) == Matrix(dropped.forward(x)));
  // ...while training passes do drop, and set_training(false) turns that off.
  EXPECT_NE(plain.forward_backward(x, t), dropped.forward_backward(x, t));
  dropped.set_training(false);
  EXPECT_EQ(plain.forward_backward(x, t), dropped.forward_backward(x, t));
  EXPECT_TRUE(plain.grads() == dropped.grads());
}

TEST(NetworkDropoutTest, MasksAreReproducibleFromTheSeedAndCopied) {
  Network a(tanh_spec({8}));
  Rng rng(7);
  a.init_params(rng);
  Network b = a, c = a;
  const Matrix x = test::random_matrix(3, 6, rng);
  const Matrix t = class_targets(6);
  a.set_dropout({0.5}, 3);
  b.set_dropout({0.5}, 3);
  c.set_dropout({0.5}, 4);
  const double la = a.forward_backward(x, t);
  EXPECT_EQ(la, b.forward_backward(x, t));
  EXPECT_NE(la, c.forward_backward(x, t));
  Network copy = a;  // carries the mask stream on from where a is
  EXPECT_EQ(a.forward_backward(x, t), copy.forward_backward(x, t));
}

TEST(NetworkDropoutTest, ZeroOrNoRatesLeaveTheNetworkUntouched) {
  Network plain(tanh_spec({5, 4}));
  Rng rng(8);
  plain.init_params(rng);
  Network zero = plain;
  zero.set_dropout({0.0}, 1);
  EXPECT_FALSE(zero.has_dropout());
  const Matrix x = test::random_matrix(3, 5, rng);
  const Matrix t = class_targets(5);
  EXPECT_EQ(plain.forward_backward(x, t), zero.forward_backward(x, t));
  EXPECT_TRUE(plain.grads() == zero.grads());
  // One rate of two at 0: only the other hidden layer drops.
  zero.set_dropout({0.0, 0.5}, 1);
  EXPECT_TRUE(zero.has_dropout());
  EXPECT_NE(plain.forward_backward(x, t), zero.forward_backward(x, t));
}

TEST(NetworkDropoutTest, RejectsBadRateLists) {
  Network net(tanh_spec({5, 4}));
  EXPECT_THROW(net.set_dropout({0.1, 0.2, 0.3}, 1), ConfigError);
  EXPECT_THROW(net.set_dropout({1.0}, 1), ConfigError);
  EXPECT_THROW(net.set_dropout({-0.1}, 1), ConfigError);
}

}  // namespace
}  // namespace nnfit::nn
