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

// A sink whose warnings are appended to *warnings.
WarningSink collecting(std::vector<std::string>* warnings) {
  return [warnings](const std::string& message) { warnings->push_back(message); };
}

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
  const Dataset d = with_target({"10", "2", "-1", "10", "2", "10", "-1", "2"});
  const TargetEncoding enc = fit_target(d, Task::kAuto);
  EXPECT_EQ(enc.task, Task::kClassification);
  // Numeric order, not byte order (which would put "10" before "2").
  EXPECT_EQ(enc.classes, (std::vector<std::string>{"-1", "2", "10"}));
  EXPECT_EQ(encode_target(d, enc), (Matrix(1, 8) << 2, 1, 0, 2, 1, 2, 0, 1).finished());
}

TEST(FitTargetTest, ZeroOneLabelsWithClassificationStayLabels) {
  std::vector<std::string> warnings;
  const Dataset d = with_target({"1", "0", "0", "1", "1"});
  const TargetEncoding enc = fit_target(d, Task::kClassification, collecting(&warnings));
  EXPECT_EQ(enc.task, Task::kClassification);
  EXPECT_EQ(enc.classes, (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(encode_target(d, enc), (Matrix(1, 5) << 1, 0, 0, 1, 1).finished());
  EXPECT_TRUE(warnings.empty());
}

TEST(FitTargetTest, OneTwoLabelsAreClassesOneAndTwo) {
  const Dataset d = with_target({"2", "1", "1", "2"});
  const TargetEncoding enc = fit_target(d, Task::kClassification);
  EXPECT_EQ(enc.classes, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(encode_target(d, enc), (Matrix(1, 4) << 1, 0, 0, 1).finished());
}

TEST(FitTargetTest, SpellingsOfOneNumberAreDifferentClassesWithOneWarning) {
  std::vector<std::string> warnings;
  const Dataset d = with_target({"1", "2", "1", "2", "2", "01"});  // lines 2..7
  const TargetEncoding enc = fit_target(d, Task::kClassification, collecting(&warnings));
  // Same value: byte order breaks the tie ("01" < "1").
  EXPECT_EQ(enc.classes, (std::vector<std::string>{"01", "1", "2"}));
  EXPECT_EQ(encode_target(d, enc), (Matrix(1, 6) << 1, 2, 1, 2, 2, 0).finished());
  EXPECT_EQ(warnings, (std::vector<std::string>{
                          "d.csv: target 'y': '01' (line 7) and '1' (line 2) are different "
                          "classes although they are the same number; fix the spelling if they "
                          "are meant to be one class"}));
}

TEST(FitTargetTest, OneWarningPerGroupOfEqualNumbers) {
  std::vector<std::string> warnings;
  const Dataset d = with_target({"1", "1.0", "01", "2", "2.0", "3", "1"});
  const TargetEncoding enc = fit_target(d, Task::kAuto, collecting(&warnings));
  EXPECT_EQ(enc.task, Task::kClassification);
  EXPECT_EQ(enc.classes, (std::vector<std::string>{"01", "1", "1.0", "2", "2.0", "3"}));
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_HAS(warnings[0], "'01' (line 4), '1' (line 2) and '1.0' (line 3) are different classes");
  EXPECT_HAS(warnings[1], "'2' (line 5) and '2.0' (line 6) are different classes");
}

TEST(FitTargetTest, WarningNamesRowsWhenThereAreNoLineNumbers) {
  Dataset d = with_target({"1", "01", "1", "01"});
  d.lines.clear();
  std::vector<std::string> warnings;
  fit_target(d, Task::kClassification, collecting(&warnings));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_HAS(warnings[0], "'01' (row 2) and '1' (row 1) are different classes");
}

TEST(FitTargetTest, NoWarningWithoutCollision) {
  std::vector<std::string> warnings;
  fit_target(with_target({"1", "2", "10", "1", "2", "10"}), Task::kAuto, collecting(&warnings));
  fit_target(with_target({"b", "a", "1", "a"}), Task::kAuto, collecting(&warnings));
  fit_target(with_target({"1.5", "2", "1.25", "3"}), Task::kClassification, collecting(&warnings));
  EXPECT_TRUE(warnings.empty()) << warnings.front();
}

TEST(FitTargetTest, TextLabelsAreInByteOrder) {
  // One text label makes the order byte order for all, numbers included.
  const Dataset d = with_target({"b", "B", "a", "10", "2", "a"});
  const TargetEncoding enc = fit_target(d, Task::kAuto);
  EXPECT_EQ(enc.task, Task::kClassification);
  EXPECT_EQ(enc.classes, (std::vector<std::string>{"10", "2", "B", "a", "b"}));
}

TEST(FitTargetTest, AutoDetectionLooksAtValuesClassesAtSpellings) {
  // Integer values spelled with a fraction are still labels, and keep their spelling.
  const TargetEncoding enc = fit_target(with_target({"1.0", "2.0", "1.0", "2.0"}), Task::kAuto);
  EXPECT_EQ(enc.task, Task::kClassification);
  EXPECT_EQ(enc.classes, (std::vector<std::string>{"1.0", "2.0"}));
  // One number in two spellings: still one distinct value per two rows, so classification.
  EXPECT_EQ(fit_target(with_target({"01", "1", "01", "1", "2", "2"}), Task::kAuto).classes,
            (std::vector<std::string>{"01", "1", "2"}));
  // Too few rows to tell labels from values.
  EXPECT_EQ(fit_target(with_target({"1", "2", "1"}), Task::kAuto).task, Task::kRegression);
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

// The DataError message of encoding d, or "" if it encoded.
std::string encode_error(const Dataset& d, const TargetEncoding& enc) {
  try {
    encode_target(d, enc);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

TEST(EncodeTargetTest, NumericClassMatchesOtherSpelling) {
  // Classes match by exact spelling only; an equal number in another spelling is an error
  // that points at the spelling.
  const TargetEncoding enc = fit_target(with_target({"1", "2", "1", "2"}), Task::kAuto);
  EXPECT_EQ(encode_target(with_target({"2", "1"}), enc), (Matrix(1, 2) << 1, 0).finished());
  EXPECT_EQ(encode_error(with_target({"1", "1", "2.0"}), enc),
            "d.csv:4: target 'y': class '2.0' was not seen in the training data (known classes: "
            "'1', '2'); '2.0' is spelled differently from class '2'");
  // Not a number equal to a class: no hint.
  EXPECT_EQ(encode_error(with_target({"3"}), enc),
            "d.csv:2: target 'y': class '3' was not seen in the training data (known classes: "
            "'1', '2')");
}

TEST(EncodeTargetTest, HintNamesEverySpellingOfTheNumber) {
  const TargetEncoding enc = fit_target(with_target({"01", "1", "2", "x"}), Task::kClassification);
  EXPECT_HAS(encode_error(with_target({"1.0"}), enc),
             "; '1.0' is spelled differently from classes '01', '1'");
}

}  // namespace
}  // namespace nnfit::data
