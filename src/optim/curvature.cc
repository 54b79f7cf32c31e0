// Hessian-vector products by differences of the gradient, and power iteration (curvature.h).
#include "optim/curvature.h"

#include <cmath>
#include <sstream>

#include "core/error.h"

namespace nnfit::optim {

HessianVector::HessianVector(Index dim, double h) : h_(h), w0_(dim), gp_(dim), gm_(dim) {}

void HessianVector::apply(Objective& f, Vector& w, const Vector& v, Vector& out) {
  const double norm = std::sqrt(dot(v, v));
  out.setZero(w.size());
  if (norm == 0) return;
  w0_ = w;
  const auto step = static_cast<Scalar>(h_ / norm);
  w = w0_ + step * v;
  f.full(w, &gp_);
  w = w0_ - step * v;
  f.full(w, &gm_);
  w = w0_;
  // The step actually represented: (w0 + s v) - (w0 - s v) rounds, so divide by 2 s exactly.
  out = (gp_ - gm_) / (2 * step);
}

namespace {

// Power iteration on (H - shift I); returns its dominant eigenvalue plus shift.
PowerResult iterate(Objective& f, Vector& w, Rng& rng, double shift, int max_iter, double tol) {
  HessianVector hv(w.size());
  PowerResult r;
  r.vector.resize(w.size());
  for (Index i = 0; i < w.size(); ++i) r.vector[i] = static_cast<Scalar>(rng.uniform(-1, 1));
  r.vector /= static_cast<Scalar>(std::sqrt(dot(r.vector, r.vector)));
  Vector next(w.size());
  double prev = 0.0;
  for (r.iterations = 1; r.iterations <= max_iter; ++r.iterations) {
    hv.apply(f, w, r.vector, next);
    next -= static_cast<Scalar>(shift) * r.vector;
    const double rayleigh = dot(r.vector, next);  // |vector| = 1
    const double norm = std::sqrt(dot(next, next));
    r.lambda = rayleigh + shift;
    if (norm == 0) break;
    r.vector = next / static_cast<Scalar>(norm);
    if (r.iterations > 1 && std::abs(rayleigh - prev) <= tol * std::abs(rayleigh)) {
      r.converged = true;
      break;
    }
    prev = rayleigh;
  }
  return r;
}

}  // namespace

PowerResult lambda_max(Objective& f, Vector& w, Rng& rng, int max_iter, double tol) {
  PowerResult r = iterate(f, w, rng, 0.0, max_iter, tol);
  if (r.lambda >= 0) return r;
  return iterate(f, w, rng, r.lambda, max_iter, tol);
}

PowerResult lambda_min(Objective& f, Vector& w, Rng& rng, double lambda_max, int max_iter,
                       double tol) {
  return iterate(f, w, rng, lambda_max, max_iter, tol);  // H - lambda_max I: same vectors
}

double rate_from_curvature(double lambda_max) {
  if (lambda_max > 0 && std::isfinite(lambda_max)) return 1.0 / lambda_max;
  std::ostringstream os;
  os << "the loss has no positive curvature here (lambda_max = " << lambda_max
     << "), so no learning rate follows from it; give the learning rate explicitly";
  throw ConfigError(os.str());
}

}  // namespace nnfit::optim
