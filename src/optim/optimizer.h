// optim::Optimizer: the seam between the Trainer's epoch loop and an update method. An optimizer
// sees an Objective and the flat parameter vector w, nothing else (no layers), and owns all of
// its state (velocity, moments, L-BFGS history, the update counter, the schedule), so the
// Trainer can continue a run (successive halving) or stop it (Ctrl-C) between passes, and
// state() / restore() carry a run over to a fresh optimizer bit for bit.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/types.h"
#include "core/work_pool.h"
#include "optim/objective.h"
#include "optim/schedule.h"

namespace nnfit::optim {

enum class PassStatus {
  kOk,           // made progress; call pass() again
  kConverged,    // full-batch methods: a gradient or loss tolerance is met
  kStalled,      // full-batch methods: the line search found no acceptable step; w unchanged
  kDiverged,     // the loss became NaN or infinite (w may hold the bad step)
  kInterrupted,  // ctx.interrupt was set; the pass ended after the current batch
};

struct PassResult {
  PassStatus status = PassStatus::kOk;
  // SGD family: mean data loss over the batches run (the penalty excluded).
  // L-BFGS / Newton: f(w) (penalty included) at the new w.
  double loss = 0.0;
  double rate = 0.0;    // the rate (or accepted line-search step) of the pass's last update
  long updates = 0;     // parameter updates made in this pass
  int evaluations = 0;  // objective evaluations (full or batch) in this pass
};

struct PassContext {
  Rng* rng = nullptr;  // the SGD family's shuffles; REQUIRED for them
  // Checked after every batch (may be null); see train::FitData::interrupt.
  const std::atomic<bool>* interrupt = nullptr;
};

// Everything an optimizer must remember between passes, as plain numbers so it can later be
// written to a model or a journal. kind names the optimizer that wrote it.
struct OptimizerState {
  std::string kind;
  std::vector<Vector> vectors;
  std::vector<double> scalars;
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual std::string name() const = 0;
  // SGD family: one epoch of mini-batches. L-BFGS and Newton: one iteration (one line search).
  virtual PassResult pass(Objective& f, Vector& w, const PassContext& ctx) = 0;
  // After each epoch with the watched value, lower is better (the trainer passes --monitor,
  // negated when maximised, or the training loss; NaN is ignored): plateau schedules.
  virtual void end_epoch(double /*monitored_loss*/) {}
  // Threads for the update (SGD family: the step rule over ranges of w; null = one thread).
  // The pool must outlive the optimizer's passes.
  virtual void set_pool(WorkPool* /*pool*/) {}
  virtual OptimizerState state() const = 0;
  // Throws ModelError if s was written by another kind or for another parameter count.
  virtual void restore(const OptimizerState& s) = 0;
};

// Throws ModelError unless s.kind == kind and it holds n_vectors vectors of length dim and
// n_scalars scalars.
void check_state(const OptimizerState& s, const std::string& kind, std::size_t n_vectors, Index dim,
                 std::size_t n_scalars);

}  // namespace nnfit::optim
