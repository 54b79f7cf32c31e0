// The network as an Objective: the full-set gradient (penalty included) against central
// differences of its value, and batches that agree with the full set.
#include <gtest/gtest.h>

#include <cmath>

#include "testing/grad_check.h"
#include "train/objective.h"

namespace nnfit::train {
namespace {

TEST(NetworkObjectiveTest, FullGradientWithPenaltyMatchesFiniteDifferences) {
  nn::NetworkSpec spec;
  spec.inputs = 3;
  spec.hidden = {4};
  spec.activations = {nn::Activation::kTanh};
  spec.outputs = 3;
  spec.loss = nn::LossKind::kSoftmaxNll;
  nn::Network net(spec);
  Rng rng(3);
  net.init_params(rng);
  const Matrix x = test::random_matrix(3, 10, rng);
  Matrix y(1, 10);
  for (Index j = 0; j < 10; ++j) y(0, j) = static_cast<Scalar>(j % 3);
  NetworkObjective f(net, x, y, 0.01, 0.1, 4);  // chunks of 4, 4, 2
  Vector w = net.params(), g(w.size());
  f.full(w, &g);
  const Eigen::VectorXd numeric =
      test::numeric_gradient(w.data(), w.size(), [&] { return f.full(w, nullptr); });
  EXPECT_LT(test::relative_error(g.cast<double>(), numeric), 1e-2);
  // One batch holding every row in order gives the same gradient as the full set.
  std::vector<Index> rows(10);
  for (Index j = 0; j < 10; ++j) rows[static_cast<std::size_t>(j)] = j;
  NetworkObjective whole(net, x, y, 0.01, 0.1, 10);
  const optim::BatchEval e = whole.batch(w, rows.data(), 10);
  EXPECT_LT((*e.grad - g).cwiseAbs().maxCoeff(), 1e-5);
  EXPECT_NEAR(e.loss + f.penalty(w), f.full(w, nullptr), 1e-5);  // batch loss excludes R
}

// L1 and L2 act on weights only (they were SgdTest.L2DecaysWeightsButNotBiases and
// L1PullsTowardZeroBySignOnWeightsOnly before the penalty moved into the objective): the
// penalised gradient differs from the plain one by mask .* (l2 w + l1 sign(w)), biases not at all,
// and the penalty is l1 sum|w| + (l2/2) sum w^2 over weights.
TEST(NetworkObjectiveTest, L1AndL2PenaliseWeightsButNotBiases) {
  nn::NetworkSpec spec;
  spec.inputs = 3;
  spec.hidden = {4};
  spec.activations = {nn::Activation::kRelu};
  spec.outputs = 1;
  spec.loss = nn::LossKind::kSquaredError;
  nn::Network net(spec);
  Rng rng(5);
  net.init_params(rng);
  Vector w = net.params();
  for (Index i = 0; i < w.size(); ++i) w[i] += 0.1f;  // nonzero biases too
  const Matrix x = test::random_matrix(3, 6, rng);
  const Matrix y = test::random_matrix(1, 6, rng);
  const double l1 = 0.02, l2 = 0.3;
  NetworkObjective plain(net, x, y, 0.0, 0.0, 6), penalised(net, x, y, l1, l2, 6);
  Vector g0(w.size()), g1(w.size());
  const double f0 = plain.full(w, &g0), f1 = penalised.full(w, &g1);
  const Vector& mask = net.weight_mask();
  ASSERT_GT(mask.sum(), 0.0f);
  ASSERT_LT(mask.sum(), static_cast<Scalar>(w.size()));
  double expected_penalty = 0.0;
  for (Index i = 0; i < w.size(); ++i) {
    const double wi = w[i];
    const double extra = mask[i] * (l2 * wi + l1 * (wi > 0 ? 1.0 : -1.0));
    EXPECT_NEAR(g1[i] - g0[i], extra, 1e-5) << "parameter " << i << " mask " << mask[i];
    expected_penalty += mask[i] * (l1 * std::abs(wi) + 0.5 * l2 * wi * wi);
  }
  EXPECT_NEAR(f1 - f0, expected_penalty, 1e-5);
}

}  // namespace
}  // namespace nnfit::train
