// The Trainer's regularization: max-norm (NetworkObjective::project, after every update),
// dropout during training only, and full() that never drops.
#include <gtest/gtest.h>

#include <cmath>

#include "testing/grad_check.h"
#include "train/objective.h"
#include "train/trainer.h"

namespace nnfit::train {
namespace {

nn::Network make_net(std::vector<Index> hidden, nn::Activation act, std::uint64_t seed) {
  nn::NetworkSpec spec;
  spec.inputs = 4;
  spec.hidden = std::move(hidden);
  spec.activations.assign(spec.hidden.size(), act);
  spec.outputs = 3;
  spec.loss = nn::LossKind::kSoftmaxNll;
  nn::Network net(spec);
  Rng rng(seed);
  net.init_params(rng);
  return net;
}

// Three separable blobs in 4-D, scaled up so that unconstrained weights grow large.
struct Blobs {
  Matrix x{4, 90}, y{1, 90};
  Blobs() {
    Rng rng(3);
    for (Index j = 0; j < 90; ++j) {
      const Index c = j % 3;
      y(0, j) = static_cast<Scalar>(c);
      for (Index i = 0; i < 4; ++i) {
        x(i, j) = static_cast<Scalar>((i == c ? 2.0 : 0.0) + rng.uniform(-0.5, 0.5));
      }
    }
  }
};

// The largest Euclidean norm of a unit's incoming weights (a row of some W) in net.
double max_unit_norm(const nn::Network& net) {
  double worst = 0;
  for (const nn::WeightBlock& b : net.weight_blocks()) {
    const Eigen::Map<const Matrix> W(net.params().data() + b.offset, b.rows, b.cols);
    for (Index r = 0; r < b.rows; ++r) worst = std::max<double>(worst, W.row(r).norm());
  }
  return worst;
}

TrainOptions options() {
  TrainOptions opt;
  opt.hidden = {8};
  opt.lr = 0.1;
  opt.batch_size = 10;
  opt.epochs = 60;
  return opt;
}

TEST(RegularizationTest, MaxNormCapsEveryUnitsIncomingWeights) {
  Blobs d;
  const FitData data{&d.x, &d.y, nullptr, nullptr, true, 1.0};
  nn::Network free_net = make_net({8}, nn::Activation::kRelu, 1);
  nn::Network capped = free_net;
  TrainOptions opt = options();
  Rng rng_free(1), rng_capped(1);
  fit(free_net, opt, data, rng_free);
  EXPECT_GT(max_unit_norm(free_net), 0.5);  // without the cap some norms exceed it
  opt.max_norm = 0.5;
  fit(capped, opt, data, rng_capped);
  EXPECT_LE(max_unit_norm(capped), 0.5 + 1e-6);
  EXPECT_GT(max_unit_norm(capped), 0.49);  // the cap is active, not the weights collapsed
}

TEST(RegularizationTest, ProjectScalesLongRowsToTheCapAndLeavesTheRestAndBiases) {
  nn::Network net = make_net({2}, nn::Activation::kTanh, 2);
  const Matrix x = Matrix::Zero(4, 1), y = Matrix::Zero(1, 1);
  NetworkObjective f(net, x, y, 0, 0, 1, nullptr, 1.0);
  Vector w = Vector::Constant(net.param_count(), 0.1f);
  const nn::WeightBlock& b0 = net.weight_blocks()[0];  // W (2, 4): row 0 gets norm 3
  for (Index c = 0; c < 4; ++c) w[b0.offset + 0 + b0.rows * c] = 1.5f;
  w[b0.offset + b0.rows * 4] = 5.0f;  // the first bias: large, but never projected
  const Vector before = w;
  f.project(w);
  const Eigen::Map<const Matrix> W(w.data() + b0.offset, 2, 4);
  EXPECT_NEAR(W.row(0).norm(), 1.0, 1e-6);
  EXPECT_FLOAT_EQ(W(0, 2), 0.5f);  // same direction
  for (Index i = 0; i < w.size(); ++i) {
    if (i >= b0.offset + 4 * 2 || (i - b0.offset) % 2 == 1) {
      EXPECT_EQ(w[i], before[i]) << i;
    }
  }
  NetworkObjective off(net, x, y, 0, 0, 1);  // max_norm 0: no-op
  Vector w2 = before;
  off.project(w2);
  EXPECT_TRUE(w2 == before);
}

TEST(RegularizationTest, DropoutChangesTrainingButPredictionsAreDeterministic) {
  Blobs d;
  const FitData data{&d.x, &d.y, nullptr, nullptr, true, 1.0};
  nn::Network plain = make_net({8}, nn::Activation::kRelu, 4);
  nn::Network dropped = plain, again = plain;
  TrainOptions opt = options();
  opt.epochs = 5;
  Rng r1(1), r2(1), r3(1);
  fit(plain, opt, data, r1);
  opt.dropout = {0.5};
  fit(dropped, opt, data, r2);
  fit(again, opt, data, r3);
  EXPECT_FALSE(plain.params() == dropped.params());
  EXPECT_TRUE(dropped.params() == again.params());  // same seed, same masks
  // The shuffles did not move: both runs drew the same number of times from the main Rng.
  EXPECT_EQ(r1.next(), r2.next());
  // Predictions of the dropout-trained net: repeatable and equal to a plain forward pass.
  Matrix p1, p2, p3;
  dropped.predict(d.x, p1);
  dropped.predict(d.x, p2);
  nn::Network fresh(dropped.spec());
  fresh.params() = dropped.params();
  fresh.predict(d.x, p3);
  EXPECT_TRUE(p1 == p2);
  EXPECT_TRUE(p1 == p3);
}

TEST(RegularizationTest, FullObjectiveNeverDrops) {
  Blobs d;
  nn::Network net = make_net({6}, nn::Activation::kTanh, 5);
  nn::Network plain = net;
  net.set_dropout({0.5}, 1);
  NetworkObjective f(net, d.x, d.y, 0, 0, 32), g(plain, d.x, d.y, 0, 0, 32);
  Vector w = net.params(), gf(w.size()), gg(w.size());
  EXPECT_EQ(f.full(w, &gf), g.full(w, &gg));
  EXPECT_TRUE(gf == gg);
  EXPECT_TRUE(net.training());  // restored after the call
  std::vector<Index> rows{0, 1, 2, 3};
  EXPECT_NE(f.batch(w, rows.data(), 4).loss, g.batch(w, rows.data(), 4).loss);
}

}  // namespace
}  // namespace nnfit::train
