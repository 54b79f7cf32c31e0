// SGD update over the flat parameter vector.
#include "optim/sgd.h"

namespace nnfit::optim {

Sgd::Sgd(Index n_params, SgdOptions opt) : opt_(opt), velocity_(Vector::Zero(n_params)) {}

void Sgd::step(Vector& params, const Vector& grads, const Vector& weight_mask, double lr) {
  const auto mu = static_cast<Scalar>(opt_.momentum);
  const auto a = static_cast<Scalar>(lr);
  const auto l1 = static_cast<Scalar>(opt_.l1);
  const auto l2 = static_cast<Scalar>(opt_.l2);
  auto w = params.array();
  auto v = velocity_.array();
  if (l1 == 0 && l2 == 0) {
    v = mu * v - a * grads.array();
  } else {
    // d/dw [l1 |w| + l2/2 w^2] = l1 sign(w) + l2 w, on weights only.
    v = mu * v - a * (grads.array() + weight_mask.array() * (l2 * w + l1 * w.sign()));
  }
  w += v;
}

double Sgd::penalty(const Vector& params, const Vector& weight_mask) const {
  if (opt_.l1 == 0 && opt_.l2 == 0) return 0.0;
  const auto wm = (params.array() * weight_mask.array()).cast<double>();
  return opt_.l1 * wm.abs().sum() + 0.5 * opt_.l2 * wm.square().sum();
}

}  // namespace nnfit::optim
