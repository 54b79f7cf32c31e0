// The network's objective recomputed in double precision, for gradient checks: the same layers
// (walked from the network, so a replaced or new layer kind is seen), the same loss and the
// L1/L2 penalty on weights, with every product and activation in double. The production network
// computes in float32, whose rounding (~6e-8 relative) swamps central differences; in double,
// differences with a step of 1e-5 are accurate to ~1e-10 (truncation h^2 f'''/6 plus
// rounding 1e-16 |f| / h), so what remains of a gap is the float analytic gradient's own error.
// Dropout enters under one fixed mask read from the network, sample weights as a weighted mean.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "nn/network.h"

namespace nnfit::check {

class Reference {
 public:
  // x (inputs, B) and y (targets, B) are copied; net's layer list, loss and dropout masks are
  // read once. weights: null, or one sample weight >= 0 per column (copied), not all zero.
  // Dropout: each layer with a dropout (net.dropout(i)) is followed here by that dropout under
  // the mask it last drew, y = x .* keep / (1 - p) with keep in {0, 1} read from the mask's
  // nonzero positions; so net's masks must be fixed (Network::fix_dropout_masks) and drawn for
  // B columns (one forward_backward in training mode) first, and value() is then the function
  // net's forward_backward computes under those masks. Throws Error for a layer kind that has
  // no double-precision formula here, a dropout with no mask for B columns, or bad weights.
  Reference(const nn::Network& net, const Matrix& x, const Matrix& y, double l1, double l2,
            const Vector* weights = nullptr);

  // f(w) = data loss + l1 sum|w| + (l2/2) sum w^2 over weights, in double; the data loss is the
  // mean loss over the B columns, or with weights the weighted mean sum_b w_b loss_b / sum_b w_b
  // (the normalisation of train::NetworkObjective, whose weights are scaled to mean 1).
  double value(const Eigen::VectorXd& w);

  // Mask entries over all dropout layers and B columns, and how many of them are dropped (0).
  Index masked() const { return masked_; }
  Index dropped() const { return dropped_; }

 private:
  struct Step {
    std::string kind;
    Index in = 0, out = 0, offset = 0;
    Eigen::MatrixXd keep;  // (out, B) 0/1: the dropout after this layer; empty = none
    double scale = 1.0;    // 1 / (1 - p)
  };
  std::vector<Step> steps_;
  nn::LossKind loss_;
  Eigen::MatrixXd x_, y_;
  Eigen::VectorXd mask_;
  Eigen::VectorXd weights_;  // empty = unweighted
  double l1_, l2_;
  Index masked_ = 0, dropped_ = 0;
  Eigen::MatrixXd a_, b_;  // activations, swapped layer by layer
};

// Mean over the columns of the loss of logits z against targets t (as described in nn/loss.h),
// in double; with weights w (one per column), the weighted mean sum_b w_b loss_b / sum_b w_b.
double mean_loss(nn::LossKind kind, const Eigen::MatrixXd& z, const Eigen::MatrixXd& t,
                 const Eigen::VectorXd* w = nullptr);

}  // namespace nnfit::check
