// L-BFGS iterations (see lbfgs.h).
#include "optim/lbfgs.h"

#include <cmath>

#include "core/error.h"

namespace nnfit::optim {

Lbfgs::Lbfgs(Index dim, LbfgsOptions o)
    : o_(o),
      s_(static_cast<std::size_t>(o.history), Vector::Zero(dim)),
      y_(static_cast<std::size_t>(o.history), Vector::Zero(dim)),
      rho_(static_cast<std::size_t>(o.history), 0.0),
      w_(Vector::Zero(dim)),
      g_(Vector::Zero(dim)),
      d_(dim),
      wt_(dim),
      gt_(dim),
      alpha_(o.history) {
  if (o.history < 1) throw ConfigError("L-BFGS history must be >= 1");
}

// Algorithm 7.4: d = -H g, newest pair first in the first loop.
void Lbfgs::direction() {
  d_ = -g_;
  const int m = o_.history;
  for (int k = 0; k < count_; ++k) {
    const auto i = static_cast<std::size_t>((head_ - 1 - k + m) % m);
    alpha_[k] = static_cast<Scalar>(rho_[i] * dot(s_[i], d_));
    d_ -= alpha_[k] * y_[i];
  }
  if (count_ > 0) {
    const auto i = static_cast<std::size_t>((head_ - 1 + m) % m);
    d_ *= static_cast<Scalar>(1.0 / (rho_[i] * dot(y_[i], y_[i])));  // gamma = s'y / y'y
  }
  for (int k = count_ - 1; k >= 0; --k) {
    const auto i = static_cast<std::size_t>((head_ - 1 - k + m) % m);
    const double beta = rho_[i] * dot(y_[i], d_);
    d_ += static_cast<Scalar>(alpha_[k] - beta) * s_[i];
  }
}

PassResult Lbfgs::pass(Objective& f, Vector& w, const PassContext&) {
  PassResult r;
  if (!have_point_ || w != w_) {
    w_ = w;
    f_ = f.full(w_, &g_);
    ++r.evaluations;
    count_ = head_ = 0;
    have_point_ = true;
  }
  r.loss = f_;
  if (!std::isfinite(f_)) return r.status = PassStatus::kDiverged, r;
  if (g_.cwiseAbs().maxCoeff() <= o_.gtol) return r.status = PassStatus::kConverged, r;
  direction();
  double dphi0 = dot(g_, d_);
  if (!(dphi0 < 0)) {  // not a descent direction: restart from steepest descent
    count_ = head_ = 0;
    direction();
    dphi0 = dot(g_, d_);
  }
  const double alpha1 = count_ == 0 ? 1.0 / std::sqrt(dot(g_, g_)) : 1.0;
  auto phi = [&](double a, double* dphi) {
    wt_ = w_ + static_cast<Scalar>(a) * d_;
    const double v = f.full(wt_, &gt_);
    *dphi = dot(gt_, d_);
    return v;
  };
  const LineSearchResult ls = strong_wolfe(phi, f_, dphi0, alpha1, o_.wolfe);
  r.evaluations += ls.evals;
  if (!ls.ok) {  // the trials may have moved w (it can be the objective's own parameters)
    w = w_;
    return r.status = PassStatus::kStalled, r;
  }
  const auto i = static_cast<std::size_t>(head_);
  s_[i] = wt_ - w_;
  y_[i] = gt_ - g_;
  const double sy = dot(s_[i], y_[i]);
  if (sy > 1e-12 * std::sqrt(dot(s_[i], s_[i]) * dot(y_[i], y_[i]))) {  // keep H positive
    rho_[i] = 1.0 / sy;
    head_ = (head_ + 1) % o_.history;
    count_ = std::min(count_ + 1, o_.history);
  }
  const double decrease = (f_ - ls.phi) / std::max({std::abs(f_), std::abs(ls.phi), 1.0});
  w_ = wt_;
  g_ = gt_;
  f_ = ls.phi;
  w = w_;
  r.loss = f_;
  r.rate = ls.alpha;
  r.updates = 1;
  if (decrease <= o_.ftol || g_.cwiseAbs().maxCoeff() <= o_.gtol) r.status = PassStatus::kConverged;
  return r;
}

OptimizerState Lbfgs::state() const {
  OptimizerState st{name(), {}, {}};
  for (const Vector& v : s_) st.vectors.push_back(v);
  for (const Vector& v : y_) st.vectors.push_back(v);
  st.vectors.push_back(w_);
  st.vectors.push_back(g_);
  st.scalars = rho_;
  for (double x : {double(count_), double(head_), double(have_point_), f_}) st.scalars.push_back(x);
  return st;
}

void Lbfgs::restore(const OptimizerState& st) {
  const auto m = static_cast<std::size_t>(o_.history);
  check_state(st, name(), 2 * m + 2, w_.size(), m + 4);
  for (std::size_t k = 0; k < m; ++k) {
    s_[k] = st.vectors[k];
    y_[k] = st.vectors[m + k];
    rho_[k] = st.scalars[k];
  }
  w_ = st.vectors[2 * m];
  g_ = st.vectors[2 * m + 1];
  count_ = static_cast<int>(st.scalars[m]);
  head_ = static_cast<int>(st.scalars[m + 1]);
  have_point_ = st.scalars[m + 2] != 0;
  f_ = st.scalars[m + 3];
}

}  // namespace nnfit::optim
