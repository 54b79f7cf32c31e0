// gridsearch over the optimization toolbox: optimizers, schedules and their settings are
// searchable keys, successive halving continues every optimizer, bad values fail before a trial.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

class SearchToolboxTest : public CliTest {
 protected:
  CliResult search(std::vector<std::string> extra) {
    std::vector<std::string> args{"gridsearch", "--data", data_path("iris.csv"), "--target",
                                  "species", "--epochs", "6", "--hidden", "4",
                                  "--model", path("s.nnfit"), "--results", path("s.csv"),
                                  "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  std::vector<std::string> rows() const {
    std::istringstream in(read_text(path("s.csv")));
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
};

TEST_F(SearchToolboxTest, OptimizerAndScheduleAreSearchedLikeAnyKey) {
  const CliResult r = search({"--grid", "optimizer=sgd,adam", "--grid",
                              "lr-schedule=constant,cosine", "--space",
                              "lr-warmup=choice(0,2)", "--trials", "4"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::vector<std::string> t = rows();
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[0].rfind("trial,lr-schedule,lr-warmup,optimizer,", 0), 0u) << t[0];
  int adam = 0;
  for (std::size_t i = 1; i < t.size(); ++i) adam += t[i].find(",adam,") != std::string::npos;
  EXPECT_GT(adam, 0);
  EXPECT_LT(adam, 4);
  const model::Model m = load("s.nnfit");  // the refit model carries the winner's settings
  EXPECT_TRUE(m.options.optimizer == "sgd" || m.options.optimizer == "adam");
}

TEST_F(SearchToolboxTest, HalvingContinuesEveryOptimizer) {
  const CliResult r = search({"--grid", "optimizer=sgd,adam,adamw,lbfgs,newton", "--halving",
                              "--eta", "2", "--epochs", "8"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(rows().size(), 6u);  // every candidate has a row, ranked by its last rung
}

TEST_F(SearchToolboxTest, BadValuesAndTheOldHalvingFlagAreCaughtBeforeTraining) {
  const CliResult bad = search({"--grid", "optimizer=sgd,adm"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_HAS(bad.err, "adm");
  const CliResult range = search({"--grid", "beta1=0.9,1.5"});
  EXPECT_EQ(range.code, 2);
  EXPECT_HAS(range.err, "beta1");
  const CliResult seed = search({"--grid", "seed=1,2"});
  EXPECT_EQ(seed.code, 2);
  EXPECT_HAS(seed.err, "cannot search over 'seed'");
  const CliResult old = run_cli({"gridsearch", "--data", data_path("iris.csv"), "--epochs", "6",
                                 "--grid", "lr=0.1,0.05,0.01", "--halving", "--min-epochs",
                                 "2", "--model", path("h.nnfit"), "--results", path("h.csv")});
  ASSERT_EQ(old.code, 0) << old.err;
  EXPECT_HAS(old.err, "--halving-min-epochs");
}

// A journal written by nnfit before the hyper-parameter table (tests/fixtures/journal-v1, the
// data path replaced by @DATA@) resumes: the fingerprint of the same command is unchanged.
TEST_F(SearchToolboxTest, AJournalFromBeforeTheTableResumes) {
  std::string journal = read_text(test::fixture_path("journal-v1/journal.jsonl"));
  const std::string data = data_path("iris.csv");
  for (std::size_t at; (at = journal.find("@DATA@")) != std::string::npos;) {
    journal.replace(at, 6, data);
  }
  std::filesystem::create_directories(path("old"));
  std::ofstream(path("old/journal.jsonl"), std::ios::binary) << journal;
  std::vector<std::string> args{"gridsearch", "--data", data, "--target", "species", "--epochs",
                                "5", "--grid", "lr=0.1,0.05", "--out-dir", path("old"),
                                "--model", path("o.nnfit"), "--results", path("o.csv"),
                                "--no-baseline"};
  // It was written under the old defaults (sgd, lr 0.01, one split): today's (adam, --folds
  // auto) refuse it and say so.
  const CliResult refused = run_cli(args);
  EXPECT_EQ(refused.code, 2);
  EXPECT_HAS(refused.err, "add --optimizer sgd --lr 0.01 --folds 0 to resume it");
  args.insert(args.end(), {"--optimizer", "sgd", "--lr", "0.01", "--folds", "0"});
  const CliResult r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_HAS(r.err, "resuming: 1 finished trials");
  const std::string after = read_text(path("old/journal.jsonl"));
  EXPECT_EQ(std::count(after.begin(), after.end(), '\n'), 3);  // header + the old + one new
}

}  // namespace
}  // namespace nnfit::cli::testing
