// Fused update loops of the mini-batch step rules (formulas in step_rules.h).
#include "optim/step_rules.h"

#include <cmath>

namespace nnfit::optim {

Momentum::Momentum(Index dim, double mu, bool nesterov)
    : mu_(mu), nesterov_(nesterov), v_(Vector::Zero(dim)) {}

void Momentum::update(Vector& w_vec, const Vector& g_vec, Index lo, Index hi) {
  const auto mu = static_cast<Scalar>(mu_);
  const auto a = static_cast<Scalar>(lr_);
  Scalar* w = w_vec.data();
  Scalar* v = v_.data();
  const Scalar* g = g_vec.data();
  if (nesterov_) {
    for (Index i = lo; i < hi; ++i) {
      v[i] = mu * v[i] - a * g[i];
      w[i] += mu * v[i] - a * g[i];
    }
    return;
  }
  for (Index i = lo; i < hi; ++i) {
    v[i] = mu * v[i] - a * g[i];
    w[i] += v[i];
  }
}

Adam::Adam(Index dim, double beta1, double beta2, double epsilon, double weight_decay, Vector mask)
    : b1_(beta1),
      b2_(beta2),
      eps_(epsilon),
      wd_(weight_decay),
      mask_(mask.size() == dim ? std::move(mask) : Vector::Ones(dim)),
      m_(Vector::Zero(dim)),
      v_(Vector::Zero(dim)) {}

void Adam::prepare(double lr) {
  ++t_;
  // Bias corrections folded into the rate and epsilon, in double once per step:
  //   lr mhat / (sqrt(vhat) + eps) = (lr / c1) m / (sqrt(v) / sqrt(c2) + eps).
  const double c1 = 1.0 - std::pow(b1_, static_cast<double>(t_));
  const double sc2 = std::sqrt(1.0 - std::pow(b2_, static_cast<double>(t_)));
  step_ = static_cast<Scalar>(lr / c1);
  inv_sc2_ = static_cast<Scalar>(1.0 / sc2);
  decay_ = static_cast<Scalar>(lr * wd_);
}

void Adam::update(Vector& w_vec, const Vector& g_vec, Index lo, Index hi) {
  const auto eps = static_cast<Scalar>(eps_);
  const auto b1 = static_cast<Scalar>(b1_), b2 = static_cast<Scalar>(b2_);
  const Scalar step = step_, inv_sc2 = inv_sc2_, decay = decay_;
  Scalar* w = w_vec.data();
  Scalar* m = m_.data();
  Scalar* v = v_.data();
  const Scalar* g = g_vec.data();
  const Scalar* mask = mask_.data();
  for (Index i = lo; i < hi; ++i) {
    m[i] = b1 * m[i] + (1 - b1) * g[i];
    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
    w[i] -= decay * mask[i] * w[i];
    w[i] -= step * m[i] / (std::sqrt(v[i]) * inv_sc2 + eps);
  }
}

void Adam::restore(const std::vector<Vector>& v, const std::vector<double>& s) {
  m_ = v[0];
  v_ = v[1];
  t_ = static_cast<long>(s[0]);
}

}  // namespace nnfit::optim
