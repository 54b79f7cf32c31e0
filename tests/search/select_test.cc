// Selection of a search's trial: --scoring, the tie-breaks, --select 1se, the accuracy-tie count
// and the default space's base candidate.
#include "search/select.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.h"
#include "search/default_space.h"
#include "search/iris_set.h"

namespace nnfit::search {
namespace {

TrialResult trial(const std::string& lr, double loss, double accuracy, int n_scored = 5,
                  double loss_sd = 0) {
  TrialResult r;
  r.params = {{"lr", lr}};
  r.done = true;
  r.val_loss = loss;
  r.scores.loss = loss;
  r.scores.accuracy = accuracy;
  r.scores.f1 = accuracy - 0.01;
  r.scores_sd.loss = loss_sd;
  r.n_scored = n_scored;
  return r;
}

TEST(SelectTest, ScoringNamesAndTasks) {
  EXPECT_EQ(parse_scoring("loss", true), Scoring::kLoss);
  EXPECT_EQ(parse_scoring("loss", false), Scoring::kLoss);
  EXPECT_EQ(parse_scoring("f1", true), Scoring::kF1);
  EXPECT_EQ(parse_scoring("r2", false), Scoring::kR2);
  EXPECT_THROW(parse_scoring("accuracy", false), ConfigError);  // not for regression
  EXPECT_THROW(parse_scoring("rmse", true), ConfigError);
  EXPECT_THROW(parse_scoring("auc", true), ConfigError);
  EXPECT_EQ(parse_select("1se"), SelectRule::kOneSe);
  EXPECT_THROW(parse_select("worst"), ConfigError);
}

TEST(SelectTest, HigherIsBetterMetricsAreNegatedAndFailuresRankLast) {
  const TrialResult a = trial("0.1", 0.5, 0.9);
  EXPECT_DOUBLE_EQ(score(a, Scoring::kLoss), 0.5);
  EXPECT_DOUBLE_EQ(score(a, Scoring::kAccuracy), -0.9);
  EXPECT_DOUBLE_EQ(score(a, Scoring::kF1), -0.89);
  TrialResult d = a;
  d.diverged = true;
  EXPECT_TRUE(std::isinf(score(d, Scoring::kAccuracy)));
  TrialResult old = a;  // a journal line from before --scoring: no F1
  old.scores.f1 = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(score(old, Scoring::kF1), ConfigError);
  EXPECT_DOUBLE_EQ(score(old, Scoring::kAccuracy), -0.9);
}

TEST(SelectTest, ScoringChangesTheRanking) {
  // b has the lower loss, a the higher accuracy.
  const std::vector<TrialResult> r{trial("0.1", 0.40, 0.95), trial("0.01", 0.30, 0.90)};
  EXPECT_EQ(ranks(r, {Scoring::kLoss, {}, {}}), (std::vector<int>{2, 1}));
  EXPECT_EQ(ranks(r, {Scoring::kAccuracy, {}, {}}), (std::vector<int>{1, 2}));
}

TEST(SelectTest, TiesGoToTheLossThenTheSimplerThenTheSlowerRate) {
  // Three trials at accuracy 1.0: a and c have equal losses.
  std::vector<TrialResult> r{trial("0.3", 0.05, 1.0), trial("0.1", 0.02, 1.0),
                             trial("0.01", 0.05, 1.0)};
  const Ranking by_accuracy{Scoring::kAccuracy, {{100, 0.3}, {500, 0.1}, {100, 0.01}}, {}};
  EXPECT_EQ(ranks(r, by_accuracy), (std::vector<int>{3, 1, 2}));  // loss, then rate
  const Ranking sizes{Scoring::kAccuracy, {{900, 0.3}, {500, 0.1}, {100, 0.01}}, {}};
  EXPECT_EQ(ranks(r, sizes), (std::vector<int>{3, 1, 2}));  // loss first, then fewer params
  r[1].val_loss = 0.05;  // all three tie on loss too: the smallest network wins
  EXPECT_EQ(ranks(r, sizes), (std::vector<int>{3, 2, 1}));
  EXPECT_EQ(ranks(r, {Scoring::kAccuracy, {}, {}}), (std::vector<int>{1, 2, 3}));  // trial order
}

TEST(SelectTest, OneStandardErrorRuleKeepsTheSimplestWithinOneError) {
  // Best loss 0.30 with sd 0.10 over 4 folds: standard error 0.05, limit 0.35.
  const std::vector<TrialResult> r{trial("0.1", 0.30, 0.9, 4, 0.10), trial("0.1", 0.34, 0.9, 4),
                                   trial("0.1", 0.36, 0.9, 4)};
  const Ranking how{Scoring::kLoss, {{1000, 0.1}, {200, 0.1}, {50, 0.1}}, {}};
  EXPECT_EQ(select(r, how, SelectRule::kBest), 0U);
  EXPECT_EQ(select(r, how, SelectRule::kOneSe), 1U);  // 0.36 is beyond the limit
  std::vector<TrialResult> wide = r;
  wide[0].scores_sd.loss = 0.2;  // limit 0.40: the smallest network is in
  EXPECT_EQ(select(wide, how, SelectRule::kOneSe), 2U);
  std::vector<TrialResult> one = r;
  one[0].n_scored = 1;  // no standard error from one split
  EXPECT_THROW(select(one, how, SelectRule::kOneSe), ConfigError);
}

TEST(SelectTest, OneStandardErrorWorksOnHigherIsBetterMetrics) {
  std::vector<TrialResult> r{trial("0.1", 0.3, 0.95, 4), trial("0.1", 0.3, 0.92, 4)};
  r[0].scores_sd.accuracy = 0.08;  // standard error 0.04: 0.92 is within it
  const Ranking how{Scoring::kAccuracy, {{1000, 0.1}, {10, 0.1}}, {}};
  EXPECT_EQ(select(r, how, SelectRule::kOneSe), 1U);
  r[0].scores_sd.accuracy = 0.04;  // 0.02: not within
  EXPECT_EQ(select(r, how, SelectRule::kOneSe), 0U);
}

TEST(SelectTest, TheBaselineIsKeptUnlessBeatenBeyondItsStandardError) {
  // Baseline (index 0) loss 0.40, sd 0.10 over 4 sets: standard error 0.05.
  std::vector<TrialResult> r{trial("0.001", 0.40, 0.9, 4, 0.10), trial("0.01", 0.37, 0.9, 4),
                             trial("0.1", 0.50, 0.9, 4)};
  Ranking how{Scoring::kLoss, {}, 0};
  EXPECT_EQ(select(r, how, SelectRule::kBest), 0U);  // 0.37 is within 0.05 of 0.40
  r[1].val_loss = r[1].scores.loss = 0.34;           // beyond it
  EXPECT_EQ(select(r, how, SelectRule::kBest), 1U);
  how.baseline.reset();
  r[1].val_loss = r[1].scores.loss = 0.37;
  EXPECT_EQ(select(r, how, SelectRule::kBest), 1U);  // no baseline: the best
  how.baseline = 0;
  r[0].n_scored = 1;  // one split: no standard error, no preference
  EXPECT_EQ(select(r, how, SelectRule::kBest), 1U);
}

TEST(SelectTest, AccuracyTiesCountTheTrialsAtTheTop) {
  std::vector<TrialResult> r{trial("1", 0.1, 1.0), trial("2", 0.2, 0.9), trial("3", 0.3, 1.0),
                             trial("4", 0.4, 1.0)};
  r[1].diverged = true;
  const Ties t = accuracy_ties(r);
  EXPECT_EQ(t.trials, 3U);
  EXPECT_EQ(t.of, 3U);
  EXPECT_DOUBLE_EQ(t.accuracy, 1.0);
}

TEST(SelectTest, SimplicityCountsParametersThenTheResolvedRate) {
  const std::vector<train::PreparedData> sets{fixtures::prepared_iris()};
  train::TrainOptions base;
  TrialResult small, wide;
  small.params = {{"hidden", "4"}};
  wide.params = {{"hidden", "64"}, {"lr", "0.1"}};
  const std::vector<Simplicity> s = simplicity({small, wide}, sets, base);
  EXPECT_DOUBLE_EQ(s[0].first, (4 + 1) * 4 + (4 + 1) * 3);  // 4 inputs, 3 classes
  EXPECT_DOUBLE_EQ(s[0].second, 0.001);                     // adam's default rate
  EXPECT_DOUBLE_EQ(s[1].first, (4 + 1) * 64 + (64 + 1) * 3);
  EXPECT_DOUBLE_EQ(s[1].second, 0.1);
}

TEST(DefaultSpaceTest, TrainsDefaultsAreItsBaseCandidate) {
  const SearchSpace space = default_space();
  ASSERT_EQ(space.random.size(), default_space_texts().size());
  const std::optional<Candidate> c = base_candidate(space, train::TrainOptions{});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(canonical(*c), "activation=relu batch-size=32 hidden=64 l2=0 lr=0.001");
  train::TrainOptions wide;
  wide.hidden = {4096};  // outside the space's choices: no base candidate
  EXPECT_FALSE(base_candidate(space, wide).has_value());
  train::TrainOptions fast;
  fast.lr = 0.5;  // beyond the rate's bounds
  EXPECT_FALSE(base_candidate(space, fast).has_value());
}

}  // namespace
}  // namespace nnfit::search
