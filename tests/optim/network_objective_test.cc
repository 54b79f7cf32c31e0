// The network as an Objective: the full-set gradient (penalty included) against central
// differences of its value, and batches that agree with the full set.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace nnfit::train
