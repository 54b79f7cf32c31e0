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

namespace nnfit::train {
namespace {

// A 5-16-16-3 tanh softmax network and 40 labelled columns.
struct ParallelCase {
  nn::Network net;
  Matrix x, y;
  Vector weights;
  std::vector<Index> rows;
  ParallelCase() : net(spec()), y(1, 40) {
    Rng rng(11);
    net.init_params(rng);
    x = test::random_matrix(5, 40, rng);
    weights.resize(40);
    for (Index j = 0; j < 40; ++j) {
      y(0, j) = static_cast<Scalar>(j % 3);
      weights[j] = static_cast<Scalar>(0.5 + (j % 4));
    }
    for (Index j = 39; j >= 0; j -= 2) rows.push_back(j);  // 20 rows, not in order
    for (Index j = 0; j < 40; j += 4) rows.push_back(j);   // and 10 more: B = 30
  }
  static nn::NetworkSpec spec() {
    nn::NetworkSpec s;
    s.inputs = 5;
    s.hidden = {16, 16};
    s.activations = {nn::Activation::kTanh, nn::Activation::kTanh};
    s.outputs = 3;
    s.loss = nn::LossKind::kSoftmaxNll;
    return s;
  }
};

// One batch split over T threads gives the single-threaded loss and gradient (to float
// rounding: the parts' means are combined in another order), with weights and L1/L2, and the
// same bits every time for a given T.
TEST(NetworkObjectiveTest, ParallelBatchesMatchTheSingleThreadedGradient) {
  for (const bool weighted : {false, true}) {
    ParallelCase c;
    const Vector* w = weighted ? &c.weights : nullptr;
    NetworkObjective one(c.net, c.x, c.y, 0.01, 0.1, 32, w);
    const Vector point = c.net.params();
    const optim::BatchEval e1 = one.batch(point, c.rows.data(), 30);
    const Vector g1 = *e1.grad;
    for (int threads : {2, 3}) {
      WorkPool pool(threads);
      NetworkObjective many(c.net, c.x, c.y, 0.01, 0.1, 32, w);
      many.set_pool(&pool, 0, 0);
      const optim::BatchEval e = many.batch(point, c.rows.data(), 30);
      const Vector g = *e.grad;
      EXPECT_NEAR(e.loss, e1.loss, 1e-6 * std::abs(e1.loss)) << threads << " threads";
      EXPECT_LT((g - g1).cwiseAbs().maxCoeff(), 1e-6 * g1.cwiseAbs().maxCoeff())
          << threads << " threads, weighted " << weighted;
      const optim::BatchEval again = many.batch(point, c.rows.data(), 30);
      EXPECT_EQ(again.loss, e.loss);
      EXPECT_TRUE(*again.grad == g) << "not reproducible with " << threads << " threads";
    }
  }
}

// full() (L-BFGS, Newton) over T parts of the columns: the serial value and gradient to float
// rounding, the same bits on every call.
TEST(NetworkObjectiveTest, ParallelFullPassesMatchTheSerialOne) {
  ParallelCase c;
  NetworkObjective one(c.net, c.x, c.y, 0.01, 0.1, 8, &c.weights);
  const Vector point = c.net.params();
  Vector g1, g, again;
  const double f1 = one.full(point, &g1);
  WorkPool pool(2);
  NetworkObjective two(c.net, c.x, c.y, 0.01, 0.1, 8, &c.weights);
  two.set_pool(&pool, 0, 0);
  const double f = two.full(point, &g);
  EXPECT_NEAR(f, f1, 1e-6 * std::abs(f1));
  EXPECT_LT((g - g1).cwiseAbs().maxCoeff(), 1e-6 * g1.cwiseAbs().maxCoeff());
  EXPECT_EQ(two.full(point, &again), f);
  EXPECT_TRUE(again == g);
}

// A batch too small to split (B < 2 T, fewer columns a part than kMinPartColumns, or less work
// than kMinSplitWork) runs on one thread:
// exactly the single-threaded result.
TEST(NetworkObjectiveTest, SmallBatchesAreNotSplit) {
  ParallelCase c;
  NetworkObjective one(c.net, c.x, c.y, 0.0, 0.0, 32);
  WorkPool pool(2);
  NetworkObjective two(c.net, c.x, c.y, 0.0, 0.0, 32);
  two.set_pool(&pool);
  const Vector point = c.net.params();
  const double l1 = one.batch(point, c.rows.data(), 3).loss;
  const Vector g1 = *one.batch(point, c.rows.data(), 3).grad;
  EXPECT_EQ(two.batch(point, c.rows.data(), 3).loss, l1);
  EXPECT_TRUE(*two.batch(point, c.rows.data(), 3).grad == g1);
  const double l30 = one.batch(point, c.rows.data(), 30).loss;  // 419 parameters x 30 columns
  const Vector g30 = *one.batch(point, c.rows.data(), 30).grad;
  EXPECT_EQ(two.batch(point, c.rows.data(), 30).loss, l30);
  EXPECT_TRUE(*two.batch(point, c.rows.data(), 30).grad == g30);
  two.set_pool(&pool, 0, 0);  // forced: split, so not the same bits
  EXPECT_FALSE(*two.batch(point, c.rows.data(), 30).grad == g30);
}

// A replica views its owner's parameters (a step on the owner is seen at once) and draws its
// own dropout masks: replicas 1 and 2 and the owner give three different losses on one batch,
// and with dropout off they give the owner's.
TEST(NetworkObjectiveTest, ReplicasShareParametersAndDrawTheirOwnDropoutMasks) {
  ParallelCase c;
  c.net.set_dropout({0.5}, 7);
  c.net.reserve(8);
  const auto one = c.net.replica(1);
  const auto two = c.net.replica(2);
  const auto xb = c.x.leftCols(8);
  const auto yb = c.y.leftCols(8);
  const double owner = c.net.forward_backward(xb, yb);
  const double a = one->forward_backward(xb, yb);
  const double b = two->forward_backward(xb, yb);
  EXPECT_NE(a, owner);
  EXPECT_NE(b, owner);
  EXPECT_NE(a, b);
  c.net.params() *= 0.5f;  // same size: the storage stays, the replicas see the new values
  c.net.set_training(false);
  one->set_training(false);
  const double halved = c.net.forward_backward(xb, yb);
  EXPECT_EQ(one->forward_backward(xb, yb), halved);
  EXPECT_TRUE(one->grads() == c.net.grads());
  EXPECT_EQ(one->params().size(), 0);
}

}  // namespace
}  // namespace nnfit::train
