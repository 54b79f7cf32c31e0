// The library gradcheck: every real layer, loss, activation and penalty passes at the default
// tolerance (1e-4) with double-precision differences, with and without dropout (under a fixed
// mask) and sample weights; a test-only layer whose bprop is wrong, a loss whose weighted
// gradient ignores the weights, a forward that disagrees with the reference or masks that
// change between passes fail; the options change what is checked.
#include "check/gradcheck.h"

#include <gtest/gtest.h>

#include <memory>

#include "check/reference.h"
#include "core/error.h"
#include "nn/activation.h"
#include "testing/broken.h"
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

// A network to check: its shape and loss, the penalty, and dropout rates / sample weights.
struct Net {
  std::vector<Index> hidden;
  std::vector<Activation> acts;
  LossKind loss;
  Index outputs;
  double l1 = 0, l2 = 0;
  std::vector<double> rates = {};  // set_dropout's
  bool weighted = false;           // random sample weights
};

TEST(GradcheckTest, RealLayersLossesAndPenaltiesPass) {
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
  c.net.replace_layer(1, std::make_unique<test::WrongTanh>());
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

// A zero input row with zero first-layer biases puts every first ReLU input of that row exactly
// at 0 (under dropout, a row whose inputs to a unit are all dropped does the same): its bias's
// one-sided differences differ by that one row's share, under 10% of 200 rows, whatever the
// step (the sides had to differ by 10% before, and such a bias failed).
TEST(GradcheckTest, AReluInputExactlyAtZeroIsAKinkNotAFailure) {
  Case c = make_case({6}, {Activation::kRelu}, LossKind::kSoftmaxNll, 3, 16, 200);
  c.x.col(3).setZero();
  c.net.params().segment(6 * 4, 6).setZero();  // dense 1's b follows its 6 x 4 W
  GradcheckOptions o;
  o.rows = 200;
  const GradcheckResult r = run(c, o);
  EXPECT_TRUE(r.passed) << r.max_error;
  EXPECT_GE(r.layers[0].kinks, 1);
  EXPECT_LE(r.layers[0].kinks, 6);  // only the biases
  EXPECT_EQ(r.layers[1].kinks, 0);
  c.net.replace_layer(1, std::make_unique<test::WrongRelu>());  // still caught around the kinks
  EXPECT_FALSE(run(c, o).passed);
}

// Sample weights in [0, 3), a quarter of them exactly 0 (rows that must not count at all).
Vector random_weights(Index n, std::uint64_t seed) {
  Rng rng(seed);
  Vector w(n);
  for (Index j = 0; j < n; ++j) {
    w[j] = rng.below(4) == 0 ? Scalar(0) : static_cast<Scalar>(rng.uniform(0.0, 3.0));
  }
  return w;
}

TEST(GradcheckTest, DropoutUnderAFixedMaskAndSampleWeightsPass) {
  const std::vector<Net> nets{
      {{6}, {Activation::kTanh}, LossKind::kSoftmaxNll, 3, 0, 0.05, {0.3}, false},
      {{5, 4}, {Activation::kSigmoid, Activation::kRelu}, LossKind::kSigmoidBce, 1, 0.01, 0.05,
       {0.5, 0.2}, true},
      {{7}, {Activation::kRelu}, LossKind::kSquaredError, 2, 0, 0.05, {}, true},
      {{6, 3}, {Activation::kTanh, Activation::kIdentity}, LossKind::kSoftmaxNll, 3, 0, 0.05,
       {0.4}, true},
  };
  for (std::size_t k = 0; k < nets.size(); ++k) {
    const Net& n = nets[k];
    Case c = make_case(n.hidden, n.acts, n.loss, n.outputs, 11 + k);
    c.net.set_dropout(n.rates, 5);
    GradcheckOptions o;
    o.l1 = n.l1;
    o.l2 = n.l2;
    const double plain = run(c, o).loss;
    if (n.weighted) o.weights = random_weights(c.x.cols(), k);
    const Vector before = c.net.params();
    const GradcheckResult r = run(c, o);
    EXPECT_TRUE(r.passed) << "net " << k << " error " << r.max_error << " gap " << r.forward_gap;
    EXPECT_LT(r.forward_gap, 1e-6) << "net " << k;
    EXPECT_EQ(r.checked + r.kinks, c.net.param_count());
    EXPECT_TRUE(c.net.params() == before);
    EXPECT_EQ(r.weighted, n.weighted);
    Index units = 0;  // every hidden output with a rate is under the mask, for each row
    for (std::size_t h = 0; h < n.hidden.size(); ++h) {
      if (!n.rates.empty()) units += n.hidden[h];
    }
    EXPECT_EQ(r.masked, units * r.rows) << "net " << k;
    if (units > 0) {
      EXPECT_GT(r.dropped, 0) << "net " << k;
    }
    if (n.weighted) {
      EXPECT_NE(r.loss, plain) << "net " << k;  // the weights were applied
    }
  }
}

TEST(GradcheckTest, TheReferenceComputesTheNetworksDropoutUnderItsMask) {
  Case c = make_case({8, 5}, {Activation::kTanh, Activation::kRelu}, LossKind::kSoftmaxNll, 3, 12,
                     10);
  c.net.set_dropout({0.4, 0.3}, 9);
  const Eigen::VectorXd w = c.net.params().cast<double>();
  EXPECT_THROW(Reference(c.net, c.x, c.y, 0, 0), nnfit::Error);  // no mask drawn yet
  c.net.fix_dropout_masks(true);
  const double first = c.net.forward_backward(c.x, c.y);
  Reference ref(c.net, c.x, c.y, 0, 0);
  EXPECT_NEAR(ref.value(w), first, 1e-6 * first);
  EXPECT_NEAR(c.net.forward_backward(c.x, c.y), first, 1e-6 * first);  // the mask is kept
  c.net.fix_dropout_masks(false);  // a different mask: the old reference no longer agrees
  const double second = c.net.forward_backward(c.x, c.y);
  EXPECT_GT(std::abs(ref.value(w) - second), 1e-3 * second);
  EXPECT_NEAR(Reference(c.net, c.x, c.y, 0, 0).value(w), second, 1e-6 * second);
  c.net.set_training(false);  // and without dropout at all it differs from both
  const double none = c.net.forward_backward(c.x, c.y);
  EXPECT_GT(std::abs(ref.value(w) - none), 1e-3 * none);
}

TEST(GradcheckTest, AWrongBpropOrChangingMasksFailUnderDropout) {
  Case c = make_case({6}, {Activation::kTanh}, LossKind::kSoftmaxNll, 3, 13);
  c.net.set_dropout({0.3}, 2);
  ASSERT_TRUE(run(c).passed);
  GradcheckOptions o;
  o.prepare = [](nn::Network& net) { net.fix_dropout_masks(false); };  // a new mask per pass
  const GradcheckResult changing = run(c, o);
  EXPECT_FALSE(changing.passed);
  EXPECT_GT(changing.forward_gap, kForwardTolerance);
  c.net.replace_layer(1, std::make_unique<test::WrongTanh>());
  const GradcheckResult wrong = run(c);
  EXPECT_FALSE(wrong.passed);
  EXPECT_GT(wrong.layers[0].max_error, 1e-2);
  EXPECT_LT(wrong.layers[1].max_error, 1e-4);
  EXPECT_LT(wrong.forward_gap, 1e-6);
}

TEST(GradcheckTest, ALossWhoseWeightedGradientIgnoresTheWeightsFails) {
  for (LossKind loss : {LossKind::kSoftmaxNll, LossKind::kSquaredError}) {
    Case c = make_case({6}, {Activation::kTanh}, loss, loss == LossKind::kSoftmaxNll ? 3 : 1, 14);
    c.net.replace_loss(std::make_unique<test::WeightBlindLoss>(loss));
    GradcheckOptions o;
    o.weights = Vector::Ones(c.x.cols());
    EXPECT_TRUE(run(c, o).passed);  // equal weights: the unweighted gradient is right
    o.weights = random_weights(c.x.cols(), 3);
    const GradcheckResult r = run(c, o);
    EXPECT_FALSE(r.passed);
    EXPECT_GT(r.max_error, 1e-2);
    EXPECT_LT(r.forward_gap, 1e-6);  // the values are right: only the gradient is caught
  }
}

TEST(GradcheckTest, TheReferenceLossIsTheWeightedMean) {
  Rng rng(15);
  const Eigen::MatrixXd z = test::random_matrix(3, 5, rng, -2, 2).cast<double>();
  Eigen::MatrixXd t(1, 5);
  t << 0, 2, 1, 1, 0;
  Eigen::VectorXd w(5);
  w << 2, 0, 1, 0.5, 3;
  double sum = 0.0;  // sum_b w_b loss_b / sum_b w_b, each loss_b a one-column mean
  for (Index b = 0; b < 5; ++b) sum += w[b] * mean_loss(LossKind::kSoftmaxNll, z.col(b), t.col(b));
  EXPECT_NEAR(mean_loss(LossKind::kSoftmaxNll, z, t, &w), sum / 6.5, 1e-12);
  // Weight 2 on a column is the column twice; weight 0 is the column left out.
  Eigen::MatrixXd z2(3, 6), t2(1, 6);
  z2 << z.col(0), z.col(0), z.col(2), z.col(4), z.col(4), z.col(4);
  t2 << t(0, 0), t(0, 0), t(0, 2), t(0, 4), t(0, 4), t(0, 4);
  Eigen::VectorXd w3(5);
  w3 << 2, 0, 1, 0, 3;
  EXPECT_NEAR(mean_loss(LossKind::kSoftmaxNll, z, t, &w3), mean_loss(LossKind::kSoftmaxNll, z2, t2),
              1e-12);
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(5);
  EXPECT_NEAR(mean_loss(LossKind::kSoftmaxNll, z, t, &ones), mean_loss(LossKind::kSoftmaxNll, z, t),
              1e-12);
}

}  // namespace
}  // namespace nnfit::check
