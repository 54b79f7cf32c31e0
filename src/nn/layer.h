// The layer contract: a differentiable map from (in, B) to (out, B), one sample per column.
// Legend: in = input size, out = output size, B = batch size (columns).
// Parameters and gradients live in flat buffers owned by nn::Network; a layer with parameters
// gets views into its slice through bind(). bprop OVERWRITES this layer's gradient slice (no
// accumulation, so there is no zero_grad to forget).
#pragma once

#include <string>

#include "core/rng.h"
#include "core/types.h"

namespace nnfit::nn {

class Layer {
 public:
  virtual ~Layer() = default;
  // Short lower-case name used in model files and messages ("dense", "relu", ...).
  virtual std::string kind() const = 0;
  virtual Index output_size(Index input_size) const = 0;
  virtual Index param_count(Index /*input_size*/) const { return 0; }
  // Points the layer at its slices of the network's parameter and gradient vectors, each
  // param_count(input_size) long. Called once, before init_params / fprop / bprop.
  virtual void bind(Scalar* /*params*/, Scalar* /*grads*/, Index /*input_size*/) {}
  virtual void init_params(Rng& /*rng*/) {}
  // x: (in, B). y: (out, B), pre-sized by the caller; must not alias x.
  virtual void fprop(const ConstMatrixRef& x, MatrixRef y) = 0;
  // x, y: the fprop input and output for this batch. dy: dL/dy (out, B).
  // Writes dx = dL/dx (in, B) and overwrites this layer's gradient slice with dL/dparams.
  // dx may be empty (0 columns) for the first layer: then it is not computed.
  virtual void bprop(const ConstMatrixRef& x, const ConstMatrixRef& y, const ConstMatrixRef& dy,
                     MatrixRef dx) = 0;
};

}  // namespace nnfit::nn
