// What nnfit report reads: history and results CSVs, the importance JSON; and the ROC curve.
#include "report/inputs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "eval/report.h"

namespace nnfit::report {
namespace {

TEST(ReportInputsTest, HistoryReadsEachColumnWithEmptyCellsAsNaN) {
  std::istringstream in(
      "epoch,train_loss,val_loss,val_acc,lr,seconds\n1,0.9,1.1,0.5,0.1,0.01\n2,0.5,,,0.05,0.01\n");
  const History h = read_history("h.csv", in);
  EXPECT_EQ(h.metric, "val_acc");
  EXPECT_EQ(h.epoch, (std::vector<double>{1, 2}));
  EXPECT_EQ(h.train_loss, (std::vector<double>{0.9, 0.5}));
  EXPECT_DOUBLE_EQ(h.val_loss[0], 1.1);
  EXPECT_TRUE(std::isnan(h.val_loss[1]));
  EXPECT_TRUE(std::isnan(h.val_metric[1]));
  EXPECT_EQ(h.lr, (std::vector<double>{0.1, 0.05}));
}

void expect_error(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  try {
    read_history("h.csv", in);
    FAIL() << "no error for " << text;
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(ReportInputsTest, HistoryErrorsNameTheFileLineAndColumn) {
  expect_error("", "h.csv: empty file");
  expect_error("a,b\n1,2\n", "h.csv:1: no column 'epoch'");
  expect_error("epoch,train_loss,val_loss,val_acc,lr\n1,x,,,0.1\n",
               "h.csv:2: column 'train_loss': 'x' is not a number");
  expect_error("epoch,train_loss,val_loss,val_acc,lr\n1,0.5,,\n", "h.csv:2: 4 fields, expected 5");
  expect_error("epoch,train_loss,val_loss,val_acc,lr\n", "h.csv: no epochs");
  expect_error("{\n  \"architecture\": 1\n}\n",  // a model file given as --history
               "; expected the learning-curve CSV of nnfit train --history");
}

TEST(ReportInputsTest, ResultsKeysAreTheColumnsBeforeRungOrStatus) {
  std::istringstream in(
      "trial,hidden,lr,rung,budget_epochs,status,val_loss,rank\n1,\"16,8\",0.1,1,3,ok,0.5,1\n");
  const Table t = read_results("r.csv", in);
  EXPECT_EQ(searched_keys(t), (std::vector<std::string>{"hidden", "lr"}));
  EXPECT_EQ(t.rows[0][1], "16,8");
  std::istringstream plain("trial,lr,status,val_loss\n");
  EXPECT_EQ(searched_keys(read_results("r.csv", plain)), std::vector<std::string>{"lr"});
  std::istringstream bad("trial,lr\n1,2\n");
  EXPECT_THROW(read_results("r.csv", bad), DataError);
}

TEST(ReportInputsTest, ImportanceFollowsTheSharedContract) {
  const Importance imp = parse_importance(
      "i.json", R"({"metric": "r2", "higher_is_better": true, "baseline": 0.8, "repeats": 2,
       "seed": 3, "rows": 10, "columns": [{"column": "a", "mean": 0.2, "std": 0.1,
       "drops": [0.1, 0.3]}]})");
  EXPECT_EQ(imp.metric, "r2");
  EXPECT_EQ(imp.repeats, 2);
  ASSERT_EQ(imp.columns.size(), 1u);
  EXPECT_EQ(imp.columns[0].drops, (std::vector<double>{0.1, 0.3}));
  EXPECT_THROW(parse_importance("i.json", "{"), DataError);
  EXPECT_THROW(parse_importance("i.json", R"({"metric": "r2", "baseline": 1, "columns": []})"), DataError);
  EXPECT_THROW(parse_importance("i.json", R"({"metric": "r2", "columns": [{}]})"), DataError);
}

TEST(ReportInputsTest, JournalTrialsFollowTheFingerprintLine) {
  const std::string path = ::testing::TempDir() + "/nnfit_report_journal_test.jsonl";
  std::ofstream(path) << "{\"search\":\"lr = 0.1\"}\n"
                         "{\"params\":{\"hidden\":\"8\",\"lr\":\"0.1\"},\"rung\":2,"
                         "\"budget\":9,\"val_loss\":0.25,\"diverged\":false}\n"
                         "{\"params\":{\"lr\":\"1\"},\"diverged\":true,\"val_loss\":null}\n";
  const std::vector<JournalTrial> t = read_journal(path);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].params, "hidden=8 lr=0.1");
  EXPECT_EQ(t[0].rung, 2);
  EXPECT_EQ(t[0].budget, 9);
  EXPECT_EQ(t[0].val_loss, 0.25);
  EXPECT_TRUE(t[1].diverged);
  std::ofstream(path) << "{\"search\":\"\"}\nnot json\n";
  try {
    read_journal(path);
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("journal_test.jsonl:2"), std::string::npos) << e.what();
  }
}

// The area under the curve (trapezoids) is the AUC that evaluate reports.
TEST(ReportInputsTest, RocCurveAreaIsTheAuc) {
  const std::vector<double> scores{0.9, 0.8, 0.8, 0.6, 0.55, 0.5, 0.4, 0.4, 0.3, 0.1};
  const std::vector<bool> positive{true, true, false, true, false, true, false, true, false, false};
  const RocCurve c = roc_curve(scores, positive);
  ASSERT_GE(c.fpr.size(), 2u);
  EXPECT_EQ(c.fpr.front(), 0);
  EXPECT_EQ(c.tpr.back(), 1);
  EXPECT_EQ(c.fpr.back(), 1);
  double area = 0;
  for (std::size_t i = 1; i < c.fpr.size(); ++i) {
    EXPECT_GE(c.fpr[i], c.fpr[i - 1]);
    area += (c.fpr[i] - c.fpr[i - 1]) * (c.tpr[i] + c.tpr[i - 1]) / 2;
  }
  EXPECT_NEAR(area, *eval::roc_auc(scores, positive), 1e-12);
  EXPECT_EQ(c.fpr.size(), 9u);  // 8 distinct scores and (0, 0)
  EXPECT_TRUE(roc_curve({0.1, 0.2}, {true, true}).fpr.empty());
}

}  // namespace
}  // namespace nnfit::report
