// `nnfit report` and train --report through the CLI: the page's numbers agree with evaluate's,
// each input flag adds its section, and the CSV flags reach the labelled file.
#include <spdlog/fmt/fmt.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "cli/cli_test_util.h"

namespace nnfit::cli::testing {
namespace {

class ReportCommandTest : public CliTest {
 protected:
  std::string report(std::vector<std::string> extra) {
    std::vector<std::string> args{"report", "--model", path("iris.nnfit"), "--output",
                                  path("r.html"), "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    const CliResult r = run_cli(args);
    EXPECT_EQ(r.code, 0) << r.err;
    return read_text(path("r.html"));
  }
};

// The numbers printed in one chart's cells, in order.
std::vector<long> cell_numbers(const std::string& html, const std::string& id) {
  const std::size_t at = html.find("id=\"" + id + "\"");
  const std::string chart = html.substr(at, html.find("</svg>", at) - at);
  std::vector<long> out;
  const std::regex re("class=\"cell-text[^\"]*\"[^>]*>([0-9]+)<");
  for (auto it = std::sregex_iterator(chart.begin(), chart.end(), re); it != std::sregex_iterator(); ++it) {
    out.push_back(std::stol((*it)[1]));
  }
  return out;
}

TEST_F(ReportCommandTest, ConfusionMatrixIsEvaluates) {
  ASSERT_EQ(train("iris.nnfit", {"--epochs", "3"}).code, 0);  // few epochs: some mistakes
  const std::string test = data_path("iris.test.csv");
  const CliResult e = run_cli({"evaluate", "--model", path("iris.nnfit"), "--data", test, "--json"});
  ASSERT_EQ(e.code, 0) << e.err;
  const nlohmann::json j = nlohmann::json::parse(e.out);
  std::vector<long> want;
  for (const auto& row : j.at("confusion_matrix").at("rows_true_columns_predicted")) {
    for (const auto& n : row) want.push_back(n.get<long>());
  }
  const std::string html = report({"--data", test});
  EXPECT_EQ(cell_numbers(html, "confusion"), want);
  EXPECT_NE(html.find("id=\"roc\""), std::string::npos);
  EXPECT_EQ(html.find("id=\"curves\""), std::string::npos);  // no --history, no curves
}

TEST_F(ReportCommandTest, BinaryRocCurveIsOfTheSecondClassWithEvaluatesAuc) {
  std::istringstream in(read_text(data_path("iris.csv")));
  std::ofstream out(path("two.csv"));
  for (std::string line; std::getline(in, line);) {
    if (line.find("setosa") == std::string::npos) out << line << "\n";
  }
  out.close();
  ASSERT_EQ(run_cli({"train", "--data", path("two.csv"), "--target", "species", "--epochs", "3",
                     "--model", path("iris.nnfit"), "--quiet"}).code, 0);
  const CliResult e = run_cli({"evaluate", "--model", path("iris.nnfit"), "--data", path("two.csv"), "--json"});
  ASSERT_EQ(e.code, 0) << e.err;
  const double auc = nlohmann::json::parse(e.out).at("roc_auc").get<double>();
  const std::string html = report({"--data", path("two.csv")});
  EXPECT_NE(html.find(fmt::format("virginica vs versicolor (AUC {:.3f})", auc)), std::string::npos);
  EXPECT_NE(html.find(">ROC curve<"), std::string::npos);
}

TEST_F(ReportCommandTest, HistoryDrawsOnePointPerEpochAndMarksTheBestEpoch) {
  ASSERT_EQ(train("iris.nnfit", {"--epochs", "7", "--refit-folds", "0", "--history",
                                 path("h.csv"), "--report", path("t.html")}).code, 0);
  const int best = load("iris.nnfit").metrics.at("best_epoch").get<int>();
  for (const std::string& html : {report({"--history", path("h.csv")}), read_text(path("t.html"))}) {
    const std::size_t at = html.find("id=\"curve-loss\"");
    ASSERT_NE(at, std::string::npos);
    const std::size_t p = html.find("points=\"", at) + 8;
    const std::string points = html.substr(p, html.find('"', p) - p);
    EXPECT_EQ(std::count(points.begin(), points.end(), ','), 7);  // x,y per epoch
    EXPECT_NE(html.find("best epoch " + std::to_string(best) + "<"), std::string::npos);
  }
}

TEST_F(ReportCommandTest, NaValuesReachTheLabelledFile) {
  ASSERT_EQ(train("iris.nnfit", {"--impute", "median"}).code, 0);
  std::string text = read_text(data_path("iris.test.csv"));
  text.replace(text.find('\n') + 1, 3, "?");  // the first row's first feature
  std::ofstream(path("q.csv")) << text;
  const CliResult bad = run_cli({"report", "--model", path("iris.nnfit"), "--data", path("q.csv"),
                                 "--output", path("r.html")});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("q.csv:2"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(path("r.html")));
  const std::string html = report({"--data", path("q.csv"), "--na-values", "?"});
  EXPECT_NE(html.find("30 rows: accuracy"), std::string::npos);
}

TEST_F(ReportCommandTest, TrainReportScoresTheValidationFileOrSaysItUsedTheTrainingFile) {
  ASSERT_EQ(train("iris.nnfit", {"--report", path("t.html")}).code, 0);
  std::string html = read_text(path("t.html"));
  EXPECT_NE(html.find("id=\"evaluation\""), std::string::npos);
  EXPECT_NE(html.find("optimistic"), std::string::npos);  // scored on the rows it trained on
  EXPECT_NE(html.find("150 rows: accuracy"), std::string::npos);
  ASSERT_EQ(train("iris.nnfit", {"--report", path("t.html"), "--val-data",
                                 data_path("iris.test.csv")}).code, 0);
  html = read_text(path("t.html"));
  EXPECT_NE(html.find("the --val-data file"), std::string::npos);
  EXPECT_NE(html.find("30 rows: accuracy"), std::string::npos);
}

}  // namespace
}  // namespace nnfit::cli::testing
