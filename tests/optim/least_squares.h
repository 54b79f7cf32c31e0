// A test objective: linear least squares f(w) = (1/2N) sum_i (a_i'w - b_i)^2, a_i the columns
// of A (d, N), with its closed-form minimiser (A A') w = A b.
#pragma once

#include <Eigen/Dense>

#include "optim/objective.h"

namespace nnfit::optim::test {

class LeastSquares : public Objective {
 public:
  LeastSquares(Matrix a, Vector b) : a_(std::move(a)), b_(std::move(b)), g_(a_.rows()) {}
  Index dim() const override { return a_.rows(); }
  Index examples() const override { return a_.cols(); }
  double full(const Vector& w, Vector* grad) override {
    const Vector r = a_.transpose() * w - b_;
    if (grad != nullptr) *grad = a_ * r / static_cast<Scalar>(a_.cols());
    return 0.5 * dot(r, r) / static_cast<double>(a_.cols());
  }
  BatchEval batch(const Vector& w, const Index* rows, Index B) override {
    g_.setZero();
    double loss = 0.0;
    for (Index j = 0; j < B; ++j) {
      const double r = static_cast<double>(a_.col(rows[j]).dot(w)) - b_[rows[j]];
      loss += 0.5 * r * r;
      g_ += static_cast<Scalar>(r / static_cast<double>(B)) * a_.col(rows[j]);
    }
    return {loss / static_cast<double>(B), &g_};
  }
  Eigen::VectorXd solution() const {
    const Eigen::MatrixXd a = a_.cast<double>();
    return (a * a.transpose()).ldlt().solve(a * b_.cast<double>());
  }

 private:
  Matrix a_;
  Vector b_, g_;
};

}  // namespace nnfit::optim::test
