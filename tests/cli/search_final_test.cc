// gridsearch --refit: which model the search saves for its best trial, and what it records.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

using Flags = std::vector<std::string>;

class SearchFinalTest : public CliTest {
 protected:
  CliResult search(const std::string& name, const Flags& extra) {
    Flags args{"gridsearch", "--data", data_path("iris.csv"), "--target", "species", "--epochs",
               "20", "--grid", "lr=0.01,0.003", "--model", path(name + ".nnfit"), "--results",
               path(name + ".csv"), "--quiet", "--folds", "0", "--no-baseline"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
};

TEST_F(SearchFinalTest, TrialKeepsTheBestTrialsOwnModel) {
  ASSERT_EQ(search("t", {"--refit", "trial", "--out-dir", path("dir")}).code, 0);
  const model::Model kept = load("t.nnfit");
  const model::Model trial = io::load_model(path("dir/best-trial.nnfit"));
  EXPECT_TRUE(kept.params == trial.params);  // retrained from its seed: the same weights
  EXPECT_EQ(kept.metrics.at("train").at("rows"), 120);
  EXPECT_EQ(kept.metrics.at("validation").at("rows"), 30);
  EXPECT_EQ(kept.metrics.at("search").at("refit"), "trial");
}

TEST_F(SearchFinalTest, EpochsRecordsTheBestTrialsScoreAsItsValidation) {
  ASSERT_EQ(search("e", {"--refit", "epochs"}).code, 0);
  const model::Model m = load("e.nnfit");
  EXPECT_EQ(m.metrics.at("train").at("rows"), 150);  // every row, no validation part
  const auto& v = m.metrics.at("validation");
  EXPECT_EQ(v.at("source"), "best trial");
  EXPECT_EQ(v.at("rows"), 30);
  EXPECT_DOUBLE_EQ(v.at("loss").get<double>(), m.metrics.at("search").at("val_loss").get<double>());
  EXPECT_EQ(m.metrics.at("refit").at("epochs"), m.metrics.at("epochs_run"));
}

TEST_F(SearchFinalTest, ProtocolRunsTrainsFoldsWithTheBestParameters) {
  const CliResult r = run_cli({"gridsearch", "--data", data_path("iris.csv"), "--target",
                               "species", "--epochs", "20", "--grid", "lr=0.01,0.003",
                               "--refit", "protocol", "--no-progress", "--model", path("p.nnfit"),
                               "--results", path("p.csv")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_HAS(r.err, "(the mean best epoch of 5-fold early stopping); model saved to");
  const model::Model m = load("p.nnfit");
  EXPECT_EQ(m.metrics.at("validation").at("folds"), 5);
  EXPECT_EQ(m.metrics.at("validation").at("rows"), 150);
  EXPECT_EQ(m.metrics.at("refit").at("fold_best_epochs").size(), 5U);
  EXPECT_EQ(m.metrics.at("search").at("refit"), "protocol");
  // The same folds and refit as `train` with the best parameters and the trial's seed give.
  const std::string best = m.metrics.at("search").at("best");  // "lr=0.01" or "lr=0.003"
  const CliResult t = run_cli({"train", "--data", data_path("iris.csv"), "--target", "species",
                               "--epochs", "20", "--lr", best.substr(3), "--seed",
                               std::to_string(m.options.seed), "--quiet", "--model",
                               path("same.nnfit")});
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_TRUE(load("same.nnfit").params == m.params);
}

// lr 2 without recovery: the trial survives its split, but a fold of the protocol diverges.
// The search still saves a model: the best trial's own, with a warning and the record.
TEST_F(SearchFinalTest, ProtocolFallsBackToTheTrialWhenItDiverges) {
  const CliResult r = run_cli({"gridsearch", "--data", data_path("iris.csv"), "--target",
                               "species", "--optimizer", "sgd", "--max-recoveries", "0",
                               "--epochs", "30", "--grid", "lr=2", "--folds", "0",
                               "--no-baseline", "--no-progress", "--model",
                               path("f.nnfit"), "--results", path("f.csv")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_HAS(r.err, "warning: --refit protocol diverged (training diverged in epoch");
  EXPECT_HAS(r.err, "saved the --refit trial model instead");
  const model::Model m = load("f.nnfit");
  EXPECT_EQ(m.metrics.at("search").at("refit"), "trial");
  EXPECT_EQ(m.metrics.at("search").at("fallback_from"), "protocol");
  EXPECT_TRUE(m.params.allFinite());
}

TEST_F(SearchFinalTest, BadModesAreRefusedBeforeTheSearch) {
  const CliResult bad = search("b", {"--refit", "best"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_HAS(bad.err, "--refit");
  const CliResult folds = search("f", {"--refit", "trial", "--folds", "3"});
  EXPECT_EQ(folds.code, 2);
  EXPECT_HAS(folds.err, "--refit trial needs one validation split");
  EXPECT_FALSE(std::filesystem::exists(path("f.nnfit")));
}

TEST_F(SearchFinalTest, JsonSummarisesTheSearchForScripts) {
  const CliResult r = search("j", {"--json", "--refit", "trial"});
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("trials"), 2);
  EXPECT_EQ(j.at("trials_run"), 2);
  EXPECT_EQ(j.at("model"), path("j.nnfit"));
  EXPECT_EQ(j.at("refit"), "trial");
  EXPECT_TRUE(j.at("best").contains("lr"));
  EXPECT_DOUBLE_EQ(j.at("val_loss").get<double>(),
                   load("j.nnfit").metrics.at("search").at("val_loss").get<double>());
  EXPECT_EQ(j.at("validation").at("rows"), 30);
  // Without --results the table is on stdout: --json has no room there.
  const CliResult clash = run_cli({"gridsearch", "--data", data_path("iris.csv"), "--grid",
                                   "lr=0.01,0.003", "--json", "--model", path("c.nnfit")});
  EXPECT_EQ(clash.code, 2);
  EXPECT_HAS(clash.err, "give --results FILE");
}

// A search cut short by --max-trials still saves its best, but says so and records it.
TEST_F(SearchFinalTest, APartialSearchSaysItsModelIsPartial) {
  const CliResult r = run_cli({"gridsearch", "--data", data_path("iris.csv"), "--target",
                               "species", "--epochs", "20", "--grid", "lr=0.01,0.003",
                               "--max-trials", "1", "--no-progress", "--model", path("p.nnfit"),
                               "--results", path("p.csv"), "--no-baseline"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_HAS(r.err, "is the best of 1 of 2 trials (a partial search");
  const model::Model m = load("p.nnfit");
  const auto& s = m.metrics.at("search");
  EXPECT_EQ(s.at("trials_run"), 1);
  EXPECT_EQ(s.at("trials"), 2);
  EXPECT_FALSE(s.at("complete").get<bool>());
  ASSERT_EQ(search("full", {}).code, 0);
  EXPECT_TRUE(load("full.nnfit").metrics.at("search").at("complete").get<bool>());
}

// The journal does not depend on --refit: a finished search refits another way from it.
TEST_F(SearchFinalTest, AJournalResumesUnderAnotherMode) {
  ASSERT_EQ(search("a", {"--refit", "epochs", "--out-dir", path("dir")}).code, 0);
  const std::string journal = read_text(path("dir/journal.jsonl"));
  const CliResult r = search("b", {"--refit", "trial", "--out-dir", path("dir")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_text(path("dir/journal.jsonl")), journal);  // nothing rerun
  EXPECT_EQ(load("b.nnfit").metrics.at("search").at("refit"), "trial");
}

}  // namespace
}  // namespace nnfit::cli::testing
