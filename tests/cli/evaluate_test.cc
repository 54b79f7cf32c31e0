// `nnfit evaluate` and `nnfit inspect` through the CLI: evaluate's numbers agree with predict's
// output on the same file; inspect shows the preprocessing without the weights.
#include <spdlog/fmt/fmt.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli_test_util.h"
#include "data/dataset.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

class EvaluateTest : public CliTest {
 protected:
  // The lines of predict's output after the header.
  std::vector<std::string> predictions(const std::string& model, const std::string& data) {
    const CliResult r = run_cli({"predict", "--model", path(model), "--data", data});
    EXPECT_EQ(r.code, 0) << r.err;
    std::istringstream in(r.out);
    std::string line;
    std::vector<std::string> out;
    std::getline(in, line);
    while (std::getline(in, line)) out.push_back(line);
    return out;
  }
  nlohmann::json evaluate_json(const std::string& model, const std::string& data) {
    const CliResult r = run_cli({"evaluate", "--model", path(model), "--data", data, "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
};

TEST_F(EvaluateTest, ClassificationAgreesWithPredictOutput) {
  ASSERT_EQ(train("iris.nnfit", {"--epochs", "10"}).code, 0);  // few epochs: some mistakes
  const std::string test = data_path("iris.test.csv");
  const data::Dataset truth = data::read_dataset(test, "species");
  const std::vector<std::string> pred = predictions("iris.nnfit", test);
  ASSERT_EQ(pred.size(), truth.target.size());
  std::size_t hits = 0;
  for (std::size_t i = 0; i < pred.size(); ++i) hits += pred[i] == truth.target[i];
  const nlohmann::json j = evaluate_json("iris.nnfit", test);
  EXPECT_DOUBLE_EQ(j.at("accuracy").get<double>(), static_cast<double>(hits) / pred.size());
  EXPECT_EQ(j.at("rows"), 30);
  for (const char* key :
       {"task", "log_loss", "roc_auc", "macro_f1", "weighted_f1", "classes", "confusion_matrix"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  // The confusion matrix counts every row once, and its diagonal is the hits.
  const auto& m = j.at("confusion_matrix").at("rows_true_columns_predicted");
  Index total = 0, diagonal = 0;
  for (std::size_t t = 0; t < m.size(); ++t) {
    for (std::size_t p = 0; p < m[t].size(); ++p) total += m[t][p].get<Index>();
    diagonal += m[t][t].get<Index>();
  }
  EXPECT_EQ(total, 30);
  EXPECT_EQ(diagonal, static_cast<Index>(hits));
  EXPECT_EQ(j.at("confusion_matrix").at("labels"),
            nlohmann::json({"setosa", "versicolor", "virginica"}));
  // The table names the same numbers.
  const CliResult table = run_cli({"evaluate", "--model", path("iris.nnfit"), "--data", test});
  ASSERT_EQ(table.code, 0);
  EXPECT_HAS(table.out, fmt::format("accuracy  {:.4f}", j.at("accuracy").get<double>()));
  EXPECT_HAS(table.out, "confusion matrix (rows: true class, columns: predicted class)");
}

TEST_F(EvaluateTest, RegressionMetricsInTargetUnitsAgreeWithPredictOutput) {
  ASSERT_EQ(run_cli({"train", "--data", data_path("diabetes.train.csv"), "--epochs", "30",
                     "--model", path("d.nnfit"), "--quiet"})
                .code,
            0);
  const std::string test = data_path("diabetes.test.csv");
  const data::Dataset truth = data::read_dataset(test, "progression");
  const std::vector<std::string> pred = predictions("d.nnfit", test);
  double sse = 0, sae = 0, mean = 0;
  for (const auto& t : truth.target) mean += std::stod(std::string(t)) / truth.target.size();
  double sst = 0;
  for (std::size_t i = 0; i < pred.size(); ++i) {
    const double e = std::stod(pred[i]) - std::stod(std::string(truth.target[i]));
    sse += e * e;
    sae += std::abs(e);
    sst += (std::stod(std::string(truth.target[i])) - mean) * (std::stod(std::string(truth.target[i])) - mean);
  }
  const double n = static_cast<double>(pred.size());
  const nlohmann::json j = evaluate_json("d.nnfit", test);
  EXPECT_EQ(j.at("task"), "regression");
  EXPECT_NEAR(j.at("mse").get<double>(), sse / n, 1e-3 * sse / n);
  EXPECT_NEAR(j.at("rmse").get<double>(), std::sqrt(sse / n), 1e-3 * std::sqrt(sse / n));
  EXPECT_NEAR(j.at("mae").get<double>(), sae / n, 1e-3 * sae / n);
  EXPECT_NEAR(j.at("r2").get<double>(), 1 - sse / sst, 1e-3);
}

TEST_F(EvaluateTest, MissingTargetColumnOrCellIsAnError) {
  ASSERT_EQ(train("iris.nnfit", {}).code, 0);
  std::ofstream(path("p.csv"))
      << "sepal length (cm),sepal width (cm),petal length (cm),petal width (cm)\n5,3,1,0.2\n";
  const CliResult r = run_cli({"evaluate", "--model", path("iris.nnfit"), "--data", path("p.csv")});
  EXPECT_EQ(r.code, 1);
  EXPECT_HAS(r.err, "column 'species' not found");
  std::ofstream(path("q.csv")) << "sepal length (cm),sepal width (cm),petal length (cm),petal "
                                  "width (cm),species\n5,3,1,0.2,setosa\n5,3,1,0.2,\n";
  const CliResult q = run_cli({"evaluate", "--model", path("iris.nnfit"), "--data", path("q.csv")});
  EXPECT_EQ(q.code, 1);
  EXPECT_HAS(q.err, "q.csv:3: target 'species' is missing");
}

TEST_F(EvaluateTest, InspectShowsPreprocessingAndNoWeights) {
  ASSERT_EQ(run_cli({"train", "--data", data_path("penguins.train.csv"), "--target", "Species",
                     "--impute", "median", "--epochs", "3", "--model", path("p.nnfit"), "--quiet"})
                .code,
            0);
  const CliResult t = run_cli({"inspect", path("p.nnfit")});
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_HAS(t.out, "'Island': categorical, 3 categories 'Biscoe', 'Dream', 'Torgersen'");
  EXPECT_HAS(t.out, "impute      median");
  EXPECT_HAS(t.out, "classes     'Adelie', 'Chinstrap', 'Gentoo'");
  const CliResult j = run_cli({"inspect", "--model", path("p.nnfit"), "--json"});
  ASSERT_EQ(j.code, 0) << j.err;
  const nlohmann::json doc = nlohmann::json::parse(j.out);
  for (const char* key : {"format", "version", "task", "features", "target", "architecture",
                          "hyperparameters", "seed", "metrics"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  EXPECT_FALSE(doc.contains("layers"));
  EXPECT_EQ(doc.at("features").at("impute"), "median");
  std::ofstream(path("bad.nnfit")) << "{\"format\": \"nnfit-model\"";
  EXPECT_EQ(run_cli({"inspect", path("bad.nnfit")}).code, 1);
  EXPECT_EQ(run_cli({"inspect"}).code, 2);
}

// A file nnfit did not write is "not an nnfit model", a directory says so, and a model in the
// older format version 2 (tests/fixtures, written by nnfit before version 3) still predicts the
// same and inspects as version 2.
TEST_F(EvaluateTest, ModelInputIsRecognisedBeforeItIsJudged) {
  for (const char* command : {"predict", "evaluate"}) {
    const CliResult csv =
        run_cli({command, "--model", data_path("iris.csv"), "--data", data_path("iris.csv")});
    EXPECT_EQ(csv.code, 1);
    EXPECT_HAS(csv.err,
               "iris.csv' is not an nnfit model (CSV text, first line 'sepal length (cm),");
    EXPECT_HAS(csv.err, "give a model file written by nnfit train");
    const CliResult dir = run_cli({command, "--model", path(""), "--data", data_path("iris.csv")});
    EXPECT_EQ(dir.code, 1);
    EXPECT_HAS(dir.err, "is a directory; give a model file written by nnfit train");
  }
  const CliResult exe = run_cli({"inspect", "/bin/sh"});
  EXPECT_EQ(exe.code, 1);
  EXPECT_HAS(exe.err, "'/bin/sh' is not an nnfit model (an executable (ELF))");
  const std::string v2 = test::fixture_path("penguins-v2.nnfit");
  const CliResult p =
      run_cli({"predict", "--model", v2, "--data", data_path("penguins.test.csv"), "--proba"});
  ASSERT_EQ(p.code, 0) << p.err;
  expect_csv_near(p.out, read_text(test::fixture_path("penguins-v2.predictions.csv")));
  const CliResult t = run_cli({"inspect", v2});
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_HAS(t.out, "format      nnfit-model version 2\n");
}

}  // namespace
}  // namespace nnfit::cli::testing
