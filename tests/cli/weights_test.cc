// --weight-column and --class-weight through the CLI: the weight column is not a feature, is
// remembered by the model, weighs evaluate's metrics, is skipped by predict; bad cells and bad
// --class-weight values are errors that say where and what to do.
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli_test_util.h"
#include "data/dataset.h"

namespace nnfit::cli::testing {
namespace {

class WeightsCliTest : public CliTest {
 protected:
  CliResult train_weighted(const std::string& data, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{
        "train", "--data",          data, "--target", "species",       "--epochs",
        "4",     "--weight-column", "w",  "--model",  path("w.nnfit"), "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
};

TEST_F(WeightsCliTest, WeightColumnIsNotAFeatureAndIsRemembered) {
  const std::string data = with_weights("iris.csv", "train.csv", {"2", "0", "0.5"});
  const CliResult r = train_weighted(data);
  ASSERT_EQ(r.code, 0) << r.err;
  const model::Model m = load("w.nnfit");
  EXPECT_EQ(m.weight_column, "w");
  EXPECT_EQ(m.features.names().size(), 4u);
  EXPECT_EQ(m.spec.inputs, 4);
  const CliResult inspect = run_cli({"inspect", "--model", path("w.nnfit")});
  ASSERT_EQ(inspect.code, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("columns     4\n"), std::string::npos) << inspect.out;
  EXPECT_NE(inspect.out.find("weights     column 'w'"), std::string::npos) << inspect.out;
  // A model without a weight column does not mention one (older models load the same way).
  ASSERT_EQ(train("plain.nnfit", {}).code, 0);
  EXPECT_EQ(load("plain.nnfit").weight_column, "");
  EXPECT_EQ(read_text(path("plain.nnfit")).find("weight_column"), std::string::npos);
}

TEST_F(WeightsCliTest, EvaluateWeighsAccuracyByTheColumnAndPredictSkipsIt) {
  ASSERT_EQ(train_weighted(with_weights("iris.csv", "train.csv", {})).code, 0);
  const std::string test = data_path("iris.test.csv");
  const CliResult pred = run_cli({"predict", "--model", path("w.nnfit"), "--data", test});
  ASSERT_EQ(pred.code, 0) << pred.err;
  std::istringstream lines(pred.out);
  std::string line;
  std::getline(lines, line);
  std::vector<std::string> predicted;
  while (std::getline(lines, line)) predicted.push_back(line);
  const data::Dataset truth = data::read_dataset(test, "species");
  ASSERT_EQ(predicted.size(), truth.target.size());
  // Weights 1..5 by row: the hand computation of the weighted accuracy.
  std::vector<std::string> w;
  double hits = 0, total = 0, plain_hits = 0;
  for (std::size_t i = 0; i < predicted.size(); ++i) {
    const double wi = static_cast<double>(i % 5 + 1) * (predicted[i] != truth.target[i] ? 7 : 1);
    w.push_back(std::to_string(wi));
    total += wi;
    hits += predicted[i] == truth.target[i] ? wi : 0;
    plain_hits += predicted[i] == truth.target[i];
  }
  ASSERT_LT(plain_hits, predicted.size()) << "4 epochs should leave some mistakes";
  const std::string weighted = with_weights("iris.test.csv", "test.csv", w);
  const CliResult ev =
      run_cli({"evaluate", "--model", path("w.nnfit"), "--data", weighted, "--json"});
  ASSERT_EQ(ev.code, 0) << ev.err;
  const nlohmann::json j = nlohmann::json::parse(ev.out);
  EXPECT_EQ(j.at("weight_column"), "w");
  EXPECT_NEAR(j.at("accuracy").get<double>(), hits / total, 1e-12);
  const CliResult unweighted =
      run_cli({"evaluate", "--model", path("w.nnfit"), "--data", test, "--json"});
  ASSERT_EQ(unweighted.code, 0) << unweighted.err;
  const nlohmann::json u = nlohmann::json::parse(unweighted.out);
  EXPECT_FALSE(u.contains("weight_column"));
  EXPECT_NEAR(u.at("accuracy").get<double>(), plain_hits / predicted.size(), 1e-12);
  EXPECT_GT(u.at("accuracy").get<double>() - j.at("accuracy").get<double>(), 0.01);
  // predict reads the weighted file the same, without treating w as a feature or warning.
  const CliResult pred_w = run_cli({"predict", "--model", path("w.nnfit"), "--data", weighted});
  ASSERT_EQ(pred_w.code, 0) << pred_w.err;
  EXPECT_EQ(pred_w.out, pred.out);
  EXPECT_EQ(pred_w.err.find("ignoring"), std::string::npos) << pred_w.err;
  const CliResult text = run_cli({"evaluate", "--model", path("w.nnfit"), "--data", weighted});
  EXPECT_NE(text.out.find("weights   column 'w'"), std::string::npos) << text.out;
}

TEST_F(WeightsCliTest, BadWeightCellsNameFileLineColumnAndFix) {
  const struct {
    const char* cell;
    const char* problem;
  } cases[] = {{"-1", "'-1' is negative"},
               {"abc", "'abc' is not a number"},
               {"", "cell is empty"},
               {"inf", "'inf' is not a finite number"}};
  for (const auto& c : cases) {
    const std::string data = with_weights("iris.csv", "bad.csv", {"1", c.cell});
    const CliResult r = train_weighted(data);
    EXPECT_NE(r.code, 0) << c.cell;
    EXPECT_NE(r.err.find("bad.csv:3: weight column 'w' (6): " + std::string(c.problem)),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("finite numbers >= 0"), std::string::npos) << r.err;
  }
  std::vector<std::string> zeros(150, "0");
  const CliResult z = train_weighted(with_weights("iris.csv", "zero.csv", zeros));
  EXPECT_NE(z.code, 0);
  EXPECT_NE(z.err.find("every weight in column 'w'"), std::string::npos) << z.err;
  const CliResult missing = train("m.nnfit", {"--weight-column", "nosuch"});
  EXPECT_NE(missing.code, 0);
  EXPECT_NE(missing.err.find("--weight-column names column 'nosuch'"), std::string::npos)
      << missing.err;
  const CliResult target = train("m.nnfit", {"--weight-column", "species"});
  EXPECT_NE(target.code, 0);
  EXPECT_NE(target.err.find("names the target"), std::string::npos) << target.err;
}

TEST_F(WeightsCliTest, BadClassWeightIsAConfigError) {
  const CliResult unknown = train("m.nnfit", {"--class-weight", "rose=2"});
  EXPECT_NE(unknown.code, 0);
  EXPECT_NE(unknown.err.find("class 'rose'"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("'setosa', 'versicolor', 'virginica'"), std::string::npos)
      << unknown.err;
  const CliResult zero = train("m.nnfit", {"--class-weight", "setosa=0"});
  EXPECT_NE(zero.code, 0);
  EXPECT_NE(zero.err.find("invalid --class-weight 'setosa=0'"), std::string::npos) << zero.err;
  ASSERT_EQ(train("ok.nnfit", {"--class-weight", "balanced"}).code, 0);
  EXPECT_EQ(load("ok.nnfit").options.class_weight, "balanced");
}

}  // namespace
}  // namespace nnfit::cli::testing
