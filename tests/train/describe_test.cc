// The inputs summary: target choice, task and why, column types, dropped columns, rows, and the
// warnings for a target whose task is probably wrong.
#include "train/describe.h"

#include <gtest/gtest.h>

#include <functional>
#include <sstream>

#include "testing/csv_util.h"  // EXPECT_HAS
#include "testing/paths.h"

namespace nnfit::train {
namespace {

// The summary of `options` on a CSV text (read as read_inputs reads it), with the warnings of
// reading and preparing in *warnings if given.
SummaryText summarise(const std::string& text, DataOptions options, bool stats = false,
                      std::vector<std::string>* warnings = nullptr) {
  if (warnings != nullptr) options.csv = test::collecting(warnings);
  InputData in;
  in.options = options;
  std::istringstream is(text);
  in.train = data::read_dataset("t.csv", is, options.target, options.csv);
  in.wide_dropped = drop_wide_categoricals(in.train, options);
  in.options.csv.ignore.insert(in.options.csv.ignore.end(), in.wide_dropped.begin(),
                               in.wide_dropped.end());
  InputSummary s = describe_inputs(in, stats);
  Rng rng(1);
  describe_prepared(s, prepare_data(in.train, nullptr, in.options, rng));
  return summary_text(s);
}

// "x,y" and `rows` rows: x = 0, 1, ... and y = y_of(x).
std::string xy_csv(int rows, const std::function<std::string(int)>& y_of) {
  std::string text = "x,y\n";
  for (int i = 0; i < rows; ++i) text += std::to_string(i) + "," + y_of(i) + "\n";
  return text;
}

TEST(DescribeTest, IrisNamedTargetColumnsAndRows) {
  DataOptions d;
  d.data = test::data_path("iris.csv");
  d.target = "species";
  const InputData in = read_inputs(d);
  InputSummary s = describe_inputs(in);
  Rng rng(1);
  describe_prepared(s, prepare_data(in.train, nullptr, in.options, rng));
  const SummaryText t = summary_text(s);
  ASSERT_EQ(t.info.size(), 3u);
  EXPECT_EQ(t.info[0], "target 'species' (named): classification, 3 classes (text values)");
  EXPECT_EQ(t.info[1], "columns: 4 numeric");
  EXPECT_EQ(t.info[2], "input width 4; 120 training rows, 30 validation rows (--val-split 0.2)");
  EXPECT_TRUE(t.warnings.empty());
  EXPECT_TRUE(t.debug.empty());  // no column statistics asked for
}

// A file whose last column is an integer feature: the default target is named as such, with the
// flag that chooses another; categorical and dropped columns are listed with their counts.
TEST(DescribeTest, DefaultedTargetCategoricalAndDroppedColumns) {
  std::string text = "id,color,name,size,code\n";
  for (int i = 0; i < 40; ++i) {
    text += std::to_string(i) + "," + (i % 3 ? "red" : "blue") + ",n" + std::to_string(i) + "," +
            std::to_string(i * 0.5) + "," + std::to_string(i % 4) + "\n";
  }
  DataOptions d;
  d.csv.ignore = {"id"};
  d.max_categories = 10;
  d.val_split = 0.25;
  const SummaryText t = summarise(text, d);
  EXPECT_EQ(t.info[0],
            "target 'code' (last column; --target NAME to choose): classification, 4 classes "
            "(integers, at most 20 distinct)");
  EXPECT_EQ(t.info[1],
            "columns: 1 numeric, 1 categorical (categories: color 2), 2 dropped (id: --ignore, "
            "name: over --max-categories 10)");
  EXPECT_EQ(t.info[2], "input width 3; 30 training rows, 10 validation rows (--val-split 0.25)");
  d.target = "3";  // by index: size
  d.val_split = 0;
  const SummaryText r = summarise(text, d);
  EXPECT_EQ(r.info[0], "target 'size' (column 3): regression (numeric values)");
  EXPECT_EQ(r.info[1],
            "columns: 1 numeric, 1 categorical (categories: color 2), 2 dropped (id: "
            "--ignore, name: over --max-categories 10)");
  EXPECT_EQ(r.info[2], "input width 3; 40 training rows, no validation (--val-split 0)");
}

// --task classification on a continuous target: one warning saying how many classes in how
// many rows and the flag to use, and one (not one per class) for the classes too rare to split.
TEST(DescribeTest, ManyClassesWarnOnceWithTheFlag) {
  // 60 values in 100 rows: 40 of them twice (20 split, 20 not), 20 once.
  std::string text = xy_csv(100, [](int i) { return std::to_string(i % 60 * 0.37); });
  DataOptions d;
  d.task = "classification";
  std::vector<std::string> warnings;
  const SummaryText t = summarise(text, d, false, &warnings);
  EXPECT_EQ(t.info[0],
            "target 'y' (last column; --target NAME to choose): classification, 60 "
            "classes (--task)");
  ASSERT_EQ(t.warnings.size(), 1u);
  EXPECT_EQ(t.warnings[0],
            "target 'y' has 60 classes in 100 rows; if it is a number to predict, "
            "use --task regression");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_HAS(warnings[0], "40 of 60 classes are too rare to stratify");
  // Text labels: the hint is the target column, not the task.
  for (char& c : text) c = c == '.' ? 'p' : c;
  d.task = "auto";
  const SummaryText u = summarise(text, d);
  ASSERT_EQ(u.warnings.size(), 1u);
  EXPECT_HAS(u.warnings[0], "if it is not the column to predict, choose one with --target NAME");
}

// Integer codes with more than 20 distinct values, each repeated: --task auto takes them as
// regression, with a warning naming --task classification. Few or unrepeated integers do not.
TEST(DescribeTest, IntegerCodesTakenAsRegressionWarn) {
  const std::string text = xy_csv(300, [](int i) { return std::to_string(i % 25); });
  const SummaryText t = summarise(text, DataOptions{});
  EXPECT_EQ(t.info[0],
            "target 'y' (last column; --target NAME to choose): regression (numeric "
            "values)");
  ASSERT_EQ(t.warnings.size(), 1u);
  EXPECT_EQ(t.warnings[0],
            "target 'y' holds integers with 25 distinct values in 300 rows, taken "
            "as a number to predict (regression); if they are class codes, use "
            "--task classification");
  // 150 distinct integers in 300 rows: a quantity.
  const std::string counts = xy_csv(300, [](int i) { return std::to_string(i / 2); });
  EXPECT_TRUE(summarise(counts, DataOptions{}).warnings.empty());
  DataOptions regression;
  regression.task = "regression";  // asked for: no warning
  EXPECT_TRUE(summarise(text, regression).warnings.empty());
}

TEST(DescribeTest, ColumnStatisticsForDebug) {
  const std::string text = "a,c,y\n1,u,p\n,v,q\n3,u,p\n5,,q\n";
  DataOptions d;
  d.impute = "mean";
  d.val_split = 0;
  d.csv.allow_missing = true;
  const SummaryText t = summarise(text, d, true);
  ASSERT_EQ(t.debug.size(), 2u);
  EXPECT_EQ(t.debug[0], "column 'a': numeric, min 1, mean 3, max 5, 1 missing");
  EXPECT_EQ(t.debug[1], "column 'c': categorical, 2 categories, 1 missing");
}

}  // namespace
}  // namespace nnfit::train
