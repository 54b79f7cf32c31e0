// Tests for nn::Dense: hand-computed forward/backward, finite-difference checks of dx and of
// dW/db, the empty-dx contract, batch-of-one paths and Glorot/He initialisation bounds.
#include "nn/dense.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "testing/grad_check.h"

namespace nnfit::nn {
namespace {

using test::BoundLayer;
using test::kTolerance;

// A 2 -> 3 Dense layer with W = [[1,2],[3,4],[5,6]] and b = [0.5, -1, 2].
struct FixedDense {
  FixedDense() : params(9), grads(9) {
    dense.bind(params.data(), grads.data(), 2);
    params << 1, 3, 5, 2, 4, 6, 0.5f, -1, 2;  // W column-major, then b
  }
  Dense dense{3};
  Vector params, grads;
};

TEST(DenseTest, ReportsSizesAndKind) {
  Dense dense(4);
  EXPECT_EQ(dense.kind(), "dense");
  EXPECT_EQ(dense.output_size(7), 4);
  EXPECT_EQ(dense.param_count(7), 4 * 7 + 4);
  EXPECT_EQ(dense.weight_count(7), 28);
}

TEST(DenseTest, BindMapsWeightsColumnMajorThenBias) {
  FixedDense f;
  EXPECT_EQ(f.dense.weights()(0, 1), 2);
  EXPECT_EQ(f.dense.weights()(2, 0), 5);
  EXPECT_EQ(f.dense.bias()(1), -1);
}

TEST(DenseTest, ForwardMatchesHandComputed) {
  FixedDense f;
  Matrix x(2, 2);
  x << 1, -1,
       2, 0.5f;
  Matrix y(3, 2);
  f.dense.fprop(x, y);
  Matrix expected(3, 2);
  // Column 0: W (1,2) + b = (5, 11, 17) + b;  column 1: W (-1, 0.5) + b = (0, -1, -2) + b.
  expected << 5.5f, 0.5f,
              10, -2,
              19, 0;
  EXPECT_TRUE(y.isApprox(expected, 1e-6f)) << y;
}

TEST(DenseTest, BackwardMatchesHandComputed) {
  FixedDense f;
  Matrix x(2, 2), dy(3, 2);
  x << 1, -1,
       2, 0.5f;
  dy << 1, 0,
        0, 2,
        -1, 1;
  Matrix y(3, 2), dx(2, 2);
  f.dense.fprop(x, y);
  f.dense.bprop(x, y, dy, dx);
  Matrix dw_expected(3, 2), dx_expected(2, 2);
  dw_expected << 1, 2,      // dW = dy x^T
                 -2, 1,
                 -2, -1.5f;
  dx_expected << -4, 11,    // dx = W^T dy
                 -4, 14;
  Vector db_expected(3);
  db_expected << 1, 2, 0;   // db = row sums of dy
  EXPECT_TRUE(MatrixMap(f.grads.data(), 3, 2).isApprox(dw_expected, 1e-6f));
  EXPECT_TRUE(f.grads.tail(3).isApprox(db_expected, 1e-6f));
  EXPECT_TRUE(dx.isApprox(dx_expected, 1e-6f)) << dx;
}

TEST(DenseTest, InputGradientMatchesFiniteDifferences) {
  Rng rng(1);
  BoundLayer b(std::make_unique<Dense>(4), 3, rng);
  const Matrix x = test::random_matrix(3, 5, rng);
  const Matrix r = test::random_matrix(4, 5, rng);
  const auto check = test::check_input_gradient(b, x, r);
  EXPECT_LT(check.error, kTolerance);
  EXPECT_GT(check.analytic.norm(), 0.1);  // a non-trivial gradient was compared
}

TEST(DenseTest, ParamGradientMatchesFiniteDifferences) {
  Rng rng(2);
  BoundLayer b(std::make_unique<Dense>(4), 3, rng);
  const Matrix x = test::random_matrix(3, 5, rng);
  const Matrix r = test::random_matrix(4, 5, rng);
  const auto check = test::check_param_gradient(b, x, r);
  EXPECT_LT(check.error, kTolerance);
  EXPECT_EQ(check.analytic.size(), 4 * 3 + 4);
  EXPECT_GT(check.analytic.norm(), 0.1);
}

TEST(DenseTest, GradientsMatchFiniteDifferencesForBatchOfOne) {
  Rng rng(3);
  BoundLayer b(std::make_unique<Dense>(5), 4, rng);
  const Matrix x = test::random_matrix(4, 1, rng);
  const Matrix r = test::random_matrix(5, 1, rng);
  EXPECT_LT(test::check_input_gradient(b, x, r).error, kTolerance);
  EXPECT_LT(test::check_param_gradient(b, x, r).error, kTolerance);
}

TEST(DenseTest, EmptyDxSkipsInputGradientButFillsParamGradient) {
  FixedDense f;
  Matrix x = Matrix::Ones(2, 3), dy = Matrix::Ones(3, 3), y(3, 3), dx(0, 0);
  f.dense.fprop(x, y);
  f.grads.setZero();
  f.dense.bprop(x, y, dy, dx);
  EXPECT_EQ(dx.size(), 0);
  EXPECT_FLOAT_EQ(f.grads(0), 3);   // dW(0,0) = sum_b dy(0,b) x(0,b)
  EXPECT_FLOAT_EQ(f.grads(8), 3);   // db(2)
}

TEST(DenseTest, BatchOfOneMatchesBatchedColumns) {
  Rng rng(4);
  BoundLayer b(std::make_unique<Dense>(6), 5, rng);
  const Matrix x = test::random_matrix(5, 4, rng);
  const Matrix y = b.forward(x);
  for (Index j = 0; j < x.cols(); ++j) {
    const Matrix yj = b.forward(x.col(j));
    EXPECT_TRUE(yj.isApprox(y.col(j), 1e-5f)) << "column " << j;
  }
}

TEST(DenseTest, GlorotInitRespectsBoundAndZeroesBias) {
  Rng rng(5);
  const Index in = 40, out = 30;
  Vector params(in * out + out), grads(in * out + out);
  params.setConstant(7);
  Dense dense(out);
  dense.bind(params.data(), grads.data(), in);
  dense.init_params(rng);
  const double bound = std::sqrt(6.0 / (in + out));
  EXPECT_DOUBLE_EQ(Dense::glorot_bound(in, out), bound);
  const auto w = params.head(in * out).array();
  EXPECT_LE(w.abs().maxCoeff(), static_cast<Scalar>(bound));
  EXPECT_GT(w.abs().maxCoeff(), 0.95 * bound);            // spread out to the bound
  EXPECT_NEAR(w.abs().mean(), bound / 2, 0.05 * bound);   // mean |U[-b,b]| = b/2
  EXPECT_TRUE(params.tail(out).isZero());
}

TEST(DenseTest, HeInitUsesFanInBound) {
  Rng rng(6);
  const Index in = 50, out = 20;
  Vector params(in * out + out), grads(in * out + out);
  Dense dense(out);
  dense.bind(params.data(), grads.data(), in);
  dense.init_he(rng);
  const double bound = std::sqrt(6.0 / in);
  EXPECT_DOUBLE_EQ(Dense::he_bound(in), bound);
  const auto w = params.head(in * out).array();
  EXPECT_LE(w.abs().maxCoeff(), static_cast<Scalar>(bound));
  EXPECT_GT(w.abs().maxCoeff(), 0.95 * bound);
  EXPECT_GT(w.abs().maxCoeff(), Dense::glorot_bound(in, out));  // wider than Glorot here
  EXPECT_TRUE(params.tail(out).isZero());
}

TEST(DenseTest, InitIsReproducibleBySeed) {
  const auto init = [](std::uint64_t seed) {
    Vector params(12 + 4), grads(12 + 4);
    Dense dense(4);
    dense.bind(params.data(), grads.data(), 3);
    Rng rng(seed);
    dense.init_params(rng);
    return params;
  };
  EXPECT_EQ(init(9), init(9));
  EXPECT_NE(init(9), init(10));
}

}  // namespace
}  // namespace nnfit::nn
