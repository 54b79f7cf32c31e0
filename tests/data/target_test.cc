// Tests for the target encoding: task detection, class names and order, and encoding cells.
#include "data/target.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "data/dataset.h"

namespace nnfit::data {
namespace {

#define EXPECT_HAS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

// A dataset with the given target cells (lines 2, 3, ...) and one dummy feature.
Dataset with_target(const std::vector<std::string>& target) {
  std::string text = "x,y\n";
  for (const auto& t : target) text += "1," + t + "\n";
  std::istringstream in(text);
  return read_dataset("d.csv", in, "y");
}

TEST(TaskTest, NamesRoundTripAndUnknownIsConfigError) {
  for (Task t : {Task::kAuto, Task::kClassification, Task::kRegression}) {
    EXPECT_EQ(parse_task(task_name(t)), t);
  }
  EXPECT_EQ(task_name(Task::kRegression), "regression");
  EXPECT_THROW(parse_task("clustering"), ConfigError);
}

TEST(FitTargetTest, StringTargetIsClassificationWithSortedClasses) {
  const Dataset d = with_target({"pear", "apple", "fig", "apple"});
  const TargetEncoding enc = fit_target(d, Task::kAuto);
  EXPECT_EQ(enc.task, Task::kClassification);
  EXPECT_EQ(enc.classes, (std::vector<std::string>{"apple", "fig", "pear"}));
  const Matrix y = encode_target(d, enc);
  ASSERT_EQ(y.rows(), 1);
  EXPECT_EQ(y, (Matrix(1, 4) << 2, 0, 1, 0).finished());
}

TEST(FitTargetTest, FewIntegerValuesAreClassesSortedNumerically) {
  const Dataset d = with_target({"10", "2", "2.0", "10", "2", "10"});
  const TargetEncoding enc = fit_target(d, Task::kAuto);
  EXPECT_EQ(enc.task, Task::kClassification);
  EXPECT_EQ(enc.classes, (std::vector<std::string>{"2", "10"}));
  EXPECT_EQ(encode_target(d, enc), (Matrix(1, 6) << 1, 0, 0, 1, 0, 1).finished());
}

TEST(FitTargetTest, ManyDistinctOrFractionalValuesAreRegression) {
  std::vector<std::string> many;
  for (int i = 0; i < 30; ++i) many.push_back(std::to_string(i % 25));
  EXPECT_EQ(fit_target(with_target(many), Task::kAuto).task, Task::kRegression);
  EXPECT_EQ(fit_target(with_target({"1", "2", "3", "4"}), Task::kAuto).task, Task::kRegression);
  EXPECT_EQ(fit_target(with_target({"1.5", "2", "1.5", "2"}), Task::kAuto).task,
            Task::kRegression);
  const Dataset d = with_target({"1.5", "-2", "1e1"});
  const TargetEncoding enc = fit_target(d, Task::kAuto);
  EXPECT_EQ(enc.task, Task::kRegression);
  EXPECT_TRUE(enc.classes.empty());
  EXPECT_EQ(encode_target(d, enc), (Matrix(1, 3) << 1.5f, -2.0f, 10.0f).finished());
}

TEST(FitTargetTest, RequestedTaskOverridesAuto) {
  const Dataset d = with_target({"1.5", "2", "1.5", "3"});
  const TargetEncoding enc = fit_target(d, Task::kClassification);
  EXPECT_EQ(enc.task, Task::kClassification);
  EXPECT_EQ(enc.classes, (std::vector<std::string>{"1.5", "2", "3"}));
}

TEST(FitTargetTest, RegressionOnTextNamesLineAndValue) {
  const Dataset d = with_target({"1", "2", "high"});
  try {
    fit_target(d, Task::kRegression);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_HAS(e.what(), "d.csv:4: target 'y': 'high' is not a number");
  }
}

TEST(FitTargetTest, SingleClassIsError) {
  try {
    fit_target(with_target({"a", "a", "a"}), Task::kAuto);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_HAS(e.what(), "single class 'a'");
  }
}

TEST(EncodeTargetTest, UnseenClassNamesLineAndValue) {
  const TargetEncoding enc = fit_target(with_target({"a", "b", "a"}), Task::kAuto);
  const Dataset val = with_target({"b", "c"});
  try {
    encode_target(val, enc);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_HAS(e.what(), "d.csv:3: target 'y': class 'c' was not seen in the training data");
    EXPECT_HAS(e.what(), "'a', 'b'");
  }
}

TEST(EncodeTargetTest, NumericClassMatchesOtherSpelling) {
  const TargetEncoding enc = fit_target(with_target({"1", "2", "1", "2"}), Task::kAuto);
  EXPECT_EQ(encode_target(with_target({"2.0", "1"}), enc), (Matrix(1, 2) << 1, 0).finished());
}

}  // namespace
}  // namespace nnfit::data
