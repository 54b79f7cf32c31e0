// The network as an optim::Objective: the mean loss over the training columns plus the L1/L2
// penalty on weights (never biases), so every optimizer sees the same f, and the max-norm
// constraint as its projection.
// With sample weights w_i the data term is (1/sum_i w_i) sum_i w_i loss_i: the weights are
// scaled to mean 1 (w'_i = N w_i / sum w), so a batch's loss (1/B) sum_b w'_b loss_b is an
// unbiased estimate of it, weight 2 on a row equals the row duplicated, and all-ones weights
// give the unweighted loss. Without weights the unweighted code runs.
#pragma once

#include <algorithm>
#include <memory>
#include <vector>

#include "core/work_pool.h"
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
  // Data-parallel batches on pool's threads (null: one thread, the default). A batch of B >=
  // 2 T columns, T = pool->threads(), that passes the thresholds below, is cut into T parts of B /
  // T columns (the first B mod T parts one more); part p runs forward_backward on its own network
  // (part 0 on net, the others on replicas), then the gradient sum_p (B_p / B) g_p, penalty
  // included, is assembled on the threads over ranges of parameters. The result depends on T, never
  // on which thread ran a part; T = 1 is the single-threaded code. The pool must outlive this
  // objective. min_part_columns and min_split_work replace the thresholds (tests).
  void set_pool(WorkPool* pool, Index min_split_work = kMinSplitWork,
                Index min_part_columns = kMinPartColumns);
  // When a split batch pays, by measurement (helpers paused, 2-core EPYC, bench/README.md):
  // per part >= kMinPartColumns columns (W1's 784-256-128-10 at batch 64, 32 a part: 0.86x of
  // one thread; batch 128: 0.9-1.16x; batch 256: 1.0-1.24x; 784-1024-1024-10 at batch 256:
  // 1.6-1.8x, at batch 64: 1.0-1.2x), since each thread reads every weight whatever its
  // share of the columns; and >= kMinSplitWork parameters x columns (W2's 20-64-64-1 at batch
  // 32: 0.65x, the hand-offs cost more than the arithmetic). Other batches run on one thread:
  // the same bits as --threads 1.
  static constexpr Index kMinPartColumns = 128;
  static constexpr Index kMinSplitWork = Index{1} << 21;
  // R(w) = l1 sum|w| + (l2/2) sum w^2 over weights.
  double penalty(const Vector& w) const;
  // Max-norm: every row of every Dense W in w (a unit's incoming weights, its bias excluded)
  // whose Euclidean norm exceeds max_norm is scaled to norm max_norm. No-op when max_norm = 0.
  void project(Vector& w) override;
  // The first two cache lines of each row's column of x and y (the hardware follows a longer
  // column): random rows of a matrix larger than the caches otherwise cost a miss each, and
  // W5's training time per row grew 73 % from 10^5 to 10^7 rows.
  void prefetch(const Index* rows, Index B) const override;

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

  // One part of a data-parallel batch (set_pool).
 public:
  struct Part {
    nn::Network* net = nullptr;
    std::unique_ptr<nn::Network> replica;  // null for part 0, which runs on net_
    Matrix xb, yb;
    Vector wb;
    Index begin = 0, cols = 0;
    double loss = 0.0;
    Vector acc;  // full(): this part's share of the gradient (parts 1..T-1)
  };

 private:
  WorkPool* pool_ = nullptr;
  Index min_split_work_ = kMinSplitWork;
  Index min_part_columns_ = kMinPartColumns;
  std::vector<Part> parts_;

  bool splits(Index B) const {
    const auto T = static_cast<Index>(parts_.size());
    return pool_ != nullptr && B >= std::max<Index>(2, min_part_columns_) * T &&
           B * net_.param_count() >= min_split_work_;
  }
  optim::BatchEval parallel_batch(const Index* rows, Index B);
  // full()'s data term: the mean loss, and its gradient (penalty included) in grad.
  double serial_full(Vector& grad);
  double parallel_full(Vector& grad);
  // Forward and backward over the part's columns [begin, begin + cols) in chunks, dropout off:
  // acc = sum over chunks of (B_c / N) g_c, part.loss = the loss sum.
  void full_part(Part& part, Vector& acc);
  void run_part(Part& part, const Index* rows);
  // Copies the columns rows[0..B) of x, y (and the weights) into xb, yb (wb), then returns
  // net's forward_backward on them: batch()'s path, and each part's.
  double gather_and_run(nn::Network& net, const Index* rows, Index B, Matrix& xb, Matrix& yb,
                        Vector& wb) const;
  // out[0, n) += the penalty gradient of the parameters [lo, lo + n) (nothing without L1/L2).
  void penalise_range(Scalar* out, Index lo, Index n) const;
  // grad_[lo, hi) = sum_p (B_p / B) g_p + the penalty gradient, in cache-sized chunks.
  void assemble(Index lo, Index hi, Index B);

  void set_point(const Vector& w);
  // out[i] = g[i] + m[i] (l2 w[i] + l1 sign(w[i])) for i < n; out may be g.
  static void penalty_gradient(const Scalar* w, const Scalar* g, const Scalar* m, Scalar* out,
                               Index n, Scalar l1, Scalar l2);
  // out = g + mask .* (l2 w + l1 sign(w)); out may be g.
  void add_penalty_gradient(const Vector& w, const Vector& g, Vector& out) const;
  const Vector& penalised(const Vector& w);
};

}  // namespace nnfit::train
