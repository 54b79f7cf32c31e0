// The search space: parsing --grid / --space, the candidates, applying them, trial seeds.
#include "search/space.h"

#include <gtest/gtest.h>

#include <set>

#include "core/error.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::search {
namespace {

std::string config_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(SpaceTest, GridAxisSplitsOnCommasOrBars) {
  const GridAxis lr = parse_grid_axis("lr=0.1,0.01");
  EXPECT_EQ(lr.key, "lr");
  EXPECT_EQ(lr.values, (std::vector<std::string>{"0.1", "0.01"}));
  EXPECT_EQ(parse_grid_axis("hidden=64|128,64").values, (std::vector<std::string>{"64", "128,64"}));
  EXPECT_EQ(parse_grid_axis("batch_size=8,16").key, "batch-size");
  EXPECT_HAS(config_error([] { parse_grid_axis("seed=1,2"); }), "cannot search over 'seed'");
  EXPECT_HAS(config_error([] { parse_grid_axis("lr=0.1,,0.2"); }), "an empty value");
  EXPECT_HAS(config_error([] { parse_grid_axis("lr"); }), "expected KEY=VALUES");
}

TEST(SpaceTest, GridIsTheExactProduct) {
  const auto c = grid_candidates({parse_grid_axis("lr=0.1,0.01,0.001"),
                                  parse_grid_axis("hidden=16|32,16")});
  ASSERT_EQ(c.size(), 6u);
  std::set<std::string> distinct;
  for (const auto& cand : c) distinct.insert(canonical(cand));
  EXPECT_EQ(distinct.size(), 6u);
  EXPECT_EQ(canonical(c[0]), "hidden=16 lr=0.1");  // sorted by key; the first axis varies slowest
  EXPECT_EQ(canonical(c[1]), "hidden=32,16 lr=0.1");
  EXPECT_EQ(canonical(c[5]), "hidden=32,16 lr=0.001");
}

TEST(SpaceTest, DistributionsParseAndRejectNonsense) {
  const Distribution d = parse_distribution("lr=loguniform(1e-4,0.1)");
  EXPECT_EQ(d.kind, Distribution::Kind::kLogUniform);
  EXPECT_EQ(d.low, 1e-4);
  EXPECT_EQ(d.high, 0.1);
  EXPECT_EQ(parse_distribution("activation=choice(relu,tanh)").choices,
            (std::vector<std::string>{"relu", "tanh"}));
  EXPECT_EQ(parse_distribution("batch-size=int(8,64)").kind, Distribution::Kind::kInt);
  EXPECT_HAS(config_error([] { parse_distribution("lr=loguniform(0,1)"); }), "needs a > 0");
  EXPECT_HAS(config_error([] { parse_distribution("lr=normal(0,1)"); }), "unknown distribution");
  EXPECT_HAS(config_error([] { parse_distribution("lr=uniform(1,0.5)"); }), "needs a < b");
  EXPECT_HAS(config_error([] { parse_distribution("lr=uniform(a,1)"); }), "'a' is not a number");
}

TEST(SpaceTest, RandomSearchIsReproducibleDistinctAndInRange) {
  SearchSpace s;
  s.random = {parse_distribution("lr=loguniform(1e-4,0.1)"),
              parse_distribution("batch-size=int(8,64)")};
  const auto a = random_candidates(s, 30, 7), b = random_candidates(s, 30, 7);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, random_candidates(s, 30, 8));
  std::set<std::string> distinct;
  for (const auto& c : a) {
    distinct.insert(canonical(c));
    const train::TrainOptions o = apply(c, {});
    EXPECT_GE(o.lr, 1e-4);
    EXPECT_LE(o.lr, 0.1);
    EXPECT_GE(o.batch_size, 8);
    EXPECT_LE(o.batch_size, 64);
  }
  EXPECT_EQ(distinct.size(), 30u);
  // A space with 2 x 2 points cannot give 5 distinct candidates.
  SearchSpace small;
  small.random = {parse_distribution("activation=choice(relu,tanh)"),
                  parse_distribution("batch-size=int(8,9)")};
  EXPECT_EQ(random_candidates(small, 4, 1).size(), 4u);
  EXPECT_HAS(config_error([&] { random_candidates(small, 5, 1); }), "only 4 distinct candidates");
}

TEST(SpaceTest, ApplySetsEveryKeyAndValidates) {
  const Candidate c{{"activation", "tanh,relu"}, {"batch-size", "16"}, {"epochs", "7"},
                    {"hidden", "32,16"},         {"l1", "0.001"},      {"l2", "0.01"},
                    {"lr", "0.05"},              {"min-delta", "0.01"}, {"momentum", "0.5"},
                    {"patience", "3"}};
  const train::TrainOptions o = apply(c, {});
  EXPECT_EQ(o.activation, (std::vector<std::string>{"tanh", "relu"}));
  EXPECT_EQ(o.batch_size, 16);
  EXPECT_EQ(o.epochs, 7);
  EXPECT_EQ(o.hidden, (std::vector<Index>{32, 16}));
  EXPECT_EQ(o.l1, 0.001);
  EXPECT_EQ(o.l2, 0.01);
  EXPECT_EQ(o.lr, 0.05);
  EXPECT_EQ(o.min_delta, 0.01);
  EXPECT_EQ(o.momentum, 0.5);
  EXPECT_EQ(o.patience, 3);
  EXPECT_HAS(config_error([] { apply({{"lr", "-1"}}, {}); }), "candidate lr=-1");
  EXPECT_HAS(config_error([] { apply({{"epochs", "2.5"}}, {}); }), "not a whole number");
}

TEST(SpaceTest, TrialSeedDependsOnParametersNotPosition) {
  const Candidate a{{"lr", "0.1"}}, b{{"lr", "0.01"}};
  EXPECT_EQ(trial_seed(42, a), trial_seed(42, a));
  EXPECT_NE(trial_seed(42, a), trial_seed(42, b));
  EXPECT_NE(trial_seed(42, a), trial_seed(43, a));
}

}  // namespace
}  // namespace nnfit::search
