// Test-only layers and losses with a deliberately wrong gradient, for showing that a gradient
// check fails on them (swap them in with nn::Network::replace_layer / replace_loss).
#pragma once

#include <memory>

#include "nn/activation.h"
#include "nn/loss.h"

namespace nnfit::test {

// tanh whose bprop forgets the square: dx = dy (1 - y) instead of dy (1 - y^2).
class WrongTanh : public nn::Tanh {
 public:
  void bprop(const ConstMatrixRef&, const ConstMatrixRef& y, const ConstMatrixRef& dy,
             MatrixRef dx) override {
    if (dx.cols() > 0) dx.array() = dy.array() * (Scalar(1) - y.array());
  }
};

// ReLU whose bprop passes the gradient where the output is 0 too (dx = dy).
class WrongRelu : public nn::Relu {
 public:
  void bprop(const ConstMatrixRef&, const ConstMatrixRef&, const ConstMatrixRef& dy,
             MatrixRef dx) override {
    if (dx.cols() > 0) dx = dy;
  }
};

// A loss of `kind` that is right everywhere except that its weighted gradient ignores the
// weights (the unweighted dz), while still returning the weighted mean loss: the values agree
// with the reference, only the gradient is wrong, and only when the weights are not all equal.
class WeightBlindLoss : public nn::Loss {
 public:
  explicit WeightBlindLoss(nn::LossKind kind) : real_(nn::make_loss(kind)) {}
  nn::LossKind kind() const override { return real_->kind(); }
  double sum(const ConstMatrixRef& z, const ConstMatrixRef& t) const override {
    return real_->sum(z, t);
  }
  double gradient(const ConstMatrixRef& z, const ConstMatrixRef& t, MatrixRef dz) const override {
    return real_->gradient(z, t, dz);
  }
  double weighted_sum(const ConstMatrixRef& z, const ConstMatrixRef& t,
                      const Scalar* w) const override {
    return real_->weighted_sum(z, t, w);
  }
  double weighted_gradient(const ConstMatrixRef& z, const ConstMatrixRef& t, const Scalar* w,
                           MatrixRef dz) const override {
    real_->gradient(z, t, dz);
    return real_->weighted_sum(z, t, w) / static_cast<double>(z.cols());
  }
  void output(const ConstMatrixRef& z, MatrixRef out) const override { real_->output(z, out); }

 private:
  std::unique_ptr<nn::Loss> real_;
};

}  // namespace nnfit::test
