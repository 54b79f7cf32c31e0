// Output + loss pairs, all computed from logits so they stay finite for any logit.
//   SoftmaxNll:  K >= 2 logits, targets (1, B) class indices 0..K-1 stored as Scalar.
//                loss = logsumexp(z) - z_t.  dz = softmax(z) - onehot(t).
//   SigmoidBce:  1 logit, targets (1, B) in {0, 1}.
//                loss = softplus(z) - t*z = max(z,0) - t*z + log1p(exp(-|z|)).  dz = sigmoid(z) - t.
//   SquaredError: k outputs, targets (k, B).  loss = 0.5 * ||z - t||^2.  dz = z - t.
// The loss of a batch is the MEAN over its B columns; gradients include that 1/B.
// Weighted (sample weights w_b >= 0, one per column): column b's loss and gradient are
// multiplied by w_b, still divided by B (the caller normalises the weights, see
// train::NetworkObjective). The unweighted functions are separate code, not w = 1.
#pragma once

#include <memory>
#include <string>

#include "core/types.h"

namespace nnfit::nn {

enum class LossKind { kSoftmaxNll, kSigmoidBce, kSquaredError };

std::string loss_name(LossKind kind);              // "softmax_nll", "sigmoid_bce", "squared_error"
LossKind parse_loss(const std::string& name);      // throws ModelError on an unknown name

class Loss {
 public:
  virtual ~Loss() = default;
  virtual LossKind kind() const = 0;
  // Sum over the B columns of the per-sample loss (double accumulation).
  virtual double sum(const ConstMatrixRef& logits, const ConstMatrixRef& targets) const = 0;
  // Writes dz = d(mean loss)/d logits into dlogits (same shape as logits); returns the mean loss.
  virtual double gradient(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                          MatrixRef dlogits) const = 0;
  // sum_b w_b loss_b, and dz_b = w_b d(loss_b)/dz_b / B returning (1/B) sum_b w_b loss_b;
  // weights points to B values.
  virtual double weighted_sum(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                              const Scalar* weights) const = 0;
  virtual double weighted_gradient(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                                   const Scalar* weights, MatrixRef dlogits) const = 0;
  // Maps logits to the user-facing output: class probabilities (K, B) for SoftmaxNll,
  // P(class 1) (1, B) for SigmoidBce, the values themselves for SquaredError.
  virtual void output(const ConstMatrixRef& logits, MatrixRef out) const = 0;
};

std::unique_ptr<Loss> make_loss(LossKind kind);

}  // namespace nnfit::nn
