// Tests for nn::Network: spec validation, parameter layout and weight mask, initialisation,
// finite-difference gradient checks over architectures x losses, chunked evaluation, batch
// consistency, buffer reuse (no reallocation) and copying.
#include "nn/network.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>

#include "core/error.h"
#include "testing/grad_check.h"

namespace nnfit::nn {
namespace {

using test::kTolerance;

NetworkSpec make_spec(Index inputs, std::vector<Index> hidden, std::vector<Activation> acts,
                      Index outputs, LossKind loss) {
  NetworkSpec spec;
  spec.inputs = inputs;
  spec.hidden = std::move(hidden);
  spec.activations = std::move(acts);
  spec.outputs = outputs;
  spec.loss = loss;
  return spec;
}

Index outputs_for(LossKind loss) {
  return loss == LossKind::kSoftmaxNll ? 3 : loss == LossKind::kSigmoidBce ? 1 : 2;
}

Matrix random_targets(LossKind loss, Index batch, Rng& rng) {
  if (loss == LossKind::kSquaredError) return test::random_matrix(2, batch, rng);
  Matrix t(1, batch);
  const auto classes = static_cast<std::uint64_t>(loss == LossKind::kSoftmaxNll ? 3 : 2);
  for (Index b = 0; b < batch; ++b) t(0, b) = static_cast<Scalar>(rng.below(classes));
  return t;
}

struct Architecture {
  std::string name;
  std::vector<Index> hidden;
  std::vector<Activation> acts;
};

const std::vector<Architecture>& architectures() {
  static const std::vector<Architecture> kArchs = {
      {"Linear", {}, {}},
      {"TanhSigmoid", {5, 4}, {Activation::kTanh, Activation::kSigmoid}},
      {"ReluTanh", {6, 3}, {Activation::kRelu, Activation::kTanh}},
      {"SigmoidRelu", {4, 5}, {Activation::kSigmoid, Activation::kRelu}},
      {"Identity", {3}, {Activation::kIdentity}},
  };
  return kArchs;
}

class NetworkGradientTest
    : public ::testing::TestWithParam<std::tuple<std::size_t, LossKind>> {};

TEST_P(NetworkGradientTest, ParamGradientMatchesFiniteDifferences) {
  const auto& arch = architectures()[std::get<0>(GetParam())];
  const LossKind loss = std::get<1>(GetParam());
  Network net(make_spec(4, arch.hidden, arch.acts, outputs_for(loss), loss));
  Rng rng(31);
  net.init_params(rng);
  // Non-zero biases so that bias gradients are exercised with nonzero pre-activations.
  for (Index i = 0; i < net.param_count(); ++i) {
    if (net.weight_mask()(i) == 0) net.params()(i) = static_cast<Scalar>(rng.uniform(-0.3, 0.3));
  }
  const Matrix x = test::random_away_from_zero(4, 6, rng);
  const Matrix t = random_targets(loss, 6, rng);
  const bool has_relu =
      std::find(arch.acts.begin(), arch.acts.end(), Activation::kRelu) != arch.acts.end();
  const auto check = test::check_network_gradient(net, x, t, has_relu);
  EXPECT_LT(check.error, kTolerance) << arch.name << " " << loss_name(loss);
  EXPECT_LE(check.skipped, net.param_count() / 5) << "too many ReLU kinks to be a real check";
  EXPECT_GT(check.analytic.norm(), 1e-3);
  EXPECT_GT(test::relative_error(-check.analytic, check.numeric), kTolerance);
}

INSTANTIATE_TEST_SUITE_P(
    ArchitecturesAndLosses, NetworkGradientTest,
    ::testing::Combine(::testing::Range<std::size_t>(0, 5),
                       ::testing::Values(LossKind::kSoftmaxNll, LossKind::kSigmoidBce,
                                         LossKind::kSquaredError)),
    [](const auto& p) {
      return architectures()[std::get<0>(p.param)].name + loss_name(std::get<1>(p.param));
    });

TEST(NetworkTest, RejectsInconsistentSpecs) {
  const auto relu = Activation::kRelu;
  const auto mse = LossKind::kSquaredError;
  EXPECT_THROW(Network(make_spec(0, {}, {}, 1, mse)), ConfigError);
  EXPECT_THROW(Network(make_spec(3, {}, {}, 0, mse)), ConfigError);
  EXPECT_THROW(Network(make_spec(3, {4, 0}, {relu, relu}, 1, mse)), ConfigError);
  EXPECT_THROW(Network(make_spec(3, {4}, {}, 1, mse)), ConfigError);
  EXPECT_THROW(Network(make_spec(3, {}, {}, 1, LossKind::kSoftmaxNll)), ConfigError);
  EXPECT_THROW(Network(make_spec(3, {}, {}, 2, LossKind::kSigmoidBce)), ConfigError);
  EXPECT_NO_THROW(Network(make_spec(3, {4}, {relu}, 2, LossKind::kSoftmaxNll)));
}

TEST(NetworkTest, ParamCountAndWeightMaskMatchLayout) {
  Network net(make_spec(3, {5, 4}, {Activation::kRelu, Activation::kTanh}, 2,
                        LossKind::kSquaredError));
  const Index weights = 3 * 5 + 5 * 4 + 4 * 2, biases = 5 + 4 + 2;
  EXPECT_EQ(net.param_count(), weights + biases);
  EXPECT_EQ(net.grads().size(), net.param_count());
  EXPECT_EQ(net.weight_mask().size(), net.param_count());
  EXPECT_EQ(net.weight_mask().sum(), weights);
  // First Dense slice: 15 weights then 5 biases.
  EXPECT_TRUE(net.weight_mask().head(15).isOnes());
  EXPECT_TRUE(net.weight_mask().segment(15, 5).isZero());
  EXPECT_TRUE(net.weight_mask().tail(2).isZero());
}

TEST(NetworkTest, InitUsesGlorotOrHePerLayerAndZeroBiases) {
  // 30 -> 40 (relu: He) -> 20 (tanh: Glorot) -> 10 (output: Glorot).
  Network net(make_spec(30, {40, 20}, {Activation::kRelu, Activation::kTanh}, 10,
                        LossKind::kSquaredError));
  Rng rng(41);
  net.init_params(rng);
  const Vector& p = net.params();
  struct Slice { Index offset, count; double bound; };
  const Slice slices[] = {{0, 30 * 40, std::sqrt(6.0 / 30)},
                          {30 * 40 + 40, 40 * 20, std::sqrt(6.0 / 60)},
                          {30 * 40 + 40 + 40 * 20 + 20, 20 * 10, std::sqrt(6.0 / 30)}};
  for (const Slice& s : slices) {
    const auto w = p.segment(s.offset, s.count).array().abs();
    EXPECT_LE(w.maxCoeff(), static_cast<Scalar>(s.bound)) << "offset " << s.offset;
    EXPECT_GT(w.maxCoeff(), 0.95 * s.bound) << "offset " << s.offset;
  }
  EXPECT_TRUE(p.cwiseProduct(Vector::Ones(p.size()) - net.weight_mask()).isZero());
}

TEST(NetworkTest, SameSeedGivesIdenticalParamsDifferentSeedDiffers) {
  const auto spec = make_spec(4, {8}, {Activation::kTanh}, 2, LossKind::kSoftmaxNll);
  Network a(spec), b(spec), c(spec);
  Rng ra(7), rb(7), rc(8);
  a.init_params(ra);
  b.init_params(rb);
  c.init_params(rc);
  EXPECT_EQ(a.params(), b.params());
  EXPECT_NE(a.params(), c.params());
}

TEST(NetworkTest, BatchedForwardMatchesColumnByColumn) {
  Network net(make_spec(5, {7, 6}, {Activation::kRelu, Activation::kSigmoid}, 3,
                        LossKind::kSoftmaxNll));
  Rng rng(51);
  net.init_params(rng);
  net.reserve(64);
  const Matrix x = test::random_matrix(5, 9, rng);
  const Matrix batched = net.forward(x);
  for (Index j = 0; j < x.cols(); ++j) {
    const Matrix single = net.forward(x.col(j));
    EXPECT_TRUE(single.isApprox(batched.col(j), 1e-5f)) << "column " << j;
  }
}

TEST(NetworkTest, BuffersAreNotReallocatedWithinReservedBatch) {
  Network net(make_spec(4, {6}, {Activation::kTanh}, 3, LossKind::kSoftmaxNll));
  Rng rng(61);
  net.init_params(rng);
  net.reserve(16);
  const Matrix x = test::random_matrix(4, 16, rng);
  const Matrix t = random_targets(LossKind::kSoftmaxNll, 16, rng);
  const Scalar* logits = net.forward(x).data();
  const Scalar* params = net.params().data();
  const Scalar* grads = net.grads().data();
  for (Index batch : {16, 1, 5, 16}) {
    net.forward_backward(x.leftCols(batch), t.leftCols(batch));
    EXPECT_EQ(net.forward(x.leftCols(batch)).data(), logits);
    EXPECT_EQ(net.params().data(), params);
    EXPECT_EQ(net.grads().data(), grads);
  }
  net.forward(test::random_matrix(4, 17, rng));  // a larger batch reserves automatically
  EXPECT_EQ(net.forward(x).cols(), 16);
}

TEST(NetworkTest, LossSumProcessesChunksLikeOneBatch) {
  Network net(make_spec(3, {5}, {Activation::kTanh}, 1, LossKind::kSigmoidBce));
  Rng rng(71);
  net.init_params(rng);
  const Index n = 600;  // evaluation runs in chunks of 256 columns: 256 + 256 + 88
  const Matrix x = test::random_matrix(3, n, rng);
  const Matrix t = random_targets(LossKind::kSigmoidBce, n, rng);
  const double one_batch = net.forward_backward(x, t) * static_cast<double>(n);  // reserves n
  Network chunked(make_spec(3, {5}, {Activation::kTanh}, 1, LossKind::kSigmoidBce));
  chunked.params() = net.params();
  EXPECT_NEAR(chunked.loss_sum(x, t), one_batch, 1e-3);
}

TEST(NetworkTest, EvaluateEqualsLossSumAndPredict) {
  Network net(make_spec(4, {6}, {Activation::kRelu}, 3, LossKind::kSoftmaxNll));
  Rng rng(17);
  net.init_params(rng);
  const Matrix x = test::random_matrix(4, 300, rng);
  const Matrix t = random_targets(LossKind::kSoftmaxNll, 300, rng);
  Matrix out, expected;
  const double loss = net.evaluate(x, t, out);
  net.predict(x, expected);
  EXPECT_EQ(loss, net.loss_sum(x, t));
  EXPECT_TRUE(out == expected);
}

TEST(NetworkTest, PredictGivesProbabilitiesForEveryColumn) {
  Network net(make_spec(3, {4}, {Activation::kRelu}, 3, LossKind::kSoftmaxNll));
  Rng rng(81);
  net.init_params(rng);
  net.reserve(8);
  const Matrix x = test::random_matrix(3, 20, rng);
  Matrix out;
  net.predict(x, out);
  ASSERT_EQ(out.rows(), 3);
  ASSERT_EQ(out.cols(), 20);
  EXPECT_TRUE(out.colwise().sum().isOnes(1e-5f));
  EXPECT_GE(out.minCoeff(), 0);
}

TEST(NetworkTest, EmptyInputsGiveEmptyOutputs) {
  Network net(make_spec(3, {4}, {Activation::kRelu}, 2, LossKind::kSquaredError));
  EXPECT_EQ(net.forward(Matrix::Zero(3, 0)).cols(), 0);  // before any reserve
  Matrix out;
  net.predict(Matrix::Zero(3, 0), out);
  EXPECT_EQ(out.cols(), 0);
  EXPECT_EQ(net.loss_sum(Matrix::Zero(3, 0), Matrix::Zero(2, 0)), 0);
}

TEST(NetworkTest, ShapeMismatchThrowsDataError) {
  Network net(make_spec(3, {}, {}, 2, LossKind::kSquaredError));
  EXPECT_THROW(net.forward(Matrix::Zero(4, 2)), DataError);
  EXPECT_THROW(net.forward_backward(Matrix::Zero(3, 2), Matrix::Zero(1, 2)), DataError);
  EXPECT_THROW(net.forward_backward(Matrix::Zero(3, 0), Matrix::Zero(2, 0)), DataError);
}

TEST(NetworkTest, CopyHasOwnBuffersAndSameOutputs) {
  Network net(make_spec(3, {4}, {Activation::kTanh}, 2, LossKind::kSquaredError));
  Rng rng(91);
  net.init_params(rng);
  const Matrix x = test::random_matrix(3, 5, rng);
  Network copy(net);
  EXPECT_NE(copy.params().data(), net.params().data());
  EXPECT_EQ(Matrix(copy.forward(x)), Matrix(net.forward(x)));
  copy.params().setZero();  // must not touch the original
  EXPECT_FALSE(net.params().isZero());
  EXPECT_TRUE(copy.forward(x).isZero());
  copy = net;
  EXPECT_EQ(Matrix(copy.forward(x)), Matrix(net.forward(x)));
}

TEST(NetworkTest, ForwardBackwardOverwritesGradients) {
  Network net(make_spec(3, {4}, {Activation::kSigmoid}, 2, LossKind::kSquaredError));
  Rng rng(101);
  net.init_params(rng);
  const Matrix x = test::random_matrix(3, 5, rng), t = test::random_matrix(2, 5, rng);
  net.forward_backward(x, t);
  const Vector first = net.grads();
  net.forward_backward(x, t);
  EXPECT_EQ(net.grads(), first);
}

}  // namespace
}  // namespace nnfit::nn
