// WorkPool: every piece of every job runs exactly once, on any number of threads, and a pool
// whose workers went to sleep still wakes them for the next job.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/work_pool.h"

namespace nnfit {
namespace {

// Runs `jobs` jobs of `pieces` pieces; counts[j * pieces + p] = times piece p of job j ran.
std::vector<int> run_jobs(WorkPool& pool, int jobs, int pieces) {
  std::vector<std::atomic<int>> counts(static_cast<std::size_t>(jobs * pieces));
  for (int j = 0; j < jobs; ++j) {
    auto piece = [&](int p) { counts[static_cast<std::size_t>(j * pieces + p)].fetch_add(1); };
    pool.run(pieces, piece);
  }
  std::vector<int> out;
  for (const auto& c : counts) out.push_back(c.load());
  return out;
}

TEST(WorkPoolTest, EveryPieceRunsExactlyOnce) {
  for (int threads : {1, 2, 3}) {
    WorkPool pool(threads);
    EXPECT_EQ(pool.threads(), threads);
    for (int pieces : {1, 2, 5, 64}) {
      const std::vector<int> counts = run_jobs(pool, 200, pieces);
      for (std::size_t i = 0; i < counts.size(); ++i) {
        ASSERT_EQ(counts[i], 1) << threads << " threads, " << pieces << " pieces, entry " << i;
      }
    }
  }
}

TEST(WorkPoolTest, TheWorkersTakePiecesAndTheCallerWaitsForThem) {
  WorkPool pool(2);
  std::atomic<int> others{0};
  const std::thread::id caller = std::this_thread::get_id();
  // Pieces long enough that the worker, spinning or woken, takes some of them.
  auto piece = [&](int) {
    if (std::this_thread::get_id() != caller) others.fetch_add(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  };
  for (int j = 0; j < 20 && others.load() == 0; ++j) pool.run(8, piece);
  EXPECT_GT(others.load(), 0);
}

TEST(WorkPoolTest, SleepingWorkersWakeForTheNextJob) {
  WorkPool pool(2);
  std::atomic<int> sum{0};
  auto piece = [&](int p) { sum.fetch_add(p + 1); };
  pool.run(4, piece);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // past the spin: asleep
  pool.run(4, piece);
  EXPECT_EQ(sum.load(), 20);
}

TEST(WorkPoolTest, TrainingThreadsAreSetAndClampedBelow) {
  set_training_threads(3);
  EXPECT_EQ(training_threads(), 3);
  set_training_threads(0);
  EXPECT_EQ(training_threads(), 1);
}

}  // namespace
}  // namespace nnfit
