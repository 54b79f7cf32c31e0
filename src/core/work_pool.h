// A fixed team of threads that runs the pieces of one job at a time, the caller's thread among
// them: the data-parallel half of `--threads`.
//
// Which thread runs a piece is not fixed, only what the pieces are: the caller claims pieces
// itself, so a worker that another process keeps off its core delays nothing but a piece it
// has already started, and with no worker available the caller runs every piece alone. A job
// split into the same pieces therefore gives the same bits whoever runs them.
//
// Sharing only when it pays: every kPeriod jobs the caller times kWindow jobs shared with the
// workers and kWindow jobs run alone, and shares for the rest of the period only if that was
// faster. When another process keeps a core busy, a worker competes with the caller for the
// remaining core and sharing loses: the caller then runs every piece itself and the workers
// sleep, so `--threads 2` costs little more than one thread instead of half the speed.
//
// Waiting: an idle worker spins for a short while (a batch of a small network takes tens of
// microseconds, far less than a sleep and wake-up), then sleeps on a condition variable, so it
// never competes for a busy core for long (OpenMP's spin-waiting threads did: 3.5x slower than
// one thread when another process kept one core busy).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace nnfit {

class WorkPool {
 public:
  // threads >= 1: the caller plus threads - 1 workers, started here.
  explicit WorkPool(int threads);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls fn(p) for p = 0 .. pieces - 1, each exactly once, and returns when all have returned.
  // fn must not throw and must not call run() (one job at a time, from one caller thread).
  template <class Fn>
  void run(int pieces, Fn& fn) {
    run_erased(
        pieces, [](void* f, int p) { (*static_cast<Fn*>(f))(p); }, &fn);
  }

  // Calls body(lo, hi) for threads() consecutive ranges covering [0, n), each a whole number of
  // 64-byte lines of floats (16) but the last, so no two threads write to one cache line. The
  // same n always gives the same ranges: a vector's range p stays in the cache of the thread
  // that usually takes piece p from one job to the next.
  template <class Body>
  void run_ranges(std::int64_t n, Body& body) {
    const std::int64_t t = threads();
    const std::int64_t per = ((n + t - 1) / t + 15) / 16 * 16;
    auto piece = [&](int p) {
      const std::int64_t lo = std::min<std::int64_t>(n, per * p);
      body(lo, std::min<std::int64_t>(n, lo + per));
    };
    run(threads(), piece);
  }

 private:
  using Call = void (*)(void*, int);
  std::vector<std::thread> workers_;
  // (job number << 32) | next piece: a claim succeeds only for the job it was made in.
  std::atomic<std::uint64_t> ticket_{0};
  std::atomic<int> pieces_{0};
  std::atomic<int> done_{0};
  std::atomic<Call> call_{nullptr};
  std::atomic<void*> ctx_{nullptr};
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  // The caller's choice between sharing jobs and running them alone (share_next_job).
  static constexpr long kPeriod = 4096, kWindow = 128;
  long jobs_ = 0;
  bool share_ = true;
  std::chrono::steady_clock::time_point window_start_;
  std::chrono::steady_clock::duration shared_time_{};

  void run_erased(int pieces, Call call, void* ctx);
  // Whether the next job goes to the workers too: measured windows, then the faster mode.
  bool share_next_job();
  // Claims and runs pieces of job `job` until none is left; false once the job has changed.
  void work_on(std::uint64_t job);
  void worker_loop();
  // Waits (spin, then sleep) until the job number differs from `seen` or the pool stops.
  std::uint64_t wait_for_job(std::uint64_t seen);
};

// The threads of a training's data-parallel batches (train --threads; default 1), read by each
// train::Trainer when it starts, as Eigen::setNbThreads sets Eigen's. gridsearch keeps 1: its
// parallelism is one trial per job.
void set_training_threads(int threads);
int training_threads();

}  // namespace nnfit
