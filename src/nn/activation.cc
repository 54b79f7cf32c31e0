// Element-wise activation kernels and the activation name <-> enum mapping.
// All shapes: x, y, dy, dx are (n, B); an empty dx (0 columns) means "not needed".
#include "nn/activation.h"

#include "core/error.h"

namespace nnfit::nn {

std::string activation_name(Activation a) {
  switch (a) {
    case Activation::kIdentity: return "identity";
    case Activation::kSigmoid: return "sigmoid";
    case Activation::kTanh: return "tanh";
    case Activation::kRelu: return "relu";
  }
  return "unknown";
}

Activation parse_activation(const std::string& name) {
  for (Activation a : {Activation::kRelu, Activation::kTanh, Activation::kSigmoid,
                       Activation::kIdentity}) {
    if (name == activation_name(a)) return a;
  }
  throw ConfigError("unknown activation '" + name +
                    "' (expected relu, tanh, sigmoid or identity)");
}

std::unique_ptr<Layer> make_activation(Activation a) {
  switch (a) {
    case Activation::kIdentity: return std::make_unique<Identity>();
    case Activation::kSigmoid: return std::make_unique<Sigmoid>();
    case Activation::kTanh: return std::make_unique<Tanh>();
    case Activation::kRelu: return std::make_unique<Relu>();
  }
  throw ConfigError("unknown activation value");
}

void Identity::fprop(const ConstMatrixRef& x, MatrixRef y) { y = x; }

// y = x  =>  dx = dy.
void Identity::bprop(const ConstMatrixRef& /*x*/, const ConstMatrixRef& /*y*/,
                     const ConstMatrixRef& dy, MatrixRef dx) {
  if (dx.cols() > 0) dx = dy;
}

// Eigen's float logistic() is a rational approximation clamped above and exp(x) below -9, so
// it stays finite (and within a few ulp) for any input, including |x| = 1e4.
void Sigmoid::fprop(const ConstMatrixRef& x, MatrixRef y) { y.array() = x.array().logistic(); }

// y = 1/(1+e^-x)  =>  dy/dx = e^-x/(1+e^-x)^2 = y (1 - y).
void Sigmoid::bprop(const ConstMatrixRef& /*x*/, const ConstMatrixRef& y,
                    const ConstMatrixRef& dy, MatrixRef dx) {
  if (dx.cols() > 0) dx.array() = dy.array() * y.array() * (Scalar(1) - y.array());
}

void Tanh::fprop(const ConstMatrixRef& x, MatrixRef y) { y.array() = x.array().tanh(); }

// d tanh(x)/dx = 1 - tanh(x)^2 = 1 - y^2.
void Tanh::bprop(const ConstMatrixRef& /*x*/, const ConstMatrixRef& y, const ConstMatrixRef& dy,
                 MatrixRef dx) {
  if (dx.cols() > 0) dx.array() = dy.array() * (Scalar(1) - y.array().square());
}

void Relu::fprop(const ConstMatrixRef& x, MatrixRef y) { y = x.cwiseMax(Scalar(0)); }

// y = max(x, 0)  =>  dx = dy where x > 0, else 0.
void Relu::bprop(const ConstMatrixRef& x, const ConstMatrixRef& /*y*/, const ConstMatrixRef& dy,
                 MatrixRef dx) {
  if (dx.cols() > 0) dx.array() = (x.array() > Scalar(0)).select(dy.array(), Scalar(0));
}

}  // namespace nnfit::nn
