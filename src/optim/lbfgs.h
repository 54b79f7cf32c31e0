// L-BFGS on the full-batch objective (Nocedal & Wright, Algorithm 7.4 and 7.5): the two-loop
// recursion over the last `history` pairs (s, y), initial scaling s'y / y'y, and a strong Wolfe
// line search (line_search.h) whose first trial step is 1 (1 / |g| on the first iteration).
#pragma once

#include <vector>

#include "optim/line_search.h"
#include "optim/optimizer.h"

namespace nnfit::optim {

struct LbfgsOptions {
  int history = 10;    // pairs kept, >= 1
  double gtol = 1e-5;  // converged when max_i |g_i| <= gtol
  double ftol = 1e-9;  // converged when (f_k - f_k+1) / max(|f_k|, |f_k+1|, 1) <= ftol
  WolfeOptions wolfe;
};

class Lbfgs : public Optimizer {
 public:
  Lbfgs(Index dim, LbfgsOptions o);
  std::string name() const override { return "lbfgs"; }
  // One iteration: direction, line search, history update. If w is not the point this
  // optimizer left it at (first pass, or changed by the caller), f and g are recomputed and
  // the history is cleared. kStalled leaves w unchanged; kConverged may follow an accepted step.
  PassResult pass(Objective& f, Vector& w, const PassContext& ctx) override;
  OptimizerState state() const override;
  void restore(const OptimizerState& s) override;

 private:
  LbfgsOptions o_;
  std::vector<Vector> s_, y_;
  std::vector<double> rho_;
  int count_ = 0, head_ = 0;  // pairs stored; index of the next slot
  bool have_point_ = false;
  double f_ = 0.0;
  Vector w_, g_, d_, wt_, gt_, alpha_;

  void direction();
};

}  // namespace nnfit::optim
