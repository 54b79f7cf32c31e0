// One epoch of mini-batch steps (see minibatch.h).
#include "optim/minibatch.h"

#include <cmath>
#include <numeric>

#include "core/error.h"

namespace nnfit::optim {

MiniBatch::MiniBatch(std::unique_ptr<StepRule> rule, Schedule schedule, Index batch_size,
                     double clip_norm)
    : rule_(std::move(rule)),
      schedule_(std::move(schedule)),
      batch_size_(batch_size),
      clip_norm_(clip_norm) {
  if (batch_size_ < 1) throw ConfigError("batch size must be >= 1");
  if (!(clip_norm_ >= 0)) throw ConfigError("clip norm must be >= 0 (0 = off)");
}

const Vector& MiniBatch::clip(const Vector& g) {
  if (clip_norm_ <= 0) return g;
  const double norm = std::sqrt(dot(g, g));
  if (!(norm > clip_norm_)) return g;
  const auto scale = static_cast<Scalar>(clip_norm_ / norm);
  clipped_.noalias() = g * scale;  // clipped_ was sized before the batch loop
  return clipped_;
}

void MiniBatch::step(Vector& w, const Vector& g, double lr) {
  constexpr Index kMinSplit = Index{1} << 15;  // smaller updates take less than a hand-off
  if (pool_ == nullptr || w.size() < kMinSplit) {
    rule_->step(w, g, lr);
    return;
  }
  rule_->prepare(lr);
  auto ranges = [&](Index lo, Index hi) { rule_->update(w, g, lo, hi); };
  pool_->run_ranges(w.size(), ranges);
}

double MiniBatch::next_rate() const {
  return schedule_.rate(schedule_.unit() == ScheduleUnit::kUpdate ? updates_ : epochs_);
}

PassResult MiniBatch::pass(Objective& f, Vector& w, const PassContext& ctx) {
  const Index n = f.examples();
  order_.resize(static_cast<std::size_t>(n));  // allocates on the first pass only
  std::iota(order_.begin(), order_.end(), Index{0});
  ctx.rng->shuffle(order_);
  const Index batch = std::min(batch_size_, n);
  if (clip_norm_ > 0 && clipped_.size() != f.dim()) clipped_.resize(f.dim());
  PassResult r;
  double loss_sum = 0.0;
  Index seen = 0;
  for (Index begin = 0; begin < n; begin += batch) {
    const Index B = std::min(batch, n - begin);
    if (begin + B < n) f.prefetch(order_.data() + begin + B, std::min(batch, n - begin - B));
    const BatchEval e = f.batch(w, order_.data() + begin, B);
    ++r.evaluations;
    if (!std::isfinite(e.loss)) {
      r.status = PassStatus::kDiverged;
      break;
    }
    loss_sum += e.loss * static_cast<double>(B);
    seen += B;
    r.rate = next_rate();
    step(w, clip(*e.grad), r.rate);
    f.project(w);
    ++updates_;
    ++r.updates;
    if (ctx.interrupt != nullptr && ctx.interrupt->load(std::memory_order_relaxed)) {
      r.status = PassStatus::kInterrupted;
      break;
    }
  }
  r.loss = seen > 0 ? loss_sum / static_cast<double>(seen) : std::nan("");
  ++epochs_;
  return r;
}

OptimizerState MiniBatch::state() const {
  OptimizerState s{name(), rule_->vectors(), rule_->scalars()};
  for (double x : schedule_.state()) s.scalars.push_back(x);
  s.scalars.push_back(static_cast<double>(updates_));
  s.scalars.push_back(static_cast<double>(epochs_));
  return s;
}

void MiniBatch::restore(const OptimizerState& s) {
  const Index dim = rule_->vectors().front().size();
  check_state(s, name(), rule_->n_vectors(), dim, rule_->n_scalars() + 5);
  const auto k = static_cast<std::ptrdiff_t>(rule_->n_scalars());
  rule_->restore(s.vectors, {s.scalars.begin(), s.scalars.begin() + k});
  schedule_.restore({s.scalars.begin() + k, s.scalars.begin() + k + 3});
  updates_ = static_cast<long>(s.scalars[static_cast<std::size_t>(k) + 3]);
  epochs_ = static_cast<long>(s.scalars[static_cast<std::size_t>(k) + 4]);
}

}  // namespace nnfit::optim
