// Tests for Network::init_params' schemes: Glorot and He have their documented variances on a
// wide layer, auto is He before ReLU and Glorot elsewhere (draw for draw), biases are zero.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "nn/network.h"

namespace nnfit::nn {
namespace {

Network make(Activation act, Index width = 400) {
  NetworkSpec spec;
  spec.inputs = width;
  spec.hidden = {width};
  spec.activations = {act};
  spec.outputs = 2;
  spec.loss = LossKind::kSoftmaxNll;
  return Network(spec);
}

Network initialised(Activation act, Init init, std::uint64_t seed = 1) {
  Network net = make(act);
  Rng rng(seed);
  net.init_params(rng, init);
  return net;
}

// Mean and variance of block b's weights.
std::pair<double, double> moments(const Network& net, std::size_t b) {
  const WeightBlock& w = net.weight_blocks().at(b);
  const Index n = w.rows * w.cols;
  double sum = 0, sq = 0;
  for (Index i = 0; i < n; ++i) {
    const double v = net.params()[w.offset + i];
    sum += v;
    sq += v * v;
  }
  const double mean = sum / static_cast<double>(n);
  return {mean, sq / static_cast<double>(n) - mean * mean};
}

TEST(InitTest, GlorotAndHeHaveTheirVariancesOnAWideLayer) {
  // 400 x 400 = 160000 draws: the sample variance of a uniform is within ~0.25 % (1 sigma).
  const auto [glorot_mean, glorot_var] = moments(initialised(Activation::kRelu, Init::kGlorot), 0);
  const auto [he_mean, he_var] = moments(initialised(Activation::kRelu, Init::kHe), 0);
  EXPECT_NEAR(glorot_var, 2.0 / (400 + 400), 0.02 * 2.0 / 800);
  EXPECT_NEAR(he_var, 2.0 / 400, 0.02 * 2.0 / 400);
  EXPECT_NEAR(glorot_mean, 0, 5 * std::sqrt(glorot_var / 160000));
  EXPECT_NEAR(he_mean, 0, 5 * std::sqrt(he_var / 160000));
  // Uniform, not normal: every weight is inside the bound sqrt(6 / fan_in).
  const Network he = initialised(Activation::kRelu, Init::kHe);
  const WeightBlock& w = he.weight_blocks()[0];
  EXPECT_LE(he.params().segment(w.offset, w.rows * w.cols).cwiseAbs().maxCoeff(),
            std::sqrt(6.0 / 400));
}

TEST(InitTest, AutoIsHeBeforeReluAndGlorotElsewhere) {
  const auto block = [](const Network& net, std::size_t b) {
    const WeightBlock& w = net.weight_blocks()[b];
    return Vector(net.params().segment(w.offset, w.rows * w.cols));
  };
  const Network a = initialised(Activation::kRelu, Init::kAuto);
  const Network g = initialised(Activation::kRelu, Init::kGlorot);
  const Network h = initialised(Activation::kRelu, Init::kHe);
  // Every scheme draws the same uniforms in the same order; only the bound differs.
  EXPECT_TRUE(block(a, 0) == block(h, 0));  // the hidden layer feeds a ReLU: He
  EXPECT_TRUE(block(a, 1) == block(g, 1));  // the output layer: Glorot
  EXPECT_FALSE(block(g, 0) == block(h, 0));
  // Without a ReLU, auto is Glorot everywhere; the default argument is auto.
  Network t = make(Activation::kTanh);
  Rng rng(1);
  t.init_params(rng);
  EXPECT_TRUE(t.params() == initialised(Activation::kTanh, Init::kGlorot).params());
  // Biases are zero in every scheme.
  const Vector& mask = h.weight_mask();
  for (Index i = 0; i < mask.size(); ++i) {
    if (mask[i] == 0) {
      ASSERT_EQ(h.params()[i], 0) << i;
    }
  }
}

TEST(InitTest, ParsesNamesAndRejectsOthers) {
  EXPECT_EQ(parse_init("auto"), Init::kAuto);
  EXPECT_EQ(parse_init("glorot"), Init::kGlorot);
  EXPECT_EQ(parse_init("he"), Init::kHe);
  EXPECT_THROW(parse_init("xavier"), ConfigError);
}

}  // namespace
}  // namespace nnfit::nn
