// A test objective with a known Hessian.
#pragma once

#include "optim/objective.h"

namespace nnfit::optim::test {

// f = 0.5 w'Hw - c'w with a fixed symmetric H: the Hessian is H itself; if H is positive
// definite the minimiser is H^-1 c.
class Quadratic : public Objective {
 public:
  explicit Quadratic(Matrix h, Vector c = Vector())
      : h_(std::move(h)), c_(c.size() ? c : Vector::Zero(h_.rows())), g_(h_.rows()) {}
  Index dim() const override { return h_.rows(); }
  Index examples() const override { return 1; }
  double full(const Vector& w, Vector* grad) override {
    if (grad != nullptr) *grad = h_ * w - c_;
    return 0.5 * static_cast<double>(w.dot(h_ * w)) - static_cast<double>(c_.dot(w));
  }
  BatchEval batch(const Vector& w, const Index*, Index) override {
    g_ = h_ * w - c_;
    return {full(w, nullptr), &g_};
  }

 private:
  Matrix h_;
  Vector c_, g_;
};

}  // namespace nnfit::optim::test
