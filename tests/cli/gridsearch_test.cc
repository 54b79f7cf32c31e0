// `nnfit gridsearch` end to end (in-process): the table, --jobs independence, the refit model.
#include <fstream>
#include <map>
#include <sstream>

#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

class GridsearchTest : public CliTest {
 protected:
  CliResult search(const std::string& name, std::vector<std::string> extra) {
    std::vector<std::string> args{"gridsearch", "--data", data_path("iris.csv"), "--target",
                                  "species", "--epochs", "30", "--model", path(name + ".nnfit"),
                                  "--results", path(name + ".csv"), "--quiet",
                                  // one split and the grid as given (search_select_test.cc
                                  // tests --folds auto and the baseline)
                                  "--folds", "0", "--no-baseline"};
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
  EXPECT_EQ(rows[0], "trial,hidden,lr,status,val_loss,val_acc,val_f1,best_epoch,epochs_run,seed,rank");
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
                                 "--grid", "lr=0.1,0.05", "--model", path("s.nnfit"), "--quiet",
                                 "--no-baseline"});
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
  EXPECT_EQ(search("x", {"--sampler", "tpe", "--halving"}).code, 2);  // TPE has no fixed list
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

TEST_F(GridsearchTest, OutDirJournalResumesWithTheSameResult) {
  const std::vector<std::string> grid{"--grid", "lr=0.1,0.03,0.01", "--grid", "hidden=8|16,8",
                                      "--out-dir", path("dir")};
  std::vector<std::string> first = grid;
  first.insert(first.end(), {"--max-trials", "4"});
  const CliResult part = search("part", first);
  ASSERT_EQ(part.code, 0) << part.err;
  EXPECT_EQ(rows_without_seconds("part").size(), 5u);  // 4 of 6 trials
  const std::string journal = read_text(path("dir/journal.jsonl"));
  EXPECT_EQ(std::count(journal.begin(), journal.end(), '\n'), 5);  // header + 4 trials
  EXPECT_TRUE(std::filesystem::exists(path("dir/best-trial.nnfit")));
  // The same command again runs only the 2 missing trials ...
  std::vector<std::string> again{"gridsearch", "--data", data_path("iris.csv"), "--target",
                                 "species", "--epochs", "30", "--model", path("rest.nnfit"),
                                 "--results", path("rest.csv"), "--folds", "0",
                                 "--no-baseline"};  // not --quiet: see progress
  again.insert(again.end(), grid.begin(), grid.end());
  const CliResult rest = run_cli(again);
  ASSERT_EQ(rest.code, 0) << rest.err;
  EXPECT_NE(rest.err.find("resuming: 4 finished trials"), std::string::npos) << rest.err;
  EXPECT_NE(rest.err.find("trial 2/2"), std::string::npos) << rest.err;
  EXPECT_EQ(rest.err.find("trial 3/"), std::string::npos) << rest.err;
  // ... and ends with the table and model of an uninterrupted search.
  ASSERT_EQ(search("full", {"--grid", "lr=0.1,0.03,0.01", "--grid", "hidden=8|16,8"}).code, 0);
  EXPECT_EQ(rows_without_seconds("rest"), rows_without_seconds("full"));
  EXPECT_EQ(read_text(path("rest.nnfit")), read_text(path("full.nnfit")));
  EXPECT_EQ(read_text(path("dir/results.csv")), read_text(path("rest.csv")));
  // Another search in the same directory is refused.
  const CliResult other = search("other", {"--grid", "lr=0.5,0.2", "--out-dir", path("dir")});
  EXPECT_EQ(other.code, 2);
  EXPECT_NE(other.err.find("journal of another search"), std::string::npos) << other.err;
  // ... naming what differs.
  EXPECT_NE(other.err.find("grid (journal [\"lr=0.1,0.03,0.01\", \"hidden=8|16,8\"], now "
                           "[\"lr=0.5,0.2\"]) differ"),
            std::string::npos)
      << other.err;
}

// Invalid grid values are errors before any data is read (the data file here does not exist).
TEST_F(GridsearchTest, InvalidGridValuesAreRefusedBeforeTheDataIsRead) {
  for (const char* grid : {"lr=0.1,abc", "lr=-1", "hidden=8|x"}) {
    const CliResult r = run_cli({"gridsearch", "--data", path("missing.csv"), "--grid", grid,
                                 "--model", path("m.nnfit")});
    EXPECT_EQ(r.code, 2) << grid;
    EXPECT_HAS(r.err, "invalid --");
    EXPECT_EQ(r.err.find("missing.csv"), std::string::npos) << r.err;
  }
}

// A diverged trial keeps the table numeric: status "diverged", empty scores and no rank.
TEST_F(GridsearchTest, ADivergedTrialHasAStatusAndNoRank) {
  ASSERT_EQ(search("d", {"--optimizer", "sgd", "--max-recoveries", "0", "--grid",
                         "lr=1e6,0.01"}).code,
            0);
  const auto rows = rows_without_seconds("d");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], "trial,lr,status,val_loss,val_acc,val_f1,best_epoch,epochs_run,seed,rank");
  EXPECT_EQ(rows[1].substr(0, 21), "1,1e6,diverged,,,,,0,");  // lr, status, 4 empty, epochs_run
  EXPECT_EQ(rows[1].back(), ',');                          // no rank
  EXPECT_EQ(rows[2].substr(0, 10), "2,0.01,ok,");
  EXPECT_EQ(rows[2].substr(rows[2].rfind(',')), ",1");
}

TEST_F(GridsearchTest, BudgetsAndPrintConfigRoundTrip) {
  const CliResult none = search("t", {"--grid", "lr=0.1,0.03", "--max-time", "1e-9"});
  EXPECT_EQ(none.code, 2);  // no trial started
  EXPECT_NE(none.err.find("no trial ran"), std::string::npos) << none.err;
  const std::vector<std::string> grid{"--grid", "lr=0.1,0.03", "--grid", "hidden=8|16,8"};
  std::vector<std::string> print = grid;
  print.push_back("--print-config");
  const CliResult cfg = search("c", print);
  ASSERT_EQ(cfg.code, 0);
  EXPECT_NE(cfg.out.find("grid = [\"lr=0.1,0.03\", \"hidden=8|16,8\"]"), std::string::npos) << cfg.out;
  std::ofstream(path("c.toml")) << cfg.out;
  ASSERT_EQ(search("direct", grid).code, 0);
  ASSERT_EQ(run_cli({"gridsearch", "--config", path("c.toml")}).code, 0);  // writes c.nnfit, c.csv
  EXPECT_EQ(read_text(path("c.nnfit")), read_text(path("direct.nnfit")));
}

TEST_F(GridsearchTest, ShardsMergeToTheSingleRun) {
  const std::vector<std::string> grid{"--grid", "lr=0.1,0.03,0.01", "--grid", "hidden=8|16,8"};
  for (const char* shard : {"1/3", "2/3", "3/3"}) {
    std::vector<std::string> args = grid;
    const std::string dir = path(std::string("shard") + shard[0]);
    args.insert(args.end(), {"--shard", shard, "--out-dir", dir});
    const CliResult r = search("s", args);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(rows_without_seconds("s").size(), 3u) << shard;  // header + its 2 of 6 trials
  }
  EXPECT_FALSE(std::filesystem::exists(path("s.nnfit")));  // shards do not refit
  ASSERT_EQ(run_cli({"gridsearch", "merge", path("shard1"), path("shard2"), path("shard3"),
                     "--results", path("merged.csv"), "--model", path("merged.nnfit")}).code, 0);
  ASSERT_EQ(search("single", grid).code, 0);
  EXPECT_EQ(rows_without_seconds("merged"), rows_without_seconds("single"));
  EXPECT_EQ(read_text(path("merged.nnfit")), read_text(path("single.nnfit")));
  // Two of three shards: the ranked table of what is there, with a warning.
  const CliResult part = run_cli({"gridsearch", "merge", path("shard1"), path("shard2"),
                                  "--results", path("part.csv"), "--model", path("part.nnfit")});
  ASSERT_EQ(part.code, 0) << part.err;
  EXPECT_HAS(part.err, "2 of 6 trials not run (missing from the journals)");
  EXPECT_HAS(part.err, "model saved to " + path("part.nnfit"));  // merge says where it wrote
  EXPECT_EQ(rows_without_seconds("part").size(), 5u);
  // merge takes -q and --log-level: warnings only, or nothing but errors.
  const CliResult quiet = run_cli({"gridsearch", "merge", path("shard1"), path("shard2"), "-q",
                                   "--results", path("q.csv"), "--model", path("q.nnfit")});
  ASSERT_EQ(quiet.code, 0) << quiet.err;
  EXPECT_EQ(quiet.err.find("info:"), std::string::npos) << quiet.err;
  EXPECT_HAS(quiet.err, "warning: 2 of 6 trials not run");
  const CliResult errors = run_cli({"gridsearch", "merge", path("shard1"), path("shard2"),
                                    "--log-level", "error", "--results", path("e.csv"),
                                    "--model", path("e.nnfit")});
  ASSERT_EQ(errors.code, 0) << errors.err;
  EXPECT_EQ(errors.err, "");
  // Usage errors.
  EXPECT_EQ(search("x", {"--grid", "lr=0.1,0.2", "--shard", "1/2"}).code, 2);  // no --out-dir
  EXPECT_EQ(search("x", {"--grid", "lr=0.1,0.2", "--shard", "3/2", "--out-dir", path("d")}).code, 2);
  EXPECT_EQ(run_cli({"gridsearch", "merge", path("nowhere")}).code, 2);
}

TEST_F(GridsearchTest, FoldsGiveMeanAndSdAndAreJobsIndependent) {
  const std::vector<std::string> cv{"--grid", "lr=0.1,0.01", "--folds", "3"};
  std::vector<std::string> two = cv;
  two.insert(two.end(), {"--jobs", "2"});
  ASSERT_EQ(search("cv1", cv).code, 0);
  ASSERT_EQ(search("cv2", two).code, 0);
  const auto rows = rows_without_seconds("cv1");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], "trial,lr,status,val_loss,val_loss_sd,val_acc,val_f1,best_epoch,epochs_run,seed,rank");
  EXPECT_EQ(rows, rows_without_seconds("cv2"));
  EXPECT_EQ(read_text(path("cv1.nnfit")), read_text(path("cv2.nnfit")));
  // Different from the single-split score.
  ASSERT_EQ(search("one", {"--grid", "lr=0.1,0.01"}).code, 0);
  EXPECT_NE(rows_without_seconds("one")[1], rows[1]);
  EXPECT_EQ(search("x", {"--grid", "lr=0.1", "--folds", "3", "--val-data",
                         data_path("iris.test.csv")}).code, 2);
  EXPECT_EQ(search("x", {"--grid", "lr=0.1", "--folds", "1"}).code, 2);
}

// How many rows of a halving table reached each rung (the rung column follows the keys).
std::map<int, int> rows_per_rung(const std::vector<std::string>& rows, std::size_t keys) {
  std::map<int, int> n;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    std::vector<std::string> f;
    std::stringstream ss(rows[r]);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    ++n[std::stoi(f.at(1 + keys))];
  }
  return n;
}

TEST_F(GridsearchTest, HalvingEtaAndMinEpochsShapeTheRungs) {
  const std::vector<std::string> grid{"--grid", "lr=0.3,0.1,0.03,0.01,0.003,0.001",
                                      "--grid", "momentum=0.9,0.5", "--halving"};
  std::vector<std::string> args{"gridsearch", "--data", data_path("iris.csv"), "--target",
                                "species", "--epochs", "30", "--model", path("h.nnfit"),
                                "--results", path("h.csv"), "--folds", "0",
                                "--no-baseline"};  // not --quiet: see the rungs
  args.insert(args.end(), grid.begin(), grid.end());
  const CliResult r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_HAS(r.err, "successive halving (eta 3): 12 -> 4 -> 2 candidates, trained to 3, 10, 30");
  EXPECT_HAS(r.err, "rung 3 (30 epochs), training 18/18");
  const auto rows = rows_without_seconds("h");
  ASSERT_EQ(rows.size(), 13u);  // one row per candidate, at the last rung it reached
  EXPECT_EQ(rows[0], "trial,lr,momentum,rung,budget_epochs,status,val_loss,val_acc,val_f1,best_epoch,"
                     "epochs_run,seed,rank");
  EXPECT_EQ(rows_per_rung(rows, 2), (std::map<int, int>{{1, 8}, {2, 2}, {3, 2}}));
  // --eta 2 halves instead of thirds; --halving-min-epochs 10 makes the first rung longer (fewer rungs).
  std::vector<std::string> eta2 = grid, min10 = grid;
  eta2.insert(eta2.end(), {"--eta", "2"});
  min10.insert(min10.end(), {"--halving-min-epochs", "10"});
  ASSERT_EQ(search("e2", eta2).code, 0);
  EXPECT_EQ(rows_per_rung(rows_without_seconds("e2"), 2),
            (std::map<int, int>{{1, 6}, {2, 3}, {3, 1}, {4, 2}}));
  ASSERT_EQ(search("m10", min10).code, 0);
  EXPECT_EQ(rows_per_rung(rows_without_seconds("m10"), 2), (std::map<int, int>{{1, 8}, {2, 4}}));
  // --jobs 2: the same table and refit model.
  std::vector<std::string> jobs = grid;
  jobs.insert(jobs.end(), {"--jobs", "2"});
  ASSERT_EQ(search("h2", jobs).code, 0);
  EXPECT_EQ(rows_without_seconds("h2"), rows);
  EXPECT_EQ(read_text(path("h2.nnfit")), read_text(path("h.nnfit")));
  // The refit model is the rank-1 candidate's, which reached the last rung.
  const model::Model m = load("h.nnfit");
  EXPECT_EQ(m.metrics.at("train").at("rows"), 150);
}

TEST_F(GridsearchTest, HalvingResumesFromItsJournal) {
  const std::vector<std::string> grid{"--grid", "lr=0.3,0.1,0.03,0.01,0.003,0.001",
                                      "--grid", "momentum=0.9,0.5", "--halving", "--out-dir",
                                      path("hdir")};
  std::vector<std::string> first = grid;
  first.insert(first.end(), {"--max-trials", "14"});  // rung 1 and 2 of rung 2's 4
  const CliResult part = search("part", first);
  ASSERT_EQ(part.code, 0) << part.err;
  EXPECT_HAS(part.err, "successive halving did not finish");
  const CliResult rest = search("rest", grid);
  ASSERT_EQ(rest.code, 0) << rest.err;
  std::vector<std::string> plain(grid.begin(), grid.end() - 2);
  ASSERT_EQ(search("full", plain).code, 0);
  EXPECT_EQ(rows_without_seconds("rest"), rows_without_seconds("full"));
  EXPECT_EQ(read_text(path("rest.nnfit")), read_text(path("full.nnfit")));
  const std::string journal = read_text(path("hdir/journal.jsonl"));
  EXPECT_EQ(std::count(journal.begin(), journal.end(), '\n'), 1 + 12 + 4 + 2);
  // Halving's journal is not a plain search's.
  std::vector<std::string> other(grid.begin(), grid.end());
  other.erase(other.begin() + 4);  // drop --halving
  EXPECT_EQ(search("other", other).code, 2);
}

TEST_F(GridsearchTest, HalvingUsageErrors) {
  EXPECT_HAS(search("x", {"--grid", "epochs=10,20,30", "--halving"}).err,
             "do not search 'epochs'");
  EXPECT_EQ(search("x", {"--grid", "lr=0.1,0.2,0.3", "--halving", "--eta", "1"}).code, 2);
  EXPECT_EQ(search("x", {"--grid", "lr=0.1,0.2,0.3", "--halving", "--halving-min-epochs", "31"}).code, 2);
  const CliResult shard = search("x", {"--grid", "lr=0.1,0.2,0.3", "--halving", "--shard", "1/2",
                                       "--out-dir", path("d")});
  EXPECT_EQ(shard.code, 2);
  EXPECT_HAS(shard.err, "--halving and --shard exclude each other");
  EXPECT_HAS(search("x", {"--grid", "lr=0.1,0.2", "--halving"}).err, "a single rung");
}

// Issue 12 item 10: stdin can be read only once, and merge cannot read it again to refit.
TEST_F(GridsearchTest, StdinReadOnlyOnce) {
  for (const std::string command : {"train", "gridsearch"}) {
    std::vector<std::string> args{command, "--data", "-", "--val-data", "-", "--model",
                                  path("m.nnfit")};
    if (command == "gridsearch") args.insert(args.end(), {"--grid", "lr=0.1"});
    const CliResult r = run_cli(args);
    EXPECT_EQ(r.code, 2) << command;
    EXPECT_HAS(r.err, "stdin, which can be read only once");
  }
  std::filesystem::create_directories(path("search"));
  std::ofstream(path("search/config.toml")) << "data = \"-\"\ngrid = [\"lr=0.1\"]\n";
  const CliResult m = run_cli({"gridsearch", "merge", path("search")});
  EXPECT_EQ(m.code, 2);
  EXPECT_HAS(m.err, "the search read its data from stdin (--data -");
  EXPECT_HAS(m.err, "cannot be read again");
}

}  // namespace
}  // namespace nnfit::cli::testing
