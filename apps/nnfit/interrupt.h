// Ctrl-C during a long run: the first SIGINT asks the run to stop cleanly (finish the batch,
// keep the best weights, save them); a second one exits at once with 130, writing nothing more.
#pragma once

#include <atomic>
#include <string>

namespace nnfit::cli {

// Installs the handler for its lifetime and restores the previous one after (the CLI runs
// in-process in tests). Only one may exist at a time. The first SIGINT prints
// "nnfit: interrupted; MESSAGE": what the run does next.
inline constexpr const char* kTrainInterrupt =
    "finishing the batch and saving the best model so far (Ctrl-C again to quit without saving)";
class InterruptGuard {
 public:
  explicit InterruptGuard(const std::string& message = kTrainInterrupt);
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // Set by the first SIGINT; pass to train::FitData::interrupt.
  const std::atomic<bool>* flag() const;
};

// For a whole CLI run: SIGINT (outside an InterruptGuard), SIGTERM and SIGHUP remove the
// temporaries of unfinished output files (io::remove_temporaries_now), then end the process
// by the same signal, so a killed `predict --output F` leaves no `F.tmp-*` behind. Restores
// the previous handlers on destruction (tests run the CLI in-process).
// SIGPIPE is ignored meanwhile, so a closed log stream (`nnfit train 2>&1 | head -2`) never
// kills a run: writes to it fail with EPIPE and are dropped. Standard output closed by its
// reader ends the process as SIGPIPE did (see stdout_closed).
class SignalCleanup {
 public:
  SignalCleanup();
  ~SignalCleanup();
  SignalCleanup(const SignalCleanup&) = delete;
  SignalCleanup& operator=(const SignalCleanup&) = delete;
};

// Standard output's reader has gone (a write failed with EPIPE): removes the temporaries of
// unfinished output files and ends the process by SIGPIPE, quietly, as an unhandled SIGPIPE
// would (`nnfit predict ... | head`).
[[noreturn]] void die_of_closed_stdout();

}  // namespace nnfit::cli
