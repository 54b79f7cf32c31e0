// Ctrl-C during a long run: the first SIGINT asks the run to stop cleanly (finish the batch,
// keep the best weights, save them); a second one exits at once with 130, writing nothing more.
#pragma once

#include <atomic>

namespace nnfit::cli {

// Installs the handler for its lifetime and restores the previous one after (the CLI runs
// in-process in tests). Only one may exist at a time.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // Set by the first SIGINT; pass to train::FitData::interrupt.
  const std::atomic<bool>* flag() const;
};

}  // namespace nnfit::cli
