// `nnfit importance` through the CLI: its baseline is evaluate's number, and every flag
// (--repeats, --seed, --metric, --threads, --json) does what it says.
#include <spdlog/fmt/fmt.h>

#include <nlohmann/json.hpp>

#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing::importance_cli_test {
namespace {

class ImportanceCliTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(train("iris.nnfit", {"--epochs", "40", "--refit-folds", "0"}).code, 0);
  }
  nlohmann::json run_json(std::vector<std::string> extra,
                          const std::string& data = "iris.test.csv") {
    std::vector<std::string> args{"importance",    "--model", path("iris.nnfit"), "--data",
                                  data_path(data), "--json",  "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    const CliResult r = run_cli(args);
    EXPECT_EQ(r.code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
  nlohmann::json evaluate(const std::string& data) {
    const CliResult r =
        run_cli({"evaluate", "--model", path("iris.nnfit"), "--data", data, "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
};

TEST_F(ImportanceCliTest, BaselineIsEvaluatesScoreAndColumnsAreTheModels) {
  const nlohmann::json j = run_json({});
  const nlohmann::json e = evaluate(data_path("iris.test.csv"));
  EXPECT_EQ(j.at("metric"), "accuracy");
  EXPECT_EQ(j.at("higher_is_better"), true);
  EXPECT_EQ(j.at("baseline").get<double>(), e.at("accuracy").get<double>());
  EXPECT_EQ(j.at("rows"), 30);
  EXPECT_EQ(j.at("repeats"), 5);
  EXPECT_EQ(j.at("seed"), 1);
  std::vector<std::string> names;
  double last = 1e9;
  for (const auto& c : j.at("columns")) {
    names.push_back(c.at("column"));
    EXPECT_EQ(c.at("drops").size(), 5u);
    EXPECT_LE(c.at("mean").get<double>(), last);  // sorted, highest first
    last = c.at("mean").get<double>();
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"petal length (cm)", "petal width (cm)",
                                             "sepal length (cm)", "sepal width (cm)"}));
}

TEST_F(ImportanceCliTest, TableNamesTheMetricBaselineAndColumns) {
  const CliResult r = run_cli({"importance", "--model", path("iris.nnfit"), "--data",
                               data_path("iris.test.csv"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json j = run_json({});
  EXPECT_HAS(r.out, "the drop in accuracy (higher is better) when a column is shuffled");
  EXPECT_HAS(r.out, fmt::format("baseline accuracy {:.4f} on 30 rows; 5 repeats, seed 1",
                                j.at("baseline").get<double>()));
  std::istringstream table(r.out);
  std::string line;
  while (std::getline(table, line) && line.rfind("column ", 0) != 0) {
  }
  for (const auto& c : j.at("columns")) {  // one line per column, in the JSON's order
    ASSERT_TRUE(static_cast<bool>(std::getline(table, line)));
    const std::string name = c.at("column");
    EXPECT_EQ(line.rfind(name, 0), 0u) << line;
    EXPECT_EQ(
        line.substr(line.size() - 20),
        fmt::format("{:>9.4f}  {:>9.4f}", c.at("mean").get<double>(), c.at("std").get<double>()));
  }
}

TEST_F(ImportanceCliTest, RepeatsSeedAndThreadsFlags) {
  const nlohmann::json base = run_json({});
  const nlohmann::json more = run_json({"--repeats", "3"});
  EXPECT_EQ(more.at("columns")[0].at("drops").size(), 3u);
  const nlohmann::json seeded = run_json({"--seed", "2"});
  EXPECT_EQ(seeded.at("seed"), 2);
  EXPECT_NE(seeded.at("columns"), base.at("columns"));
  EXPECT_EQ(run_json({"--threads", "2"}).at("columns"), base.at("columns"));  // the same numbers
  EXPECT_EQ(run_cli({"importance", "--model", path("iris.nnfit"), "--data",
                     data_path("iris.test.csv"), "--repeats", "0"})
                .code,
            2);
}

TEST_F(ImportanceCliTest, MetricFlagChoosesTheScoreAndItsDirection) {
  const nlohmann::json j = run_json({"--metric", "log_loss"});
  EXPECT_EQ(j.at("metric"), "log_loss");
  EXPECT_EQ(j.at("higher_is_better"), false);
  EXPECT_NEAR(j.at("baseline").get<double>(),
              evaluate(data_path("iris.test.csv")).at("log_loss").get<double>(), 1e-12);
  EXPECT_GT(j.at("columns")[0].at("mean").get<double>(), 0);  // shuffling raises the loss
  const CliResult bad = run_cli({"importance", "--model", path("iris.nnfit"), "--data",
                                 data_path("iris.test.csv"), "--metric", "r2"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_HAS(bad.err, "invalid --metric 'r2' for a classification model: use default or one of");
}

TEST_F(ImportanceCliTest, RegressionDefaultsToR2AsEvaluate) {
  ASSERT_EQ(run_cli({"train", "--data", data_path("diabetes.train.csv"), "--epochs", "20",
                     "--refit-folds", "0", "--model", path("d.nnfit"), "--quiet"})
                .code,
            0);
  const std::string test = data_path("diabetes.test.csv");
  const CliResult r = run_cli(
      {"importance", "--model", path("d.nnfit"), "--data", test, "--json", "--repeats", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  const CliResult e = run_cli({"evaluate", "--model", path("d.nnfit"), "--data", test, "--json"});
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("metric"), "r2");
  EXPECT_EQ(j.at("baseline").get<double>(), nlohmann::json::parse(e.out).at("r2").get<double>());
  EXPECT_EQ(j.at("columns").size(), 10u);
}

TEST_F(ImportanceCliTest, WeightedModelWeighsTheScoreAsEvaluate) {
  std::vector<std::string> w;
  for (int i = 0; i < 150; ++i) w.push_back(i % 3 == 0 ? "3" : "0.5");
  const std::string data = with_weights("iris.csv", "w.csv", w);
  ASSERT_EQ(run_cli({"train", "--data", data, "--target", "species", "--weight-column", "w",
                     "--epochs", "5", "--refit-folds", "0", "--model", path("w.nnfit"), "--quiet"})
                .code,
            0);
  const CliResult r = run_cli({"importance", "--model", path("w.nnfit"), "--data", data, "--metric",
                               "log_loss", "--repeats", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_HAS(r.out, "weighted by column 'w'");
  const CliResult e = run_cli({"evaluate", "--model", path("w.nnfit"), "--data", data, "--json"});
  const CliResult j = run_cli({"importance", "--model", path("w.nnfit"), "--data", data, "--metric",
                               "log_loss", "--repeats", "2", "--json"});
  EXPECT_NEAR(nlohmann::json::parse(j.out).at("baseline").get<double>(),
              nlohmann::json::parse(e.out).at("log_loss").get<double>(), 1e-12);
}

TEST_F(ImportanceCliTest, AFileWithoutTheTargetNamesIt) {
  std::ofstream(path("features.csv")) << "sepal length (cm),sepal width (cm),petal length (cm),"
                                         "petal width (cm)\n5.1,3.5,1.4,0.2\n6,3,5,2\n";
  const CliResult r =
      run_cli({"importance", "--model", path("iris.nnfit"), "--data", path("features.csv")});
  EXPECT_EQ(r.code, 1);
  EXPECT_HAS(r.err, "species");
  EXPECT_HAS(r.err, "importance scores the predictions against");
}

}  // namespace
}  // namespace nnfit::cli::testing::importance_cli_test
