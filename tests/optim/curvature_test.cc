// lambda_max (and lambda_min) by power iteration on Hessian-vector products against the exact ends
// of a small network's dense Hessian, which the test builds from second differences of the LOSS
// VALUE (not of the gradient), so it shares no code with the estimate.
#include "optim/curvature.h"

#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>

#include "core/error.h"
#include "optim/least_squares.h"
#include "optim/quadratic.h"
#include "train/objective.h"

namespace nnfit::optim {
namespace {

struct Problem {
  nn::Network net;
  Matrix x, y;
};

Problem tanh_net(std::uint64_t seed) {
  nn::NetworkSpec spec;
  spec.inputs = 2;
  spec.hidden = {3};
  spec.activations = {nn::Activation::kTanh};
  spec.outputs = 1;
  spec.loss = nn::LossKind::kSquaredError;
  Problem p{nn::Network(spec), Matrix(2, 20), Matrix(1, 20)};
  Rng rng(seed);
  p.net.init_params(rng);
  for (Index j = 0; j < 20; ++j) {
    p.x(0, j) = static_cast<Scalar>(rng.uniform(-1, 1));
    p.x(1, j) = static_cast<Scalar>(rng.uniform(-1, 1));
    p.y(0, j) = std::sin(2 * p.x(0, j)) + p.x(1, j);
  }
  return p;
}

// H_ij = (f(++) - f(+-) - f(-+) + f(--)) / 4h^2; float rounding of f (~3e-8) / 4h^2 ~ 1e-4.
Eigen::MatrixXd dense_hessian(Objective& f, Vector& w, double h) {
  const Index n = w.size();
  Eigen::MatrixXd hess(n, n);
  const Vector w0 = w;
  auto at = [&](Index i, double si, Index j, double sj) {
    w = w0;
    w[i] += static_cast<Scalar>(si * h);
    w[j] += static_cast<Scalar>(sj * h);
    return f.full(w, nullptr);
  };
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j <= i; ++j) {
      const double v =
          (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h * h);
      hess(i, j) = hess(j, i) = v;
    }
  }
  w = w0;
  return hess;
}

TEST(CurvatureTest, LambdaMaxMatchesTheDenseHessian) {
  for (std::uint64_t seed : {1, 2, 3}) {
    Problem p = tanh_net(seed);
    train::NetworkObjective f(p.net, p.x, p.y, 0.0, 0.01, 20);
    Vector w = p.net.params();
    const Eigen::VectorXd eig =
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(dense_hessian(f, w, 1e-2)).eigenvalues();
    Rng rng(seed);
    const Vector before = w;
    const PowerResult r = lambda_max(f, w, rng, 300, 1e-6);
    EXPECT_TRUE(w == before);  // the point is restored bit for bit
    EXPECT_NEAR(r.lambda, eig.maxCoeff(), 0.03 * eig.maxCoeff()) << "seed " << seed;
    EXPECT_GT(eig.maxCoeff(), 0);
    // The other end: lambda_min by power iteration on lambda_max I - H.
    const PowerResult low = lambda_min(f, w, rng, r.lambda, 3000, 1e-7);
    EXPECT_TRUE(w == before);
    const double spread = eig.maxCoeff() - eig.minCoeff();
    EXPECT_NEAR(low.lambda, eig.minCoeff(), 0.03 * spread) << "seed " << seed;
  }
}

// A classification net (softmax over 3 classes, sigmoid) against its dense Hessian.
TEST(CurvatureTest, AClassifiersLambdaMaxMatchesTheDenseHessian) {
  nn::NetworkSpec spec;
  spec.inputs = 2;
  spec.hidden = {3};
  spec.activations = {nn::Activation::kSigmoid};
  spec.outputs = 3;
  spec.loss = nn::LossKind::kSoftmaxNll;
  nn::Network net(spec);
  Rng rng(5);
  net.init_params(rng);
  Matrix x(2, 30), y(1, 30);
  for (Index j = 0; j < 30; ++j) {
    x(0, j) = static_cast<Scalar>(rng.uniform(-1, 1));
    x(1, j) = static_cast<Scalar>(rng.uniform(-1, 1));
    y(0, j) = static_cast<Scalar>(x(0, j) > 0.3f ? 2 : x(1, j) > 0 ? 1 : 0);
  }
  train::NetworkObjective f(net, x, y, 0.0, 0.0, 30);
  Vector w = net.params();
  const Eigen::VectorXd eig =
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(dense_hessian(f, w, 1e-2)).eigenvalues();
  const PowerResult r = lambda_max(f, w, rng, 300, 1e-6);
  EXPECT_NEAR(r.lambda, eig.maxCoeff(), 0.03 * eig.maxCoeff());
}

TEST(CurvatureTest, TheRuleOneOverLambdaMaxIsTheStableScale) {
  // Least squares: H = A A' / N exactly. Gradient descent at 1/lambda_max converges; at
  // 2.2/lambda_max (beyond the 2/lambda_max limit) it diverges.
  Matrix a(2, 4);
  a << 3, -3, 1, 0,  //
      0, 1, 1, -1;
  Vector b(4);
  b << 1, 2, -1, 0.5f;
  test::LeastSquares f(a, b);
  Vector w = Vector::Zero(2), g(2);
  Rng rng(1);
  const double lambda = lambda_max(f, w, rng, 200, 1e-8).lambda;
  const Eigen::MatrixXd h = a.cast<double>() * a.cast<double>().transpose() / 4;
  EXPECT_NEAR(lambda, Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(h).eigenvalues()[1], 1e-3);
  auto run = [&](double lr) {
    Vector x = Vector::Zero(2);
    for (int k = 0; k < 200; ++k) {
      f.full(x, &g);
      x -= static_cast<Scalar>(lr) * g;
    }
    return f.full(x, &g);
  };
  const double best = f.full(f.solution().cast<Scalar>(), nullptr);
  EXPECT_NEAR(run(rate_from_curvature(lambda)), best, 1e-5);
  EXPECT_GT(run(2.2 * rate_from_curvature(lambda)), 1e3);
  EXPECT_THROW(rate_from_curvature(-1.0), ConfigError);
  EXPECT_THROW(rate_from_curvature(0.0), ConfigError);
}

TEST(CurvatureTest, NegativeDominantCurvatureStillGivesTheLargestEigenvalue) {
  Matrix h(3, 3);  // eigenvalues 1.5, 0.5 (the x-y block) and -4: the dominant one is negative
  h << 1, 0.5, 0,  //
      0.5, 1, 0,   //
      0, 0, -4;
  test::Quadratic f(h);
  Vector w = Vector::Constant(3, 0.3f);
  Rng rng(4);
  const PowerResult r = lambda_max(f, w, rng, 500, 1e-8);
  EXPECT_NEAR(r.lambda, 1.5, 1e-3);
  EXPECT_NEAR(std::abs(r.vector[0]), std::sqrt(0.5), 1e-2);
}

}  // namespace
}  // namespace nnfit::optim
