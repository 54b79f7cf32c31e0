// The SGD family's pass: one epoch of mini-batches in a fresh random order, a step rule
// (momentum, Nesterov, Adam, AdamW) per batch, the rate from a schedule.
#pragma once

#include <memory>
#include <vector>

#include "optim/optimizer.h"
#include "optim/schedule.h"
#include "optim/step_rules.h"

namespace nnfit::optim {

class MiniBatch : public Optimizer {
 public:
  // batch_size >= 1 (capped at the number of examples). clip_norm > 0: each batch gradient g
  // (penalty included) with |g| > clip_norm is scaled to norm clip_norm before the step rule
  // sees it, g <- g * clip_norm / |g| (0 = off).
  MiniBatch(std::unique_ptr<StepRule> rule, Schedule schedule, Index batch_size,
            double clip_norm = 0.0);
  std::string name() const override { return rule_->name(); }
  // Shuffles 0..N-1 with ctx.rng (Rng::shuffle of iota, as the Trainer always did), then one
  // step per batch of batch_size columns (the last batch may be smaller). The rate of update u
  // is schedule.rate(u) per update or schedule.rate(epoch) per epoch, u and epoch counted over
  // the whole run. Stops after a non-finite batch loss (kDiverged, that step not taken) or after
  // the batch during which ctx.interrupt was set (kInterrupted). After every step, f.project(w).
  PassResult pass(Objective& f, Vector& w, const PassContext& ctx) override;
  void end_epoch(double monitored_loss) override { schedule_.observe(monitored_loss); }
  // With threads, each update runs the step rule on WorkPool::run_ranges of w: the same bits as
  // one thread (an entry's update never depends on another entry).
  void set_pool(WorkPool* pool) override { pool_ = pool != nullptr && pool->threads() > 1 ? pool : nullptr; }
  // The rate the next update will use.
  double next_rate() const;
  OptimizerState state() const override;
  void restore(const OptimizerState& s) override;

 private:
  std::unique_ptr<StepRule> rule_;
  Schedule schedule_;
  Index batch_size_;
  double clip_norm_;
  Vector clipped_;    // the clipped gradient (sized once, when clipping is on)
  long updates_ = 0;  // over the whole run
  long epochs_ = 0;   // passes completed
  std::vector<Index> order_;
  WorkPool* pool_ = nullptr;

  void step(Vector& w, const Vector& g, double lr);

  // g itself, or g scaled into clipped_ when clipping is on and |g| > clip_norm.
  const Vector& clip(const Vector& g);
};

}  // namespace nnfit::optim
