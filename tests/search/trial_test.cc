// The parallel trial runner when a trial throws: the other workers are joined, nothing new is
// started, and the error names the trial and its size.
#include "search/trial.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "core/error.h"
#include "data/dataset.h"
#include "search/search.h"
#include "search/iris_set.h"
#include "testing/paths.h"

namespace nnfit::search {
namespace {

TEST(RunParallelTest, AnExceptionStopsTheWorkersAndIsRethrownAfterJoining) {
  std::vector<std::size_t> todo(1000);
  for (std::size_t i = 0; i < todo.size(); ++i) todo[i] = i;
  std::atomic<int> calls{0};
  for (int jobs : {1, 2, 4}) {
    calls = 0;
    EXPECT_THROW(run_parallel(
                     todo, jobs, [] { return false; },
                     [&](std::size_t i) {
                       ++calls;
                       if (i == 3) throw std::runtime_error("trial 3 broke");
                       std::this_thread::sleep_for(std::chrono::milliseconds(1));
                       return true;
                     }),
                 std::runtime_error);
    // Items 0-3; each other worker finishes the item it is on and takes no new one.
    EXPECT_LE(calls.load(), 4 + 2 * (jobs - 1)) << jobs << " jobs";
  }
}

class TrialErrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sets_.push_back(fixtures::prepared_iris());
    base_.epochs = 2;
    for (const char* lr : {"0.3", "0.1", "0.03", "0.01"})
      candidates_.push_back({{"hidden", "4"}, {"lr", lr}});
  }
  std::vector<train::PreparedData> sets_;
  train::TrainOptions base_;
  std::vector<Candidate> candidates_;
};

TEST_F(TrialErrorTest, AFailingTrialIsNamedWithItsParameterCount) {
  // A failing journal append (on_trial) on the second trial; with two workers the error
  // crosses threads (it used to end in std::terminate).
  for (int jobs : {1, 2}) {
    RunOptions o;
    o.jobs = jobs;
    o.on_trial = [&](const TrialResult& r, std::size_t, std::size_t) {
      if (r.params == candidates_[1]) throw Error("cannot write 'journal.jsonl': No space left");
    };
    try {
      run_trials(sets_, base_, candidates_, o);
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("trial " + canonical(candidates_[1])), std::string::npos) << what;
      // iris: 4 inputs -> 4 hidden -> 3 classes.
      EXPECT_NE(what.find("(" + std::to_string(5 * 4 + 5 * 3) + " parameters)"), std::string::npos)
          << what;
      EXPECT_NE(what.find("No space left"), std::string::npos) << what;
    }
  }
}

TEST_F(TrialErrorTest, ParameterCountIsExactForNetworksTooLargeToAllocate) {
  train::TrainOptions huge = base_;
  huge.hidden = {300000, 300000};
  const long long expected = 5LL * 300000 + 300001LL * 300000 + 300001LL * 3;
  EXPECT_EQ(parameter_count(sets_, huge), std::to_string(expected) + " parameters");
}

}  // namespace
}  // namespace nnfit::search
