// Fully connected layer y = W x + b, the only layer with parameters.
// W (out, in) and b (out) are Eigen::Map views into the network's flat buffers: W column-major
// first, then b, so the slice is out*in + out long.
#pragma once

#include <string>

#include "nn/layer.h"

namespace nnfit::nn {

class Dense : public Layer {
 public:
  // REQUIRES: output_size >= 1.
  explicit Dense(Index output_size);

  std::string kind() const override { return "dense"; }
  Index output_size(Index /*input_size*/) const override { return out_; }
  Index param_count(Index input_size) const override { return out_ * input_size + out_; }
  // Number of weight entries (excluding biases) in the slice; they come first.
  Index weight_count(Index input_size) const { return out_ * input_size; }
  void bind(Scalar* params, Scalar* grads, Index input_size) override;

  // Glorot uniform: W ~ U[-b, b), b = glorot_bound(in, out); biases zero.
  void init_params(Rng& rng) override { init_uniform(rng, glorot_bound(in_, out_)); }
  // He uniform for a layer followed by ReLU: b = he_bound(in); biases zero.
  void init_he(Rng& rng) { init_uniform(rng, he_bound(in_)); }
  // W ~ U[-bound, bound) drawn column-major (a fixed order, so a seed fixes the weights); b = 0.
  void init_uniform(Rng& rng, double bound);
  static double glorot_bound(Index fan_in, Index fan_out);  // sqrt(6 / (fan_in + fan_out))
  static double he_bound(Index fan_in);                     // sqrt(6 / fan_in)

  void fprop(const ConstMatrixRef& x, MatrixRef y) override;
  void bprop(const ConstMatrixRef& x, const ConstMatrixRef& y, const ConstMatrixRef& dy,
             MatrixRef dx) override;

  // Views of the bound slices (valid after bind).
  const MatrixMap& weights() const { return W_; }
  const VectorMap& bias() const { return b_; }

 private:
  Index out_;
  Index in_ = 0;
  MatrixMap W_{nullptr, 0, 0};   // (out, in)
  VectorMap b_{nullptr, 0};      // (out)
  MatrixMap dW_{nullptr, 0, 0};  // (out, in)
  VectorMap db_{nullptr, 0};     // (out)
};

}  // namespace nnfit::nn
