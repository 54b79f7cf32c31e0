// A line search for the strong Wolfe conditions (Nocedal & Wright, Numerical Optimization,
// 2nd ed., Algorithms 3.5 and 3.6, with the safeguarded cubic interpolation of eq. 3.59):
//   phi(a) <= phi(0) + c1 a phi'(0)        (sufficient decrease)
//   |phi'(a)| <= c2 |phi'(0)|               (curvature), 0 < c1 < c2 < 1.
#pragma once

#include <functional>

namespace nnfit::optim {

struct WolfeOptions {
  double c1 = 1e-4;
  double c2 = 0.9;          // 0.9 for quasi-Newton directions (N&W 3.1)
  int max_evals = 40;       // evaluations of phi per search
  double alpha_max = 1e10;  // bracketing never goes beyond this step
};

struct LineSearchResult {
  bool ok = false;     // a step satisfying both conditions was found
  double alpha = 0.0;  // that step; when ok it is the LAST one phi was evaluated at
  double phi = 0.0;
  double dphi = 0.0;
  int evals = 0;
};

// phi(a, &dphi) returns phi(a) = f(w + a d) and sets dphi = phi'(a) = grad f(w + a d)'d.
// REQUIRES: dphi0 < 0 (d is a descent direction), alpha1 > 0. A non-finite phi(a) is treated
// as a step that is too long.
LineSearchResult strong_wolfe(const std::function<double(double, double*)>& phi, double phi0,
                              double dphi0, double alpha1, const WolfeOptions& o = {});

}  // namespace nnfit::optim
