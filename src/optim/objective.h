// optim::Objective: what every optimizer sees, a function of the flat parameter vector w
//   f(w) = (1/N) sum_i loss_i(w) + R(w),   R(w) = l1 sum|w_j| + (l2/2) sum w_j^2 over weights,
// evaluated on the full set (L-BFGS, Newton, curvature) or on a batch of examples (the SGD
// family). The penalty R lives here, not in the step rules, so every optimizer sees the same f.
#pragma once

#include "core/types.h"

namespace nnfit::optim {

struct BatchEval {
  double loss = 0.0;             // mean DATA loss over the batch (R excluded, as epoch lines show)
  const Vector* grad = nullptr;  // d(mean batch loss + R)/dw; valid until the next call
};

class Objective {
 public:
  virtual ~Objective() = default;
  virtual Index dim() const = 0;       // length of w
  virtual Index examples() const = 0;  // N
  // f(w) on all N examples, R included. If grad is non-null it receives grad f(w) (resized to
  // dim() if needed; pass a sized vector to stay allocation-free).
  virtual double full(const Vector& w, Vector* grad) = 0;
  // The batch of examples rows[0..B), 1 <= B <= examples(). Allocates nothing once warmed up.
  virtual BatchEval batch(const Vector& w, const Index* rows, Index B) = 0;
  // Projects w onto the feasible set after an update (a constraint such as max-norm); the
  // SGD family calls it after every step. Default: no constraint. Allocates nothing.
  virtual void project(Vector& /*w*/) {}
  // A hint that batch() will next see these rows: start loading them into the caches while the
  // current batch computes (MiniBatch calls it with the next batch's rows). No effect on results.
  virtual void prefetch(const Index* /*rows*/, Index /*B*/) const {}
};

// sum_i a_i b_i accumulated in double (the vectors hold floats).
inline double dot(const Vector& a, const Vector& b) {
  double s = 0.0;
  for (Index i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

}  // namespace nnfit::optim
