// Damped Newton iterations (see newton.h).
#include "optim/newton.h"

#include <Eigen/Eigenvalues>
#include <cmath>
#include <sstream>

#include "core/error.h"

namespace nnfit::optim {

Newton::Newton(Index dim, NewtonOptions o)
    : o_(o), g_(dim), gp_(dim), gm_(dim), d_(dim), wt_(dim), w0_(dim) {
  if (dim <= kNewtonMaxParams) return;
  std::ostringstream os;
  os << "the newton optimizer handles at most " << kNewtonMaxParams << " parameters and this "
     << "network has " << dim << "; use lbfgs (or a smaller network)";
  throw ConfigError(os.str());
}

Eigen::MatrixXd Newton::hessian(Objective& f, Vector& w) {
  const Index n = w.size();
  Eigen::MatrixXd h(n, n);
  for (Index i = 0; i < n; ++i) {
    const Scalar w0 = w[i];
    const auto step = static_cast<Scalar>(o_.fd_step * std::max(1.0, std::abs(double(w0))));
    w[i] = w0 + step;
    const double up = w[i];
    f.full(w, &gp_);
    w[i] = w0 - step;
    const double down = w[i];
    f.full(w, &gm_);
    w[i] = w0;
    h.col(i) = (gp_ - gm_).cast<double>() / (up - down);  // the step actually represented
  }
  return 0.5 * (h + h.transpose());
}

// d = -V diag(1 / (|l| + mu)) V' g: descent for any mu >= 0 with |l| + mu > 0.
void Newton::direction(const Eigen::MatrixXd& v, const Eigen::VectorXd& l, double mu) {
  const Eigen::VectorXd proj = v.transpose() * g_.cast<double>();
  const Eigen::VectorXd shifted = (l.cwiseAbs().array() + mu).matrix();
  d_ = (-(v * proj.cwiseQuotient(shifted))).cast<Scalar>();
}

PassResult Newton::pass(Objective& f, Vector& w, const PassContext&) {
  PassResult r;
  const double f0 = f.full(w, &g_);
  r.loss = f0;
  r.evaluations = 1 + 2 * static_cast<int>(w.size());
  if (!std::isfinite(f0)) return r.status = PassStatus::kDiverged, r;
  if (g_.cwiseAbs().maxCoeff() <= o_.gtol) return r.status = PassStatus::kConverged, r;
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(hessian(f, w));
  const Eigen::VectorXd& l = eig.eigenvalues();
  const double delta = 1e-3 * std::max(1.0, l.cwiseAbs().maxCoeff());
  // Exact Newton where H is safely positive definite; else |H| + mu I, and mu grows fourfold on
  // every rejected trial, turning the step towards a short gradient step (Levenberg-Marquardt).
  double mu = l.minCoeff() >= delta ? 0.0 : delta;
  w0_ = w;
  for (int k = 0; k <= o_.max_backtracks; ++k, mu = std::max(4.0 * mu, delta)) {
    direction(eig.eigenvectors(), l, mu);
    const double slope = dot(g_, d_);  // < 0
    wt_ = w0_ + d_;  // not w: a rejected trial may have been written into it
    const double ft = f.full(wt_, nullptr);
    ++r.evaluations;
    if (std::isfinite(ft) && ft <= f0 + 1e-4 * slope) {
      w = wt_;
      r.loss = ft;
      r.rate = 1.0 / (1.0 + mu);
      r.updates = 1;
      return r;
    }
  }
  // No trial accepted: put w back (a trial may have been written into it, when w is the
  // objective's own parameter vector).
  w = w0_;
  r.status = PassStatus::kStalled;
  return r;
}

}  // namespace nnfit::optim
