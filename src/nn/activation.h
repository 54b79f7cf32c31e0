// Element-wise activation layers (no parameters): identity, sigmoid, tanh and ReLU.
// Each keeps its derivative in a comment; bprop uses the output y where that is cheaper.
#pragma once

#include <memory>
#include <string>

#include "nn/layer.h"
#include "nn/network.h"

namespace nnfit::nn {

// y = x.  dx = dy.
class Identity : public Layer {
 public:
  std::string kind() const override { return "identity"; }
  Index output_size(Index input_size) const override { return input_size; }
  void fprop(const ConstMatrixRef& x, MatrixRef y) override;
  void bprop(const ConstMatrixRef& x, const ConstMatrixRef& y, const ConstMatrixRef& dy,
             MatrixRef dx) override;
};

// y = 1 / (1 + exp(-x)), finite for any x.  dy/dx = y (1 - y).
class Sigmoid : public Layer {
 public:
  std::string kind() const override { return "sigmoid"; }
  Index output_size(Index input_size) const override { return input_size; }
  void fprop(const ConstMatrixRef& x, MatrixRef y) override;
  void bprop(const ConstMatrixRef& x, const ConstMatrixRef& y, const ConstMatrixRef& dy,
             MatrixRef dx) override;
};

// y = tanh(x).  dy/dx = 1 - y^2.
class Tanh : public Layer {
 public:
  std::string kind() const override { return "tanh"; }
  Index output_size(Index input_size) const override { return input_size; }
  void fprop(const ConstMatrixRef& x, MatrixRef y) override;
  void bprop(const ConstMatrixRef& x, const ConstMatrixRef& y, const ConstMatrixRef& dy,
             MatrixRef dx) override;
};

// y = max(x, 0).  dy/dx = [x > 0] (0 at the kink).
class Relu : public Layer {
 public:
  std::string kind() const override { return "relu"; }
  Index output_size(Index input_size) const override { return input_size; }
  void fprop(const ConstMatrixRef& x, MatrixRef y) override;
  void bprop(const ConstMatrixRef& x, const ConstMatrixRef& y, const ConstMatrixRef& dy,
             MatrixRef dx) override;
};

// A new layer computing the given activation.
std::unique_ptr<Layer> make_activation(Activation a);

}  // namespace nnfit::nn
