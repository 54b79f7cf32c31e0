// Curvature of an Objective at a point, from its analytic gradient only:
//   H v ~ (grad f(w + h u) - grad f(w - h u)) / (2 h / |v|),  u = v / |v|,
// central differences with step h along the unit direction (error O(h^2) plus float rounding
// of order eps |g| / h). Power iteration on these products gives lambda_max, the curvature
// that bounds a stable gradient step: along the top eigenvector, w - lr g converges only for
// lr < 2 / lambda_max, and lr = 1 / lambda_max is the source's safe choice.
#pragma once

#include "core/rng.h"
#include "optim/objective.h"

namespace nnfit::optim {

// Workspace for Hessian-vector products, sized once for dim parameters (allocation-free after).
class HessianVector {
 public:
  HessianVector(Index dim, double h = 1e-3);
  // out = H(w) v. w is restored bit for bit; f is evaluated twice on the full set.
  void apply(Objective& f, Vector& w, const Vector& v, Vector& out);

 private:
  double h_;
  Vector w0_, gp_, gm_;
};

struct PowerResult {
  double lambda = 0.0;  // Rayleigh quotient of the last iterate
  Vector vector;        // unit eigenvector estimate
  int iterations = 0;
  bool converged = false;  // relative change of lambda fell below tol
};

// Largest eigenvalue (algebraically) of the Hessian at w: power iteration from a random start
// gives the eigenvalue of largest magnitude; if that is negative the iteration is repeated on
// H - lambda I, whose dominant eigenvalue is lambda_max - lambda. tol: relative change of the
// Rayleigh quotient between iterations.
PowerResult lambda_max(Objective& f, Vector& w, Rng& rng, int max_iter = 100, double tol = 1e-4);

// Smallest eigenvalue of the Hessian at w, given lambda_max: power iteration on
// lambda_max I - H, whose eigenvalues lambda_max - lambda_i are all >= 0, so its dominant one is
// lambda_max - lambda_min. Slower to converge than lambda_max when the spectrum's low end is
// crowded: read `converged`.
PowerResult lambda_min(Objective& f, Vector& w, Rng& rng, double lambda_max, int max_iter = 300,
                       double tol = 1e-4);

// The curvature rule lr = 1 / lambda_max. Throws ConfigError if lambda_max is not > 0 (no
// positive curvature: the rule gives no step size).
double rate_from_curvature(double lambda_max);

}  // namespace nnfit::optim
