// Damped Newton on the full-batch objective, for small parameter counts. The Hessian comes from
// central differences of the analytic gradient, column by column (2 n gradient evaluations),
// symmetrised. With H = U diag(l) U', the step is
//   d = -U diag(1 / (|l| + mu)) U' g,  delta = 1e-3 max(1, max|l|),
// mu = 0 when l_min >= delta (exact Newton: one step on a positive-definite quadratic), else
// delta. |l| (saddle-free Newton, Dauphin et al. 2014) makes d a descent direction whatever the
// signs of the eigenvalues, so Newton never steps towards a saddle or a maximum (plain Newton
// is attracted to them). A trial w + d is accepted on the Armijo condition (c1 = 1e-4); a
// rejected trial multiplies mu by 4 (Levenberg-Marquardt), which shortens d and turns it
// towards the gradient, up to max_backtracks times.
#pragma once

#include <Eigen/Dense>

#include "optim/optimizer.h"

namespace nnfit::optim {

// The largest parameter count Newton accepts: a pass costs 2 n full-gradient evaluations, an
// n x n double Hessian (8 MB at 1000) and an O(n^3) eigendecomposition.
constexpr Index kNewtonMaxParams = 1000;

struct NewtonOptions {
  double gtol = 1e-6;       // converged when max_i |g_i| <= gtol
  double fd_step = 1e-3;    // finite-difference step on each parameter
  int max_backtracks = 30;  // rejected trials (mu *= 4) before the pass reports kStalled
};

class Newton : public Optimizer {
 public:
  // Throws ConfigError if dim > kNewtonMaxParams, naming the count and suggesting lbfgs.
  Newton(Index dim, NewtonOptions o);
  std::string name() const override { return "newton"; }
  PassResult pass(Objective& f, Vector& w, const PassContext& ctx) override;
  // Newton keeps no state between passes beyond its options.
  OptimizerState state() const override { return {name(), {}, {}}; }
  void restore(const OptimizerState& s) override { check_state(s, name(), 0, 0, 0); }
  // The finite-difference Hessian at w (w restored bit for bit).
  Eigen::MatrixXd hessian(Objective& f, Vector& w);

 private:
  NewtonOptions o_;
  Vector g_, gp_, gm_, d_, wt_, w0_;
  void direction(const Eigen::MatrixXd& v, const Eigen::VectorXd& l, double mu);
};

}  // namespace nnfit::optim
