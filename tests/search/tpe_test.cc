// The TPE sampler (reproducible, in bounds, distinct, better than random search on a known
// objective) and the TPE search (independent of --jobs, resumable, budgets over all batches).
#include "search/tpe.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <map>
#include <set>
#include <string>

#include "core/error.h"
#include "search/iris_set.h"

namespace nnfit::search {
namespace {

SearchSpace space_of(const std::vector<std::string>& grid, const std::vector<std::string>& random) {
  SearchSpace s;
  for (const std::string& g : grid) s.grid.push_back(parse_grid_axis(g));
  for (const std::string& r : random) s.random.push_back(parse_distribution(r));
  return s;
}

std::string value(const Candidate& c, const std::string& key) {
  for (const auto& [k, v] : c) {
    if (k == key) return v;
  }
  return "";
}

// Minimum 0 at lr = 10^-2.5, momentum = 0.3, activation tanh.
double objective(const Candidate& c) {
  const double lr = std::log10(std::stod(value(c, "lr"))) + 2.5,
               m = std::stod(value(c, "momentum")) - 0.3;
  return lr * lr + m * m + (value(c, "activation") == "tanh" ? 0.0 : 0.5);
}

const SearchSpace& objective_space() {
  static const SearchSpace s = space_of({}, {"lr=loguniform(1e-5,1)", "momentum=uniform(0,1)",
                                             "activation=choice(relu,tanh,sigmoid)"});
  return s;
}

std::vector<Observation> scored(const std::vector<Candidate>& cs) {
  std::vector<Observation> out;
  for (const Candidate& c : cs) out.push_back({c, objective(c)});
  return out;
}

TEST(TpeTest, ProposalsAreReproducibleFromTheSeed) {
  const std::vector<Observation> history = scored(random_candidates(objective_space(), 20, 3));
  for (const std::size_t n : {std::size_t{0}, history.size()}) {  // random startup, then the model
    const std::vector<Observation> h(history.begin(), history.begin() + static_cast<long>(n));
    const auto a = tpe_propose(objective_space(), h, 8, 11),
               b = tpe_propose(objective_space(), h, 8, 11);
    EXPECT_EQ(a, b) << n << " observations";
    EXPECT_NE(a, tpe_propose(objective_space(), h, 8, 12)) << n << " observations";
  }
  EXPECT_NE(tpe_batch_seed(1, 0), tpe_batch_seed(1, 1));
  EXPECT_NE(tpe_batch_seed(1, 0), tpe_batch_seed(2, 0));
}

TEST(TpeTest, ProposalsStayInBoundsAreDistinctAndNew) {
  const SearchSpace s =
      space_of({"hidden=4|8,4"}, {"lr=loguniform(1e-4,0.1)", "momentum=uniform(0.2,0.9)",
                                  "batch-size=int(8,12)", "activation=choice(relu,tanh)"});
  std::vector<Observation> history;
  for (const Candidate& c : random_candidates(s, 30, 5)) {
    history.push_back(
        {c, std::abs(std::log(std::stod(value(c, "lr"))) + 5) + (value(c, "hidden") == "4")});
  }
  history[3].score = std::numeric_limits<double>::infinity();  // failed trials
  history[4].score = std::nan("");
  std::set<std::string> seen;
  for (const Observation& o : history) seen.insert(canonical(o.params));
  for (const int startup : {100, 10}) {  // random draws, then the model
    for (const Candidate& c : tpe_propose(s, history, 40, 9, {startup, 24})) {
      EXPECT_TRUE(seen.insert(canonical(c)).second) << canonical(c);
      const train::TrainOptions o = apply(c, {});
      EXPECT_TRUE(o.lr >= 1e-4 && o.lr <= 0.1) << o.lr;
      EXPECT_TRUE(o.momentum >= 0.2 && o.momentum <= 0.9) << o.momentum;
      EXPECT_TRUE(o.batch_size >= 8 && o.batch_size <= 12) << o.batch_size;
      EXPECT_EQ(value(c, "batch-size"), std::to_string(o.batch_size));  // integer text
      EXPECT_TRUE(value(c, "activation") == "relu" || value(c, "activation") == "tanh");
      EXPECT_TRUE(value(c, "hidden") == "4" || value(c, "hidden") == "8,4");
    }
  }
  EXPECT_EQ(seen.size(), 110u);
}

TEST(TpeTest, ReturnsFewerWhenTheSpaceIsExhausted) {
  const SearchSpace s =
      space_of({"lr=0.1,0.01"}, {"batch-size=int(8,9)", "activation=choice(relu,tanh)"});
  std::vector<Observation> history;
  for (const Candidate& c : random_candidates(s, 3, 1)) history.push_back({c, 1.0});
  for (const int startup : {0, 100}) {
    const std::vector<Candidate> rest = tpe_propose(s, history, 10, 2, {startup, 24});
    std::set<std::string> all;
    for (const Observation& o : history) all.insert(canonical(o.params));
    for (const Candidate& c : rest) all.insert(canonical(c));
    EXPECT_EQ(rest.size(), 5u);  // 8 points, 3 seen
    EXPECT_EQ(all.size(), 8u);
  }
  EXPECT_THROW(tpe_propose(s, history, 1, 2, {10, 0}), ConfigError);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// kTrials trials in batches of 4 after 10 random ones, as run_tpe proposes them. At 40 trials
// TPE wins 62 % of seeds, at 80 about 75 % (11 of these 15, median best 0.002 against
// random search's 0.041): the margin keeps this test stable.
constexpr std::size_t kTrials = 80;
double tpe_best(std::uint64_t seed) {
  std::vector<Observation> history;
  for (int b = 0; history.size() < kTrials; ++b) {
    for (const Candidate& c : tpe_propose(objective_space(), history, 4, tpe_batch_seed(seed, b))) {
      history.push_back({c, objective(c)});
    }
  }
  double best = history[0].score;
  for (const Observation& o : history) best = std::min(best, o.score);
  return best;
}

TEST(TpeTest, FindsABetterOptimumThanRandomSearch) {
  std::vector<double> tpe, random;
  int wins = 0;
  for (std::uint64_t seed = 1; seed <= 15; ++seed) {
    tpe.push_back(tpe_best(seed));
    double best = std::numeric_limits<double>::infinity();
    for (const Observation& o : scored(random_candidates(objective_space(), static_cast<int>(kTrials), seed))) {
      best = std::min(best, o.score);
    }
    random.push_back(best);
    wins += tpe.back() < random.back();
  }
  std::cout << "median best of " << kTrials << " trials over 15 seeds: TPE " << median(tpe) << ", random "
            << median(random) << "; TPE better on " << wins << "\n";
  EXPECT_LT(median(tpe), median(random));
  EXPECT_GT(wins, 7);  // a majority of the seeds
}

class TpeSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sets_.push_back(fixtures::prepared_iris());
    base_.epochs = 3;
    space_ = space_of({}, {"lr=loguniform(1e-3,0.3)", "hidden=choice(2,4)"});
    run_.trials = 10;  // batches of 4, 4, 2: the first random, the others from the model
    run_.tpe.startup = 4;
  }
  std::vector<TrialResult> search(const RunOptions& o) {
    return run_tpe(sets_, base_, space_, 7, o, run_,
                   [](const TrialResult& r) { return r.val_loss; });
  }

  std::vector<train::PreparedData> sets_;
  train::TrainOptions base_;
  SearchSpace space_;
  TpeRun run_;
};

// The fields that must not depend on how the search ran (seconds are wall time).
std::vector<std::string> summary(const std::vector<TrialResult>& results) {
  std::vector<std::string> out;
  for (const TrialResult& r : results) {
    out.push_back(canonical(r.params) + " " + std::to_string(r.done) + " " +
                  std::to_string(r.val_loss) + " " + std::to_string(r.best_epoch));
  }
  return out;
}

TEST_F(TpeSearchTest, JobsDoNotChangeTheResults) {
  RunOptions two;
  two.jobs = 2;
  const auto a = search({}), b = search(two);
  ASSERT_EQ(a.size(), 10u);
  EXPECT_EQ(summary(a), summary(b));
  std::set<std::string> distinct;
  for (const TrialResult& r : a) distinct.insert(canonical(r.params));
  EXPECT_EQ(distinct.size(), 10u);
}

TEST_F(TpeSearchTest, ASearchFromItsJournalRunsNothingNew) {
  const auto first = search({});
  std::map<std::string, TrialResult> finished;
  for (const TrialResult& r : first) finished[trial_key(r.params, 0)] = r;
  RunOptions again;
  again.finished = &finished;
  again.on_trial = [](const TrialResult& r, std::size_t, std::size_t) {
    ADD_FAILURE() << "trained " << canonical(r.params) << " again";
  };
  EXPECT_EQ(summary(search(again)), summary(first));
  again.run_new = false;  // merge: everything is in the journal
  EXPECT_EQ(summary(search(again)), summary(first));
}

TEST_F(TpeSearchTest, MaxTrialsCapsNewTrainingsAcrossBatchesAndAResumeFinishes) {
  std::map<std::string, TrialResult> journal;
  RunOptions part;
  part.max_trials = 6;
  std::vector<std::size_t> totals;
  part.on_trial = [&](const TrialResult& r, std::size_t done, std::size_t total) {
    journal[trial_key(r.params, 0)] = r;
    EXPECT_EQ(done, journal.size());  // counted over the batches
    totals.push_back(total);
  };
  const auto stopped = search(part);
  EXPECT_EQ(journal.size(), 6u);
  EXPECT_EQ(totals, std::vector<std::size_t>(6, 10));
  ASSERT_EQ(stopped.size(), 8u);  // no batch after the one the budget stopped
  EXPECT_EQ(
      std::count_if(stopped.begin(), stopped.end(), [](const TrialResult& r) { return r.done; }),
      6);
  RunOptions merge;  // nothing new: stops at the first batch with a trial missing
  merge.finished = &journal;
  merge.run_new = false;
  EXPECT_EQ(summary(search(merge)), summary(stopped));
  RunOptions resume;
  resume.finished = &journal;
  std::size_t trained = 0;
  resume.on_trial = [&](const TrialResult&, std::size_t done, std::size_t total) {
    trained = done;
    EXPECT_EQ(total, 4u);  // 10 in all, 6 in the journal
  };
  EXPECT_EQ(summary(search(resume)), summary(search({})));
  EXPECT_EQ(trained, 4u);
}

TEST_F(TpeSearchTest, EnqueuedCandidatesRunFirstAndCountAsTrials) {
  const Candidate a{{"hidden", "4"}, {"lr", "0.01"}}, b{{"hidden", "2"}, {"lr", "0.1"}};
  run_.enqueued = {a, a, b, {}};  // the repeat runs once; {} is the base configuration
  run_.trials = 7;
  const auto results = search({});
  ASSERT_EQ(results.size(), 7u);
  EXPECT_EQ(results[0].params, a);
  EXPECT_EQ(results[1].params, b);
  EXPECT_EQ(results[2].params, Candidate{});
  std::set<std::string> distinct;
  for (const TrialResult& r : results) {
    EXPECT_TRUE(r.done);
    distinct.insert(canonical(r.params));
  }
  EXPECT_EQ(distinct.size(), 7u);
}

TEST_F(TpeSearchTest, RefusesShards) {
  RunOptions shard;
  shard.shard_count = 2;
  try {
    search(shard);
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("random search"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nnfit::search
