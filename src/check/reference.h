// The network's objective recomputed in double precision, for gradient checks: the same layers
// (walked from the network, so a replaced or new layer kind is seen), the same loss and the
// L1/L2 penalty on weights, with every product and activation in double. The production network
// computes in float32, whose rounding (~6e-8 relative) swamps central differences; in double,
// differences with a step of 1e-5 are accurate to ~1e-10 (truncation h^2 f'''/6 plus
// rounding 1e-16 |f| / h), so what remains of a gap is the float analytic gradient's own error.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "nn/network.h"

namespace nnfit::check {

class Reference {
 public:
  // x (inputs, B) and y (targets, B) are copied; net's layer list and loss are read once.
  // Throws Error for a layer kind that has no double-precision formula here.
  Reference(const nn::Network& net, const Matrix& x, const Matrix& y, double l1, double l2);

  // f(w) = mean loss over the B columns + l1 sum|w| + (l2/2) sum w^2 over weights, in double.
  double value(const Eigen::VectorXd& w);

 private:
  struct Step {
    std::string kind;
    Index in = 0, out = 0, offset = 0;
  };
  std::vector<Step> steps_;
  nn::LossKind loss_;
  Eigen::MatrixXd x_, y_;
  Eigen::VectorXd mask_;
  double l1_, l2_;
  Eigen::MatrixXd a_, b_;  // activations, swapped layer by layer
};

// Mean over the columns of the loss of logits z against targets t (as described in nn/loss.h),
// in double.
double mean_loss(nn::LossKind kind, const Eigen::MatrixXd& z, const Eigen::MatrixXd& t);

}  // namespace nnfit::check
