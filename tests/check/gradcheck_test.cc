// The library gradcheck: every real layer, loss, activation and penalty passes at the default
// tolerance (1e-4) with double-precision differences; a test-only layer whose bprop is wrong
// (or whose forward disagrees with the reference) fails; the options change what is checked.
#include "check/gradcheck.h"

#include <gtest/gtest.h>

#include <memory>

#include "nn/activation.h"
#include "testing/grad_check.h"

namespace nnfit::check {
namespace {

using nn::Activation;
using nn::LossKind;

struct Case {
  nn::Network net;
  Matrix x, y;
};

// A network of the given shape with random data and targets suited to its loss.
Case make_case(std::vector<Index> hidden, std::vector<Activation> acts, LossKind loss,
               Index outputs, std::uint64_t seed, Index n = 24) {
  nn::NetworkSpec spec;
  spec.inputs = 4;
  spec.hidden = std::move(hidden);
  spec.activations = std::move(acts);
  spec.outputs = outputs;
  spec.loss = loss;
  Case c{nn::Network(spec), Matrix(), Matrix()};
  Rng rng(seed);
  c.net.init_params(rng);
  for (Index i = 0; i < c.net.param_count(); ++i) {  // nonzero biases: a bias bug cannot hide
    if (c.net.params()[i] == 0) c.net.params()[i] = static_cast<Scalar>(rng.uniform(-0.3, 0.3));
  }
  c.x = test::random_matrix(4, n, rng, -2, 2);
  if (loss == LossKind::kSquaredError) {
    c.y = test::random_matrix(outputs, n, rng, -1.5, 1.5);
  } else {
    const Index k = loss == LossKind::kSoftmaxNll ? outputs : 2;
    c.y.resize(1, n);
    for (Index j = 0; j < n; ++j)
      c.y(0, j) = static_cast<Scalar>(rng.below(static_cast<std::uint64_t>(k)));
  }
  return c;
}

GradcheckResult run(Case& c, GradcheckOptions o = {}) {
  Rng rng(7);
  return gradcheck(c.net, c.x, c.y, o, rng);
}

TEST(GradcheckTest, RealLayersLossesAndPenaltiesPass) {
  struct Net {
    std::vector<Index> hidden;
    std::vector<Activation> acts;
    LossKind loss;
    Index outputs;
    double l1, l2;
  };
  const std::vector<Net> nets{
      {{6}, {Activation::kTanh}, LossKind::kSoftmaxNll, 3, 0, 0},
      {{5, 4}, {Activation::kSigmoid, Activation::kTanh}, LossKind::kSigmoidBce, 1, 0.01, 0.1},
      {{7}, {Activation::kRelu}, LossKind::kSquaredError, 2, 0.02, 0},
      {{6, 3}, {Activation::kRelu, Activation::kIdentity}, LossKind::kSoftmaxNll, 3, 0, 0.5},
      {{}, {}, LossKind::kSquaredError, 1, 0.05, 0.05},
  };
  for (std::uint64_t seed : {1, 2}) {
    for (std::size_t k = 0; k < nets.size(); ++k) {
      const Net& n = nets[k];
      Case c = make_case(n.hidden, n.acts, n.loss, n.outputs, seed);
      GradcheckOptions o;
      o.l1 = n.l1;
      o.l2 = n.l2;
      const Vector before = c.net.params();
      const GradcheckResult r = run(c, o);
      EXPECT_TRUE(r.passed) << "net " << k << " seed " << seed << " error " << r.max_error
                            << " gap " << r.forward_gap;
      EXPECT_EQ(r.checked + r.kinks, c.net.param_count());
      EXPECT_LT(r.forward_gap, 1e-6);
      EXPECT_TRUE(c.net.params() == before);  // restored bit for bit
      EXPECT_EQ(r.layers.size(), n.hidden.size() + 1);
    }
  }
}

// Test-only: tanh whose bprop forgets the square, dx = dy (1 - y).
class WrongTanh : public nn::Tanh {
 public:
  void bprop(const ConstMatrixRef&, const ConstMatrixRef& y, const ConstMatrixRef& dy,
             MatrixRef dx) override {
    if (dx.cols() > 0) dx.array() = dy.array() * (Scalar(1) - y.array());
  }
};

// Test-only: a correct bprop but a forward 10% off the formula the reference uses.
class ScaledTanh : public nn::Tanh {
 public:
  void fprop(const ConstMatrixRef& x, MatrixRef y) override {
    y.array() = Scalar(1.1) * x.array().tanh();
  }
};

TEST(GradcheckTest, AWrongBpropFailsInTheLayersBeforeIt) {
  Case c = make_case({6}, {Activation::kTanh}, LossKind::kSoftmaxNll, 3, 3);
  ASSERT_TRUE(run(c).passed);
  c.net.replace_layer(1, std::make_unique<WrongTanh>());
  const GradcheckResult r = run(c);
  EXPECT_FALSE(r.passed);
  EXPECT_GT(r.layers[0].max_error, 1e-2);  // dense 1 gets the wrong dx
  EXPECT_LT(r.layers[1].max_error, 1e-4);  // dense 2 is after it: still right
  EXPECT_LT(r.forward_gap, 1e-6);          // the forward is the reference's
}

TEST(GradcheckTest, AForwardThatDisagreesWithTheReferenceFails) {
  Case c = make_case({6}, {Activation::kTanh}, LossKind::kSquaredError, 1, 4);
  c.net.replace_layer(1, std::make_unique<ScaledTanh>());
  const GradcheckResult r = run(c);
  EXPECT_FALSE(r.passed);
  EXPECT_GT(r.forward_gap, kForwardTolerance);
}

TEST(GradcheckTest, FloatDifferencesHaveAFloorFarAboveDouble) {
  Case c =
      make_case({5, 4}, {Activation::kSigmoid, Activation::kTanh}, LossKind::kSoftmaxNll, 3, 5);
  GradcheckOptions o;
  const double in_double = run(c, o).max_error;
  o.differences = Differences::kFloat;
  const double in_float = run(c, o).max_error;
  EXPECT_LT(in_double, 1e-4);
  EXPECT_GT(in_float, 10 * in_double);
}

TEST(GradcheckTest, RowsParamsAndToleranceChangeTheCheck) {
  Case c = make_case({10}, {Activation::kTanh}, LossKind::kSoftmaxNll, 3, 6, 40);
  GradcheckOptions o;
  o.rows = 5;
  EXPECT_EQ(run(c, o).rows, 5);
  o.rows = 1000;
  EXPECT_EQ(run(c, o).rows, 40);  // all there are
  o.params = 20;                  // 83 parameters: a sample, every layer keeps a share
  const GradcheckResult r = run(c, o);
  EXPECT_EQ(r.parameters, c.net.param_count());
  EXPECT_LE(r.checked + r.kinks, 20);
  EXPECT_GE(r.checked + r.kinks, 19);
  for (const LayerCheck& l : r.layers) EXPECT_GE(l.checked + l.kinks, 1) << l.name;
  o.params = 0;
  EXPECT_EQ(run(c, o).checked + run(c, o).kinks, c.net.param_count());
  o.tolerance = 1e-12;  // below what float bprop can give
  EXPECT_FALSE(run(c, o).passed);
}

TEST(GradcheckTest, AnL1WeightWithinTheStepOfZeroIsAKinkNotAFailure) {
  Case c = make_case({4}, {Activation::kTanh}, LossKind::kSquaredError, 1, 8);
  c.net.params()[0] = 3e-6f;  // a weight (W comes first), well inside the step 1e-5
  GradcheckOptions o;
  o.l1 = 0.1;
  const GradcheckResult r = run(c, o);
  EXPECT_TRUE(r.passed) << r.max_error;
  EXPECT_EQ(r.kinks, 1);
  EXPECT_EQ(r.layers[0].kinks, 1);
}

}  // namespace
}  // namespace nnfit::check
