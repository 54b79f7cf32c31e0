// gridsearch's selection on small data (issue 14, item 2): --folds auto and --repeats auto,
// --scoring, --select 1se, the tie warning, and a saved model at least as good as `train`'s
// defaults on a generated set where one validation split ties the candidates.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/cli_test_util.h"
#include "core/rng.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

using Flags = std::vector<std::string>;
using Row = std::map<std::string, std::string>;

// The rows of a results table, by column name.
std::vector<Row> rows_of(const std::string& csv) {
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::istringstream h(line);
  for (std::string cell; std::getline(h, cell, ',');) header.push_back(cell);
  std::vector<Row> out;
  while (std::getline(in, line)) {
    Row row;
    std::istringstream cells(line);
    std::string cell;
    for (const std::string& name : header) {
      std::getline(cells, cell, ',');
      row[name] = cell;
    }
    out.push_back(row);
  }
  return out;
}

double num(const Row& r, const std::string& key) { return std::stod(r.at(key)); }

// Three Gaussian classes in 6 dimensions, centres 2.2 apart: easy enough that a few dozen
// validation rows are often all right (ties), hard enough that models differ on 2,000 rows.
void write_blobs(const std::string& path, int rows, std::uint64_t seed) {
  Rng rng(seed);
  std::ofstream out(path);
  out << "a,b,c,d,e,f,label\n";
  for (int i = 0; i < rows; ++i) {
    const int k = i % 3;
    for (int j = 0; j < 6; ++j) {
      const double u = std::max(rng.uniform(), 1e-12), v = rng.uniform();
      const double z = std::sqrt(-2 * std::log(u)) * std::cos(6.283185307179586 * v);
      out << (j == k ? 2.2 : 0.0) + z << ",";
    }
    out << "c" << k << "\n";
  }
}

class SearchSelectTest : public CliTest {
 protected:
  CliResult search(const std::string& name, const Flags& extra) {
    Flags args{"gridsearch", "--data", data_path("iris.csv"), "--target", "species", "--epochs",
               "8", "--grid", "lr=0.03,0.003", "--grid", "hidden=2|16", "--no-progress",
               "--model", path(name + ".nnfit"), "--results", path(name + ".csv"),
               "--no-baseline"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  nlohmann::json evaluate(const std::string& model, const std::string& data) {
    const CliResult r = run_cli({"evaluate", "--model", model, "--data", data, "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
};

TEST_F(SearchSelectTest, FoldsAutoScoresSmallDataByRepeatedFolds) {
  const CliResult r = search("a", {});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_HAS(r.err, "scored by 5-fold cross-validation x 3 repeats (--folds auto, --repeats auto)");
  EXPECT_HAS(read_text(path("a.csv")), "val_loss_sd");
  const model::Model a = load("a.nnfit");
  const auto& s = a.metrics.at("search");
  EXPECT_EQ(s.at("folds"), 5);
  EXPECT_EQ(s.at("repeats"), 3);
  EXPECT_EQ(s.at("scored_sets"), 15);
  EXPECT_EQ(s.at("scoring"), "loss");
  // --val-split on the command line names one split, as it does for train.
  const CliResult one = search("b", {"--val-split", "0.2"});
  ASSERT_EQ(one.code, 0) << one.err;
  EXPECT_HAS(one.err, "scored by one validation split of 30 rows");
  EXPECT_EQ(load("b.nnfit").metrics.at("search").at("scored_sets"), 1);
  EXPECT_EQ(search("c", {"--folds", "1"}).code, 2);
  EXPECT_EQ(search("c", {"--repeats", "0"}).code, 2);
}

TEST_F(SearchSelectTest, RepeatsDrawNewSplitsAndTheFirstIsTheSeedsOwn) {
  ASSERT_EQ(search("one", {"--folds", "0", "--repeats", "1"}).code, 0);
  ASSERT_EQ(search("two", {"--folds", "0", "--repeats", "2"}).code, 0);
  const std::vector<Row> a = rows_of(read_text(path("one.csv")));
  const std::vector<Row> b = rows_of(read_text(path("two.csv")));
  ASSERT_EQ(a.size(), 4U);
  ASSERT_EQ(b.size(), 4U);
  int differ = 0;
  for (std::size_t i = 0; i < a.size(); ++i) differ += a[i].at("val_loss") != b[i].at("val_loss");
  EXPECT_GT(differ, 0);  // a second split changes the means
  EXPECT_EQ(a[0].count("val_loss_sd"), 0U);
  EXPECT_EQ(b[0].count("val_loss_sd"), 1U);  // two scored sets: a spread
}

TEST_F(SearchSelectTest, ScoringRanksTheTableByItsMetric) {
  for (const std::string scoring : {"loss", "accuracy", "f1"}) {
    ASSERT_EQ(search(scoring, {"--folds", "0", "--scoring", scoring}).code, 0);
    std::vector<Row> rows = rows_of(read_text(path(scoring + ".csv")));
    std::sort(rows.begin(), rows.end(),
              [](const Row& x, const Row& y) { return num(x, "rank") < num(y, "rank"); });
    const std::string column = scoring == "loss" ? "val_loss" : scoring == "f1" ? "val_f1" : "val_acc";
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const double previous = num(rows[i - 1], column), here = num(rows[i], column);
      EXPECT_TRUE(scoring == "loss" ? previous <= here : previous >= here) << i;
    }
    const model::Model m = load(scoring + ".nnfit");
    const auto& s = m.metrics.at("search");
    EXPECT_EQ(s.at("scoring"), scoring);
    EXPECT_NEAR(s.at("score").get<double>(), num(rows[0], column), 1e-8);
  }
  const CliResult r = run_cli({"gridsearch", "--data", data_path("iris.csv"), "--target",
                               "species", "--grid", "lr=0.1", "--scoring", "r2", "--quiet"});
  EXPECT_EQ(r.code, 2);
  EXPECT_HAS(r.err, "--scoring r2 is for regression");
}

// 1se keeps the smallest network within one standard error of the best mean loss; recomputed
// here from the table (val_loss_sd over 15 scored sets).
TEST_F(SearchSelectTest, OneStandardErrorKeepsTheSmallestWithinTheError) {
  ASSERT_EQ(search("se", {"--select", "1se"}).code, 0);
  const std::vector<Row> rows = rows_of(read_text(path("se.csv")));
  const Row* best = nullptr;
  for (const Row& r : rows) {
    if (r.at("rank") == "1") best = &r;
  }
  ASSERT_NE(best, nullptr);
  const double limit = num(*best, "val_loss") + num(*best, "val_loss_sd") / std::sqrt(15.0);
  std::string expected;  // hidden=2 before hidden=16, then the lower rate
  for (const std::string hidden : {"2", "16"}) {
    for (const std::string lr : {"0.003", "0.03"}) {
      for (const Row& r : rows) {
        if (expected.empty() && r.at("hidden") == hidden && r.at("lr") == lr &&
            num(r, "val_loss") <= limit) {
          expected = "hidden=" + hidden + " lr=" + lr;
        }
      }
    }
  }
  const model::Model m = load("se.nnfit");
  const auto& s = m.metrics.at("search");
  EXPECT_EQ(s.at("best"), expected);
  EXPECT_EQ(s.at("select"), "1se");
  const CliResult one = search("x", {"--select", "1se", "--folds", "0", "--repeats", "1"});
  EXPECT_EQ(one.code, 2);
  EXPECT_HAS(one.err, "--select 1se needs a standard error");
}

// The case: on ~150 rows one 20 % split ties most candidates, and the search used to
// save a model far worse than `train`'s defaults (here the old way, one split and the best
// epoch replayed blind, scores test log-loss 0.36 against train's 0.32). The default search
// (repeated folds, the baseline kept unless beaten beyond the noise, protocol refit) must do
// at least as well on 3,000 fresh rows, within a small margin.
TEST_F(SearchSelectTest, TieProneSmallDataSavesAModelAsGoodAsTrainsDefaults) {
  write_blobs(path("train.csv"), 150, 7);
  write_blobs(path("test.csv"), 3000, 8);
  const Flags data{"--data", path("train.csv"), "--target", "label", "--no-progress", "--grid",
                   "lr=0.03,0.01,0.003", "--grid", "hidden=16|64"};
  Flags split = {"gridsearch", "--folds", "0", "--model", path("split.nnfit"), "--results",
                 path("split.csv")};
  split.insert(split.end(), data.begin(), data.end());
  const CliResult tied = run_cli(split);
  ASSERT_EQ(tied.code, 0) << tied.err;
  EXPECT_HAS(tied.err, "trials tie at validation accuracy");
  EXPECT_HAS(tied.err, "(30 scored rows): too few rows to rank them by accuracy");
  Flags def = {"gridsearch", "--model", path("search.nnfit"), "--results", path("s.csv")};
  def.insert(def.end(), data.begin(), data.end());
  ASSERT_EQ(run_cli(def).code, 0);
  const CliResult t = run_cli({"train", "--data", path("train.csv"), "--target", "label",
                               "--quiet", "--model", path("train.nnfit")});
  ASSERT_EQ(t.code, 0) << t.err;
  const nlohmann::json searched = evaluate(path("search.nnfit"), path("test.csv"));
  const nlohmann::json trained = evaluate(path("train.nnfit"), path("test.csv"));
  EXPECT_GE(searched.at("accuracy").get<double>(), trained.at("accuracy").get<double>() - 0.01);
  EXPECT_LE(searched.at("log_loss").get<double>(), trained.at("log_loss").get<double>() + 0.02);
  // What the model records of the search: the baseline and whether it was kept; inspect shows it.
  const model::Model m = load("search.nnfit");
  EXPECT_EQ(m.metrics.at("search").at("baseline").at("params"), "hidden=64 lr=0.001");
  const CliResult shown = run_cli({"inspect", "--model", path("search.nnfit")});
  ASSERT_EQ(shown.code, 0) << shown.err;
  EXPECT_HAS(shown.out, "\nsearch      {\"baseline\":{\"kept\":");
  EXPECT_HAS(shown.out, "\"scoring\":\"loss\"");
  EXPECT_HAS(shown.out, "\nrefit       {");
}

// The default space: no --grid and no --space searches rate, width and depth, L2, batch size
// and activation with TPE, the baseline first; --max-trials keeps it short here.
TEST_F(SearchSelectTest, NoGridSearchesTheDefaultSpaceWithTheBaselineFirst) {
  const CliResult r = run_cli({"gridsearch", "--data", data_path("iris.csv"), "--target",
                               "species", "--epochs", "5", "--max-trials", "3", "--no-progress",
                               "--model", path("d.nnfit"), "--results", path("d.csv")});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::vector<Row> rows = rows_of(read_text(path("d.csv")));
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0].at("activation") + " " + rows[0].at("batch-size") + " " +
                rows[0].at("hidden") + " " + rows[0].at("l2") + " " + rows[0].at("lr"),
            "relu 32 64 0 0.001");
  EXPECT_HAS(r.err, "3 of 31 trials");  // the default 30 and the baseline, cut by --max-trials
  const model::Model m = load("d.nnfit");
  EXPECT_FALSE(m.metrics.at("search").at("complete").get<bool>());
}

// The table without its seconds column (wall time).
std::string without_seconds(const std::string& csv) {
  std::string out;
  for (const Row& r : rows_of(csv)) {
    for (const auto& [key, value] : r) out += key == "seconds" ? "" : key + "=" + value + " ";
    out += "\n";
  }
  return out;
}

// --sampler tpe: the same proposals and model for --jobs 1 and 2, a journal resumes with
// nothing rerun, and shards are refused (each batch needs every earlier result).
TEST_F(SearchSelectTest, TpeIsJobsIndependentAndResumes) {
  const auto search = [this](const std::string& name, Flags extra) {
    Flags args{"gridsearch", "--data", data_path("iris.csv"), "--target", "species", "--epochs",
               "8", "--model", path(name + ".nnfit"), "--results", path(name + ".csv")};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  };
  const Flags tpe{"--sampler", "tpe", "--space", "lr=loguniform(0.001,0.1)", "--space",
                  "hidden=choice(4|16)", "--trials", "14", "--folds", "0"};
  Flags one = tpe, two = tpe;
  one.insert(one.end(), {"--jobs", "1", "--out-dir", path("journal")});
  two.insert(two.end(), {"--jobs", "2"});
  ASSERT_EQ(search("one", one).code, 0);
  ASSERT_EQ(search("two", two).code, 0);
  EXPECT_EQ(without_seconds(read_text(path("one.csv"))), without_seconds(read_text(path("two.csv"))));
  EXPECT_EQ(rows_of(read_text(path("one.csv"))).size(), 14U);
  EXPECT_EQ(read_text(path("one.nnfit")), read_text(path("two.nnfit")));
  const CliResult again = search("again", one);
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_HAS(again.err, "resuming: 14 finished trials");
  EXPECT_EQ(again.err.find("trial 1/"), std::string::npos) << again.err;  // nothing rerun
  EXPECT_EQ(read_text(path("again.nnfit")), read_text(path("one.nnfit")));
  Flags shard = tpe;
  shard.insert(shard.end(), {"--shard", "1/2", "--out-dir", path("s")});
  const CliResult refused = search("x", shard);
  EXPECT_EQ(refused.code, 2);
  EXPECT_HAS(refused.err, "--sampler tpe proposes each batch from the results of the earlier");
}

// Resume and halving keep their guarantees under the new defaults (repeated folds, the
// baseline) and options: a search cut by --max-trials and resumed from its journal ends with
// the table and model of an uninterrupted one; halving by --scoring accuracy is the same for
// any --jobs.
TEST_F(SearchSelectTest, ResumeAndHalvingKeepTheirGuaranteesWithTheNewOptions) {
  const auto run = [this](const std::string& name, Flags extra) {
    Flags args{"gridsearch", "--data", data_path("iris.csv"), "--target", "species", "--epochs",
               "8", "--grid", "lr=0.03,0.003", "--grid", "hidden=2|16", "--quiet", "--model",
               path(name + ".nnfit"), "--results", path(name + ".csv")};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  };
  ASSERT_EQ(run("part", {"--out-dir", path("j"), "--max-trials", "2"}).code, 0);
  ASSERT_EQ(run("rest", {"--out-dir", path("j")}).code, 0);
  ASSERT_EQ(run("full", {}).code, 0);
  EXPECT_EQ(rows_of(read_text(path("full.csv"))).size(), 5U);  // 4 and the baseline
  EXPECT_EQ(without_seconds(read_text(path("rest.csv"))),
            without_seconds(read_text(path("full.csv"))));
  EXPECT_EQ(read_text(path("rest.nnfit")), read_text(path("full.nnfit")));
  const Flags halving{"--halving", "--eta", "2", "--scoring", "accuracy"};
  Flags one = halving, two = halving;
  one.insert(one.end(), {"--jobs", "1"});
  two.insert(two.end(), {"--jobs", "2"});
  ASSERT_EQ(run("h1", one).code, 0);
  ASSERT_EQ(run("h2", two).code, 0);
  EXPECT_EQ(without_seconds(read_text(path("h1.csv"))), without_seconds(read_text(path("h2.csv"))));
  EXPECT_EQ(read_text(path("h1.nnfit")), read_text(path("h2.nnfit")));
  EXPECT_EQ(load("h1.nnfit").metrics.at("search").at("scoring"), "accuracy");
  // The baseline is never pruned: it reaches the last rung with the best.
  int last = 0, baseline_rung = 0;
  for (const Row& r : rows_of(read_text(path("h1.csv")))) {
    last = std::max(last, std::stoi(r.at("rung")));
    if (r.at("lr") == "0.001" && r.at("hidden") == "64") baseline_rung = std::stoi(r.at("rung"));
  }
  EXPECT_GT(last, 1);
  EXPECT_EQ(baseline_rung, last);
}

}  // namespace
}  // namespace nnfit::cli::testing
