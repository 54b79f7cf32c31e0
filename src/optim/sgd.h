// Stochastic gradient descent with heavy-ball momentum and L1/L2 on weights, over the
// network's flat parameter vector (optimizer state is a vector of the same length, never
// keyed by address).
#pragma once

#include "core/types.h"

namespace nnfit::optim {

struct SgdOptions {
  double momentum = 0.0;  // mu in [0, 1)
  double l1 = 0.0;        // adds l1 * sign(w) to the gradient of weights
  double l2 = 0.0;        // adds l2 * w to the gradient of weights
};

class Sgd {
 public:
  Sgd(Index n_params, SgdOptions opt);
  // g' = g + mask .* (l2 w + l1 sign(w));  v <- mu v - lr g';  w <- w + v.
  // mask is 1 for weights, 0 for biases. Allocates nothing.
  void step(Vector& params, const Vector& grads, const Vector& weight_mask, double lr);

 private:
  SgdOptions opt_;
  Vector velocity_;
};

}  // namespace nnfit::optim
