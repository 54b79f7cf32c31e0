// WorkPool (see work_pool.h).
#include "core/work_pool.h"

#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NNFIT_PAUSE() _mm_pause()
#else
#define NNFIT_PAUSE() std::this_thread::yield()
#endif

namespace nnfit {

namespace {

// How long an idle worker spins before it sleeps, and how long the caller spins on a started
// piece before it yields its core. At 50 us a W1 worker (784-256-128-10, batch 64) slept 2,200
// times in 1,875 batches, since the single-threaded step between jobs took longer, and each
// wake-up cost more than the spin; at 500 us it slept 3 times.
constexpr auto kSpin = std::chrono::microseconds(500);

std::atomic<int> g_training_threads{1};

std::uint64_t job_of(std::uint64_t ticket) { return ticket >> 32; }
int piece_of(std::uint64_t ticket) { return static_cast<int>(ticket & 0xffffffffu); }

}  // namespace

void set_training_threads(int threads) { g_training_threads.store(threads < 1 ? 1 : threads); }
int training_threads() { return g_training_threads.load(); }

WorkPool::WorkPool(int threads) {
  for (int t = 1; t < threads; ++t) {
    try {
      workers_.emplace_back([this] { worker_loop(); });
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the caller runs the pieces the others would have
    }
  }
}

WorkPool::~WorkPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true);
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void WorkPool::work_on(std::uint64_t job) {
  const int pieces = pieces_.load(std::memory_order_acquire);
  std::uint64_t t = ticket_.load(std::memory_order_acquire);
  while (job_of(t) == job && piece_of(t) < pieces) {
    if (!ticket_.compare_exchange_weak(t, t + 1, std::memory_order_acq_rel)) continue;
    // The job cannot end before this piece is done, so call_ and ctx_ are still its own.
    call_.load(std::memory_order_acquire)(ctx_.load(std::memory_order_acquire), piece_of(t));
    done_.fetch_add(1, std::memory_order_acq_rel);
    t = ticket_.load(std::memory_order_acquire);
  }
}

bool WorkPool::share_next_job() {
  const long k = jobs_++ % kPeriod;
  if (k == 0 || k == kWindow || k == 2 * kWindow) {
    const auto now = std::chrono::steady_clock::now();
    if (k == kWindow) shared_time_ = now - window_start_;
    if (k == 2 * kWindow) share_ = shared_time_ <= now - window_start_;
    window_start_ = now;
  }
  return k < kWindow || (k >= 2 * kWindow && share_);
}

void WorkPool::run_erased(int pieces, Call call, void* ctx) {
  if (pieces <= 0) return;
  if (workers_.empty() || !share_next_job()) {
    for (int p = 0; p < pieces; ++p) call(ctx, p);  // the same pieces: the same bits
    return;
  }
  const std::uint64_t job = job_of(ticket_.load()) + 1;
  call_.store(call, std::memory_order_release);
  ctx_.store(ctx, std::memory_order_release);
  pieces_.store(pieces, std::memory_order_release);
  done_.store(0, std::memory_order_release);
  ticket_.store(job << 32);  // seq_cst: ordered before the load of sleepers_ below
  if (sleepers_.load() > 0) {
    { std::lock_guard<std::mutex> lock(mutex_); }
    wake_.notify_all();
  }
  work_on(job);
  const auto start = std::chrono::steady_clock::now();
  for (int n = 0; done_.load(std::memory_order_acquire) < pieces; ++n) {
    // A worker is inside a piece; if it was descheduled, let it have this core back.
    if (n % 64 == 63 && std::chrono::steady_clock::now() - start > kSpin) {
      std::this_thread::yield();
    } else {
      NNFIT_PAUSE();
    }
  }
}

std::uint64_t WorkPool::wait_for_job(std::uint64_t seen) {
  const auto start = std::chrono::steady_clock::now();
  for (int n = 0;; ++n) {
    const std::uint64_t job = job_of(ticket_.load(std::memory_order_acquire));
    if (job != seen || stop_.load(std::memory_order_relaxed)) return job;
    if (n % 64 == 63 && std::chrono::steady_clock::now() - start > kSpin) break;
    NNFIT_PAUSE();
  }
  std::unique_lock<std::mutex> lock(mutex_);
  sleepers_.fetch_add(1);  // seq_cst: ordered before the job number is read again
  wake_.wait(lock, [&] { return job_of(ticket_.load()) != seen || stop_.load(); });
  sleepers_.fetch_sub(1);
  return job_of(ticket_.load());
}

void WorkPool::worker_loop() {
  std::uint64_t seen = 0;
  for (;;) {
    seen = wait_for_job(seen);
    if (stop_.load()) return;
    work_on(seen);
  }
}

}  // namespace nnfit
