// The network as an optim::Objective: the mean loss over the training columns plus the L1/L2
// penalty on weights (never biases), so every optimizer sees the same f, and the max-norm
// constraint as its projection.
// With sample weights w_i the data term is (1/sum_i w_i) sum_i w_i loss_i: the weights are
// scaled to mean 1 (w'_i = N w_i / sum w), so a batch's loss (1/B) sum_b w'_b loss_b is an
// unbiased estimate of it, weight 2 on a row equals the row duplicated, and all-ones weights
// give the unweighted loss. Without weights the unweighted code runs.
#pragma once

#include "nn/network.h"
#include "optim/objective.h"

namespace nnfit::train {

class NetworkObjective : public optim::Objective {
 public:
  // x (inputs, N) and y (targets, N) must outlive this; net.params() is the point of
  // evaluation: a w that is not net.params() itself is copied into it first.
  // weights: null, or one sample weight >= 0 per column of x, not all zero (copied).
  // max_norm > 0: project() caps each unit's incoming weight norm at max_norm (0 = off).
  NetworkObjective(nn::Network& net, const Matrix& x, const Matrix& y, double l1, double l2,
                   Index max_batch, const Vector* weights = nullptr, double max_norm = 0.0);
  Index dim() const override { return net_.param_count(); }
  Index examples() const override { return x_.cols(); }
  // Chunks of max_batch columns; the gradient is the chunk gradients weighted by chunk size.
  // Never drops (the network's training mode is off for the call), so f is deterministic for
  // the full-batch methods' line searches: dropout acts through batch() only.
  double full(const Vector& w, Vector* grad) override;
  // Gathers the columns (none for B = 1), forward_backward, then grad + penalty in one loop:
  //   g + mask .* (l2 w + l1 sign(w))  (no copy at all when l1 = l2 = 0).
  optim::BatchEval batch(const Vector& w, const Index* rows, Index B) override;
  // R(w) = l1 sum|w| + (l2/2) sum w^2 over weights.
  double penalty(const Vector& w) const;
  // Max-norm: every row of every Dense W in w (a unit's incoming weights, its bias excluded)
  // whose Euclidean norm exceeds max_norm is scaled to norm max_norm. No-op when max_norm = 0.
  void project(Vector& w) override;

 private:
  nn::Network& net_;
  const Matrix& x_;
  const Matrix& y_;
  double l1_, l2_;
  Index max_batch_;
  double max_norm_;
  Matrix xb_, yb_;
  Vector grad_;
  Vector w_, wb_;  // weights scaled to mean 1 (empty: unweighted), and a batch's
  bool weighted() const { return w_.size() != 0; }

  void set_point(const Vector& w);
  // out = g + mask .* (l2 w + l1 sign(w)); out may be g.
  void add_penalty_gradient(const Vector& w, const Vector& g, Vector& out) const;
  const Vector& penalised(const Vector& w);
};

}  // namespace nnfit::train
