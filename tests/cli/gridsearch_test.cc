// `nnfit gridsearch` end to end (in-process): the table, --jobs independence, the refit model.
#include <fstream>

#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

class GridsearchTest : public CliTest {
 protected:
  CliResult search(const std::string& name, std::vector<std::string> extra) {
    std::vector<std::string> args{"gridsearch", "--data", data_path("iris.csv"), "--target",
                                  "species", "--epochs", "30", "--model", path(name + ".nnfit"),
                                  "--results", path(name + ".csv"), "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  // The results table without its seconds column (wall time differs run to run).
  std::vector<std::string> rows_without_seconds(const std::string& name) {
    std::istringstream in(read_text(path(name + ".csv")));
    std::vector<std::string> rows;
    std::string line;
    while (std::getline(in, line)) {
      // seconds is the fourth field from the end: ...,epochs_run,seconds,seed,rank
      std::size_t cut = line.size();
      for (int k = 0; k < 2; ++k) cut = line.rfind(',', cut - 1);
      const std::size_t start = line.rfind(',', cut - 1);
      rows.push_back(line.substr(0, start) + line.substr(cut));
    }
    return rows;
  }
};

TEST_F(GridsearchTest, GridTableJobsIndependenceAndRefit) {
  const std::vector<std::string> grid{"--grid", "lr=0.1,0.01", "--grid", "hidden=8|16,8"};
  std::vector<std::string> one = grid, two = grid;
  one.insert(one.end(), {"--jobs", "1"});
  two.insert(two.end(), {"--jobs", "2"});
  const CliResult r1 = search("one", one);
  ASSERT_EQ(r1.code, 0) << r1.err;
  ASSERT_EQ(search("two", two).code, 0);
  const auto rows = rows_without_seconds("one");
  ASSERT_EQ(rows.size(), 5u);  // header + 2 x 2 trials
  EXPECT_EQ(rows[0], "trial,hidden,lr,val_loss,val_acc,best_epoch,epochs_run,seed,rank");
  EXPECT_EQ(rows, rows_without_seconds("two"));
  EXPECT_EQ(read_text(path("one.nnfit")), read_text(path("two.nnfit")));
  // The refit model: trained on all 150 rows, loads and predicts.
  const model::Model m = load("one.nnfit");
  EXPECT_EQ(m.metrics.at("train").at("rows"), 150);
  EXPECT_EQ(m.metrics.at("search").at("trials"), 4);
  const CliResult p = run_cli({"predict", "--model", path("one.nnfit"), "--data", data_path("iris.test.csv")});
  EXPECT_EQ(p.code, 0) << p.err;
  // Results to stdout without --results.
  const CliResult out = run_cli({"gridsearch", "--data", data_path("iris.csv"), "--epochs", "5",
                                 "--grid", "lr=0.1,0.05", "--model", path("s.nnfit"), "--quiet"});
  ASSERT_EQ(out.code, 0) << out.err;
  EXPECT_EQ(out.out.substr(0, 9), "trial,lr,");
  EXPECT_EQ(std::count(out.out.begin(), out.out.end(), '\n'), 3);
}

TEST_F(GridsearchTest, RandomSearchTrialsAndSeed) {
  ASSERT_EQ(search("a", {"--space", "lr=loguniform(0.001,0.3)", "--trials", "3"}).code, 0);
  ASSERT_EQ(search("b", {"--space", "lr=loguniform(0.001,0.3)", "--trials", "3"}).code, 0);
  ASSERT_EQ(search("c", {"--space", "lr=loguniform(0.001,0.3)", "--trials", "3", "--seed", "5"}).code, 0);
  EXPECT_EQ(rows_without_seconds("a"), rows_without_seconds("b"));
  EXPECT_EQ(rows_without_seconds("a").size(), 4u);
  EXPECT_NE(rows_without_seconds("a"), rows_without_seconds("c"));
}

TEST_F(GridsearchTest, UsageErrorsExitTwo) {
  EXPECT_EQ(search("x", {}).code, 2);  // nothing to search
  EXPECT_HAS(search("x", {"--grid", "seed=1,2"}).err, "cannot search over 'seed'");
  EXPECT_EQ(search("x", {"--space", "lr=uniform(0.01,0.1)"}).code, 2);  // no --trials
  EXPECT_EQ(search("x", {"--grid", "lr=0.1", "--trials", "3"}).code, 2);
  EXPECT_EQ(search("x", {"--grid", "lr=0.1", "--val-split", "0"}).code, 2);  // nothing to score on
  EXPECT_EQ(search("x", {"--grid", "lr=0.1,-1"}).code, 2);
  EXPECT_FALSE(std::filesystem::exists(path("x.nnfit")));
}

TEST_F(GridsearchTest, WarnsWhenTheBestValueIsAtTheEdge) {
  const CliResult r = run_cli({"gridsearch", "--data", data_path("iris.csv"), "--epochs", "20",
                               "--grid", "lr=0.1,0.001,0.0001", "--model", path("e.nnfit"),
                               "--results", path("e.csv")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_HAS(r.err, "is at the edge of the searched values");
  EXPECT_HAS(r.err, "lr=0.1: best val_loss");
}

}  // namespace
}  // namespace nnfit::cli::testing
