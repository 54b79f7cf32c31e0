// Successive halving: the rung schedule, promotion, continuation of promoted trials, and
// independence of --jobs and of resuming.
#include "search/halving.h"

#include <gtest/gtest.h>

#include <limits>

#include "core/error.h"
#include "data/dataset.h"
#include "search/iris_set.h"
#include "testing/paths.h"

namespace nnfit::search {
namespace {

std::vector<std::pair<std::size_t, int>> schedule(std::size_t n, int epochs, int eta,
                                                  int min_epochs = 0) {
  std::vector<std::pair<std::size_t, int>> out;
  for (const Rung& r : halving_rungs(n, epochs, {eta, min_epochs})) out.emplace_back(r.candidates, r.epochs);
  return out;
}

using Schedule = std::vector<std::pair<std::size_t, int>>;

TEST(HalvingTest, RungsKeepOneInEtaAndEndAtTheFullEpochs) {
  EXPECT_EQ(schedule(27, 200, 3), (Schedule{{27, 7}, {9, 22}, {3, 67}, {1, 200}}));
  EXPECT_EQ(schedule(10, 200, 3), (Schedule{{10, 22}, {4, 67}, {2, 200}}));  // ceil(10/3), ceil(4/3)
  EXPECT_EQ(schedule(8, 80, 2), (Schedule{{8, 10}, {4, 20}, {2, 40}, {1, 80}}));
  EXPECT_EQ(schedule(2, 200, 3), (Schedule{{2, 200}}));  // fewer than eta: one rung
  EXPECT_EQ(schedule(1, 5, 3), (Schedule{{1, 5}}));
  // Epochs cap the rungs: no rung below one epoch, or below --min-epochs.
  EXPECT_EQ(schedule(81, 10, 3), (Schedule{{81, 1}, {27, 3}, {9, 10}}));
  EXPECT_EQ(schedule(27, 200, 3, 20), (Schedule{{27, 22}, {9, 67}, {3, 200}}));
  EXPECT_EQ(schedule(27, 200, 3, 30), (Schedule{{27, 67}, {9, 200}}));  // 22 < 30: one rung less
  EXPECT_EQ(schedule(27, 200, 3, 200), (Schedule{{27, 200}}));
  EXPECT_THROW(halving_rungs(9, 100, {1, 0}), ConfigError);
  EXPECT_THROW(halving_rungs(9, 100, {3, 101}), ConfigError);
  EXPECT_THROW(halving_rungs(9, 100, {3, -1}), ConfigError);
}

TrialResult scored(double loss, bool done = true, bool diverged = false) {
  TrialResult r;
  r.val_loss = loss;
  r.done = done;
  r.diverged = diverged;
  return r;
}

TEST(HalvingTest, PromoteTakesTheLowestLossesTiesByTrialOrder) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<TrialResult> r{scored(0.5), scored(0.2), scored(0.2), scored(0.1),
                                   scored(inf, true, true), scored(0.05, false), scored(0.3)};
  EXPECT_EQ(promote({0, 1, 2, 3, 4, 5, 6}, r, 2), (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(promote({0, 1, 2, 3, 4, 5, 6}, r, 3), (std::vector<std::size_t>{1, 2, 3}));
  // Diverged and unfinished trials are never promoted, even with room to spare.
  EXPECT_EQ(promote({0, 1, 2, 3, 4, 5, 6}, r, 10), (std::vector<std::size_t>{0, 1, 2, 3, 6}));
  EXPECT_EQ(promote({0, 6}, r, 1), (std::vector<std::size_t>{6}));  // only among ids
  EXPECT_TRUE(promote({4, 5}, r, 1).empty());
}

// The baseline (keep) goes on to the next rung besides the best, unless it diverged or did
// not finish, or is not among the ids.
TEST(HalvingTest, PromoteKeepsTheBaselineBesidesTheBest) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<TrialResult> r{scored(0.5), scored(0.2), scored(0.1), scored(inf, true, true)};
  EXPECT_EQ(promote({0, 1, 2, 3}, r, 1, Scoring::kLoss, 0), (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(promote({0, 1, 2, 3}, r, 1, Scoring::kLoss, 2), (std::vector<std::size_t>{2}));
  EXPECT_EQ(promote({0, 1, 2, 3}, r, 1, Scoring::kLoss, 3), (std::vector<std::size_t>{2}));
  EXPECT_EQ(promote({1, 2}, r, 1, Scoring::kLoss, 0), (std::vector<std::size_t>{2}));
}

class HalvingSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sets_.push_back(fixtures::prepared_iris());
    base_.epochs = 60;
    base_.patience = 1000;  // no early stopping: every rung trains to its budget
    for (const char* lr : {"0.3", "0.1", "0.03", "0.01", "0.003", "0.001"}) {
      for (const char* hidden : {"4", "16"}) candidates_.push_back({{"hidden", hidden}, {"lr", lr}});
    }
  }
  HalvingResult run(const RunOptions& o) { return run_halving(sets_, base_, candidates_, o, {3, 0}); }

  std::vector<train::PreparedData> sets_;
  train::TrainOptions base_;
  std::vector<Candidate> candidates_;  // 12: rungs of 12, 4, 2 at 7, 20, 60 epochs
};

// The fields that must not depend on how the search ran (seconds are wall time).
std::string summary(const TrialResult& r) {
  return canonical(r.params) + " " + std::to_string(r.done) + " " + std::to_string(r.rung) + " " +
         std::to_string(r.val_loss) + " " + std::to_string(r.best_epoch) + " " +
         std::to_string(r.epochs_run);
}

TEST_F(HalvingSearchTest, EachRungPromotesTheBestThirdOfThePrevious) {
  const HalvingResult h = run({});
  ASSERT_TRUE(h.complete);
  ASSERT_EQ(h.rungs.size(), 3u);
  const std::vector<std::size_t> sizes{12, 4, 2};
  const std::vector<int> epochs{7, 20, 60};
  std::vector<std::size_t> previous(12);
  for (std::size_t i = 0; i < 12; ++i) previous[i] = i;
  for (std::size_t k = 0; k < 3; ++k) {
    std::vector<std::size_t> in_rung;
    for (std::size_t i = 0; i < 12; ++i) {
      if (!h.rungs[k][i].done) continue;
      in_rung.push_back(i);
      EXPECT_EQ(h.rungs[k][i].epochs_run, epochs[k]);
      EXPECT_EQ(h.rungs[k][i].budget, epochs[k]);
    }
    ASSERT_EQ(in_rung.size(), sizes[k]) << "rung " << k + 1;
    if (k > 0) {
      // Exactly the candidates of the previous rung with the lowest losses.
      std::vector<std::size_t> order = previous;
      std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return h.rungs[k - 1][a].val_loss < h.rungs[k - 1][b].val_loss;
      });
      order.resize(sizes[k]);
      std::sort(order.begin(), order.end());
      EXPECT_EQ(in_rung, order) << "rung " << k + 1;
    }
    previous = in_rung;
  }
  // The final table: every candidate at its last rung; the survivors rank first.
  const std::vector<TrialResult> last = final_results(h.rungs);
  const std::vector<int> rank = ranks(last);
  for (std::size_t i : previous) EXPECT_LE(rank[i], 2);
}

// A promoted candidate continues from its weights: its last-rung score equals training it to
// the full epochs in one go (a plain search of the same candidate), so no epoch is wasted and
// nothing differs from a restart.
TEST_F(HalvingSearchTest, PromotedTrialsContinueAndMatchAPlainSearch) {
  const HalvingResult h = run({});
  const std::vector<TrialResult> plain = run_trials(sets_, base_, candidates_, {});
  int survivors = 0;
  for (std::size_t i = 0; i < candidates_.size(); ++i) {
    if (!h.rungs[2][i].done) continue;
    ++survivors;
    EXPECT_EQ(h.rungs[2][i].val_loss, plain[i].val_loss) << canonical(candidates_[i]);
    EXPECT_EQ(h.rungs[2][i].best_epoch, plain[i].best_epoch);
    EXPECT_EQ(h.rungs[2][i].seed, plain[i].seed);
  }
  EXPECT_EQ(survivors, 2);
}

TEST_F(HalvingSearchTest, JobsAndResumingDoNotChangeTheResults) {
  RunOptions two;
  two.jobs = 2;
  const HalvingResult a = run({}), b = run(two);
  // Stop after 13 trainings (rung 1 and one of rung 2), then resume from what finished, as a
  // journal would: the promoted candidates are retrained from scratch to their budget.
  std::map<std::string, TrialResult> finished;
  RunOptions part;
  part.max_trials = 13;
  part.on_trial = [&](const TrialResult& r, std::size_t, std::size_t) {
    finished[trial_key(r.params, r.rung)] = r;
  };
  const HalvingResult stopped = run(part);
  EXPECT_FALSE(stopped.complete);
  EXPECT_EQ(finished.size(), 13u);
  RunOptions resume;
  resume.finished = &finished;
  std::size_t new_trainings = 0;
  resume.on_trial = [&](const TrialResult&, std::size_t done, std::size_t total) {
    new_trainings = done;
    EXPECT_EQ(total, 5u);  // 18 in all, 13 in the journal
  };
  const HalvingResult resumed = run(resume);
  EXPECT_TRUE(resumed.complete);
  EXPECT_EQ(new_trainings, 5u);
  for (std::size_t k = 0; k < a.rungs.size(); ++k) {
    for (std::size_t i = 0; i < candidates_.size(); ++i) {
      EXPECT_EQ(summary(a.rungs[k][i]), summary(b.rungs[k][i]));
      EXPECT_EQ(summary(a.rungs[k][i]), summary(resumed.rungs[k][i]));
    }
  }
}

TEST_F(HalvingSearchTest, RefusesShardsAndSearchingEpochs) {
  RunOptions shard;
  shard.shard_count = 2;
  EXPECT_THROW(run(shard), ConfigError);
  candidates_[0].push_back({"epochs", "10"});
  EXPECT_THROW(run({}), ConfigError);
}

}  // namespace
}  // namespace nnfit::search
