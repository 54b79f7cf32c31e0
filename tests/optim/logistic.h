// A test objective: L2-regularised logistic regression (strictly convex, one optimum)
//   f(w) = (1/N) sum_i [softplus(a_i'w) - t_i a_i'w] + (lam/2) |w|^2.
#pragma once

#include <cmath>

#include "core/rng.h"
#include "optim/objective.h"

namespace nnfit::optim::test {

class Logistic : public Objective {
 public:
  Logistic(Index d, Index n, double lam, std::uint64_t seed) : a_(d, n), t_(n), lam_(lam), g_(d) {
    Rng rng(seed);
    for (Index j = 0; j < n; ++j) {
      double z = 0.5;
      for (Index i = 0; i < d; ++i) {
        a_(i, j) = static_cast<Scalar>(rng.uniform(-2, 2));
        z += (i % 2 ? -1.0 : 1.5) * a_(i, j);
      }
      t_[j] = rng.uniform() < 1 / (1 + std::exp(-z)) ? 1.0f : 0.0f;  // overlapping classes
    }
  }
  Index dim() const override { return a_.rows(); }
  Index examples() const override { return a_.cols(); }
  double full(const Vector& w, Vector* grad) override {
    std::vector<Index> all(static_cast<std::size_t>(a_.cols()));
    for (Index j = 0; j < a_.cols(); ++j) all[static_cast<std::size_t>(j)] = j;
    const BatchEval e = batch(w, all.data(), a_.cols());
    if (grad != nullptr) *grad = *e.grad;
    return e.loss + 0.5 * lam_ * dot(w, w);  // batch() reports the data loss only
  }
  BatchEval batch(const Vector& w, const Index* rows, Index B) override {
    g_ = static_cast<Scalar>(lam_) * w;
    double loss = 0.0;
    for (Index k = 0; k < B; ++k) {
      const Index j = rows[k];
      const double z = a_.col(j).cast<double>().dot(w.cast<double>());
      loss += std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z))) - t_[j] * z;
      const double p = 1 / (1 + std::exp(-z));
      g_ += static_cast<Scalar>((p - t_[j]) / static_cast<double>(B)) * a_.col(j);
    }
    return {loss / static_cast<double>(B), &g_};
  }

 private:
  Matrix a_;
  Vector t_;
  double lam_;
  Vector g_;
};

}  // namespace nnfit::optim::test
