// SGD update over the flat parameter vector.
#include "optim/sgd.h"

namespace nnfit::optim {

Sgd::Sgd(Index n_params, SgdOptions opt) : opt_(opt), velocity_(Vector::Zero(n_params)) {}

// One fused pass over w, g, v (and the mask when penalised): the vectors of a large network
// exceed the L2 cache, so separate Eigen statements would stream them twice.
void Sgd::step(Vector& params, const Vector& grads, const Vector& weight_mask, double lr) {
  const auto mu = static_cast<Scalar>(opt_.momentum);
  const auto a = static_cast<Scalar>(lr);
  const auto l1 = static_cast<Scalar>(opt_.l1);
  const auto l2 = static_cast<Scalar>(opt_.l2);
  Scalar* w = params.data();
  Scalar* v = velocity_.data();
  const Scalar* g = grads.data();
  const Scalar* m = weight_mask.data();
  const Index n = params.size();
  if (l1 == 0 && l2 == 0) {
    for (Index i = 0; i < n; ++i) {
      v[i] = mu * v[i] - a * g[i];
      w[i] += v[i];
    }
    return;
  }
  for (Index i = 0; i < n; ++i) {
    // d/dw [l1 |w| + l2/2 w^2] = l1 sign(w) + l2 w, on weights only.
    const Scalar sign = static_cast<Scalar>((w[i] > 0) - (w[i] < 0));
    v[i] = mu * v[i] - a * (g[i] + m[i] * (l2 * w[i] + l1 * sign));
    w[i] += v[i];
  }
}

}  // namespace nnfit::optim
