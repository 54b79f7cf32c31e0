// NetworkObjective's data-parallel batches and full passes (see set_pool in objective.h).
#include <algorithm>
#include <atomic>
#include <exception>

#include "train/objective.h"

namespace nnfit::train {

namespace {

// Runs body(p) for every part on the pool; a pool job must not throw, so the first error is
// kept and rethrown on the caller's thread once every part has returned.
template <class Body>
void run_parts(WorkPool& pool, int parts, Body body) {
  std::exception_ptr error;
  std::atomic<bool> failed{false};
  auto piece = [&](int p) {
    try {
      body(p);
    } catch (...) {
      if (!failed.exchange(true)) error = std::current_exception();
    }
  };
  pool.run(parts, piece);
  if (error) std::rethrow_exception(error);
}

// Cuts [0, n) into consecutive parts of n / T columns, the first n mod T one more.
void cut(std::vector<NetworkObjective::Part>& parts, Index n) {
  const auto T = static_cast<Index>(parts.size());
  for (Index p = 0, begin = 0; p < T; ++p) {
    auto& part = parts[static_cast<std::size_t>(p)];
    part.begin = begin;
    part.cols = n / T + (p < n % T ? 1 : 0);
    begin += part.cols;
  }
}

}  // namespace

void NetworkObjective::set_pool(WorkPool* pool, Index min_split_work, Index min_part_columns) {
  min_split_work_ = min_split_work;
  min_part_columns_ = min_part_columns;
  pool_ = pool != nullptr && pool->threads() > 1 ? pool : nullptr;
  parts_.clear();
  if (pool_ == nullptr) return;
  parts_.resize(static_cast<std::size_t>(pool_->threads()));
  for (std::size_t p = 0; p < parts_.size(); ++p) {
    Part& part = parts_[p];
    if (p > 0) part.replica = net_.replica(p);
    part.net = p == 0 ? &net_ : part.replica.get();
    const Index cols =
        (max_batch_ + static_cast<Index>(parts_.size()) - 1) / static_cast<Index>(parts_.size());
    part.net->reserve(cols);
    part.xb.resize(x_.rows(), cols);
    part.yb.resize(y_.rows(), cols);
    if (weighted()) part.wb.resize(cols);
  }
}

// Gathers the part's columns and runs its forward and backward pass (on any thread).
void NetworkObjective::run_part(Part& part, const Index* rows) {
  part.net->set_training(net_.training());
  part.loss = gather_and_run(*part.net, rows + part.begin, part.cols, part.xb, part.yb, part.wb);
}

void NetworkObjective::assemble(Index lo, Index hi, Index B) {
  constexpr Index kChunk = 2048;  // 8 KB of each vector: the chunk stays in L1 across parts
  for (Index c = lo; c < hi; c += kChunk) {
    const Index n = std::min(kChunk, hi - c);
    auto out = grad_.segment(c, n);
    for (std::size_t p = 0; p < parts_.size(); ++p) {
      const auto share = static_cast<Scalar>(static_cast<double>(parts_[p].cols) / B);
      const auto g = parts_[p].net->grads().segment(c, n);
      if (p == 0) {
        out = share * g;
      } else {
        out += share * g;
      }
    }
    penalise_range(out.data(), c, n);
  }
}

optim::BatchEval NetworkObjective::parallel_batch(const Index* rows, Index B) {
  const auto T = static_cast<int>(parts_.size());
  cut(parts_, B);
  run_parts(*pool_, T, [&](int p) { run_part(parts_[static_cast<std::size_t>(p)], rows); });
  auto ranges = [&](Index lo, Index hi) { assemble(lo, hi, B); };
  pool_->run_ranges(grad_.size(), ranges);
  double loss = 0.0;
  for (const Part& part : parts_) loss += part.loss * static_cast<double>(part.cols) / B;
  return {loss, &grad_};
}

double NetworkObjective::parallel_full(Vector& grad) {
  const auto T = static_cast<int>(parts_.size());
  const Index n = x_.cols();
  if (!splits(n)) return serial_full(grad);
  cut(parts_, n);
  run_parts(*pool_, T, [&](int p) {
    Part& part = parts_[static_cast<std::size_t>(p)];
    if (p > 0) part.acc.resize(grad.size());
    full_part(part, p == 0 ? grad : part.acc);
  });
  auto ranges = [&](Index lo, Index hi) {
    auto out = grad.segment(lo, hi - lo);
    for (std::size_t p = 1; p < parts_.size(); ++p) out += parts_[p].acc.segment(lo, hi - lo);
    penalise_range(out.data(), lo, hi - lo);
  };
  pool_->run_ranges(grad.size(), ranges);
  double sum = 0.0;
  for (const Part& part : parts_) sum += part.loss;
  return sum / static_cast<double>(n);
}

}  // namespace nnfit::train
