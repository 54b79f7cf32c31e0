// Tests for the reading of feature cells (data/cells.h, detail::CellReader) through read_dataset
// and read_features: column types (numeric, categorical, mixed), categories in byte order,
// missing cells, number spellings and the per-column warnings. dataset_test.cc covers the table
// around the cells (header, delimiters, target, blank lines, ignored columns).
#include "data/cells.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "data/dataset.h"
#include "testing/csv_util.h"

namespace nnfit::data {
namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();

Dataset load(const std::string& text, const CsvOptions& options = {},
             const std::string& target = "") {
  std::istringstream in(text);
  return read_dataset("d.csv", in, target, options);
}

Dataset features(const std::string& text, const std::vector<std::string>& names,
                 const CsvOptions& options = {}) {
  std::istringstream in(text);
  return read_features("p.csv", in, names, options);
}

using test::error_of;

std::string load_error(const std::string& text, const CsvOptions& options = {},
                       const std::string& target = "") {
  return error_of([&] { load(text, options, target); });
}

std::string features_error(const std::string& text, const std::vector<std::string>& names,
                           const CsvOptions& options = {}) {
  return error_of([&] { features(text, names, options); });
}

using test::collecting;

CsvOptions missing_allowed(std::vector<std::string> na_values) {
  CsvOptions options;
  options.allow_missing = true;
  options.na_values = std::move(na_values);
  return options;
}

float strtof(const std::string& s) { return std::strtof(s.c_str(), nullptr); }

// Equal as floats go: NaN matches NaN, and -0 does not match 0.
bool same(float a, float b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b && std::signbit(a) == std::signbit(b);
}

// Feature f of d (one row of d.x) is `want`.
void expect_feature(const Dataset& d, Index f, const std::vector<float>& want) {
  ASSERT_LT(f, d.x.rows());
  ASSERT_EQ(static_cast<std::size_t>(d.x.cols()), want.size()) << "feature " << f;
  for (std::size_t j = 0; j < want.size(); ++j) {
    const float got = d.x(f, static_cast<Index>(j));
    EXPECT_TRUE(same(got, want[j]))
        << "feature " << f << " row " << j << ": got " << got << ", want " << want[j];
  }
}

using Names = std::vector<std::string>;

// ---- text columns are categorical ---------------------------------------------------------

TEST(CellsTest, TextColumnCategoriesInByteOrderAndRemapped) {
  // First appearance order: red, Blue, green, blue, élan, zebra; byte order: 'B' (0x42) < 'b' <
  // 'g' < 'r' < 'z' < 0xC3 (the first byte of é).
  const Dataset d = load(
      "n,color,y\n1,red,a\n2,Blue,b\n3,green,c\n4,red,d\n5,blue,e\n"
      "6,\xC3\xA9lan,f\n7,zebra,g\n");
  EXPECT_EQ(d.feature_names, (Names{"n", "color"}));
  EXPECT_EQ(d.categorical, (std::vector<bool>{false, true}));
  EXPECT_TRUE(d.categories[0].empty());
  EXPECT_EQ(d.categories[1], (Names{"Blue", "blue", "green", "red", "zebra", "\xC3\xA9lan"}));
  expect_feature(d, 0, {1, 2, 3, 4, 5, 6, 7});
  expect_feature(d, 1, {3, 0, 2, 3, 1, 5, 4});
}

TEST(CellsTest, CategoriesDoNotDependOnRowOrder) {
  const Dataset forward = load("c,y\nb,1\na,2\nc,3\n");
  const Dataset backward = load("c,y\nc,3\na,2\nb,1\n");
  EXPECT_EQ(forward.categories[0], (Names{"a", "b", "c"}));
  EXPECT_EQ(backward.categories[0], forward.categories[0]);
  expect_feature(forward, 0, {1, 0, 2});
  expect_feature(backward, 0, {2, 0, 1});
}

TEST(CellsTest, CategoriesAreTrimmedWithOneWarningPerColumn) {
  std::vector<std::string> warnings;
  const Dataset d = load("c,k,y\n red,x,1\nred ,\ty ,2\n\tblue\t,x,3\n", collecting(&warnings));
  EXPECT_EQ(d.categories[0], (Names{"blue", "red"}));
  EXPECT_EQ(d.categories[1], (Names{"x", "y"}));
  expect_feature(d, 0, {1, 1, 0});
  expect_feature(d, 1, {0, 1, 0});
  EXPECT_EQ(warnings, (Names{"d.csv:2: column 'c' (1): surrounding whitespace in ' red' trimmed",
                             "d.csv:3: column 'k' (2): surrounding whitespace in '\ty ' trimmed"}));
}

// ---- mixed columns -------------------------------------------------------------------------

TEST(CellsTest, MixedColumnMostlyNumbersNamesFirstTextCell) {
  const std::string msg =
      load_error("id,width,y\n1,1.5,p\n2,2,q\n3,abc,r\n4,3,s\n5,def,t\n6,4,u\n");
  EXPECT_EQ(msg,
            "d.csv:4: column 'width' (2): 'abc' is not a number, but 4 other cells of the column "
            "are (first at line 2: '1.5'); fix the cell, mark it missing with --na-values 'abc', "
            "or read the whole column as categories with --categorical 'width' (1 more bad cell in "
            "this file after fixing it)");
}

TEST(CellsTest, MixedColumnMostlyTextNamesFirstNumberCell) {
  // The texts are counted by cell ('red' twice), not by category.
  const std::string msg = load_error("kind,y\nred,1\n7,2\nblue,3\nred,4\n8,5\ngreen,6\n");
  EXPECT_EQ(msg,
            "d.csv:3: column 'kind' (1): '7' is a number, but 4 other cells of the column are "
            "text (first at line 2: 'red'); fix the cell, mark it missing with --na-values '7', "
            "or read the whole column as categories with --categorical 'kind' (1 more bad cell in "
            "this file after fixing it)");
}

TEST(CellsTest, MixedColumnNumberFirstTextMajority) {
  // The number comes first, so the text cell it is compared with comes after it.
  EXPECT_HAS(load_error("kind,y\n 2.50 ,1\nred,2\nblue,3\n"),
             "d.csv:2: column 'kind' (1): '2.50' is a number, but 2 other cells of the column "
             "are text (first at line 3: 'red')");
}

TEST(CellsTest, MixedColumnTieNamesTheText) {
  EXPECT_HAS(load_error("a,y\n1,p\nx,q\n2,r\nz,s\n"),
             "d.csv:3: column 'a' (1): 'x' is not a number, but 2 other cells of the column are "
             "(first at line 2: '1')");
}

// ---- --categorical -------------------------------------------------------------------------

TEST(CellsTest, CategoricalOptionForcesNumbersToCategories) {
  CsvOptions options;
  options.categorical = {"code"};
  const Dataset d = load("code,v,y\n10,1,a\n9,2,b\n09,3,c\n10,4,d\n", options);
  EXPECT_EQ(d.categorical, (std::vector<bool>{true, false}));
  EXPECT_EQ(d.categories[0], (Names{"09", "10", "9"}));  // bytes, not numbers
  expect_feature(d, 0, {1, 2, 0, 1});
  expect_feature(d, 1, {1, 2, 3, 4});
}

TEST(CellsTest, CategoricalOptionKeepsSpellingsOfMixedAndNonFiniteValues) {
  CsvOptions options;
  options.categorical = {"c"};
  const Dataset d = load("c,y\n1.0,a\n1,b\nx,c\ninf,d\n", options);
  EXPECT_EQ(d.categories[0], (Names{"1", "1.0", "inf", "x"}));
  expect_feature(d, 0, {1, 0, 3, 2});
}

TEST(CellsTest, UnknownCategoricalNameIsAnError) {
  CsvOptions options;
  options.categorical = {"Code"};
  EXPECT_EQ(load_error("code,v,y\n1,2,3\n", options),
            "d.csv: --categorical names column 'Code', which the header does not have; check "
            "the spelling (names are case-sensitive). Columns: 'code', 'v', 'y'");
  options.categorical = {"y"};
  EXPECT_THROW(load("code,v,y\n1,2,3\n", options), ConfigError);
}

// ---- missing cells -------------------------------------------------------------------------

TEST(CellsTest, MissingCellsAreNanWithAllowMissing) {
  // -999 is a token and so missing; -999.0 and -999.5 are not tokens and so numbers.
  const Dataset d = load("a,b,y\n1,,p\nNA,2,q\n?,-999,r\n-999.5,-999.0,s\n",
                         missing_allowed({"NA", "?", "-999"}));
  EXPECT_EQ(d.categorical, (std::vector<bool>{false, false}));
  expect_feature(d, 0, {1, kNaN, kNaN, strtof("-999.5")});
  expect_feature(d, 1, {kNaN, 2, kNaN, -999.0f});
}

TEST(CellsTest, NaTokensMatchAfterTrimmingAndExactly) {
  std::vector<std::string> warnings;
  CsvOptions options = collecting(&warnings);
  options.allow_missing = true;
  options.na_values = {"NA", "-999"};
  const Dataset d = load("a,y\n NA ,p\n\t-999,q\n   ,r\n7,s\n", options);
  expect_feature(d, 0, {kNaN, kNaN, kNaN, 7});
  EXPECT_EQ(warnings, (Names{"d.csv:2: column 'a' (1): surrounding whitespace in ' NA ' trimmed"}));
  // Case and spelling matter: 'na' is not 'NA'.
  EXPECT_HAS(load_error("a,y\n1,p\nna,q\n", options),
             "d.csv:3: column 'a' (1): 'na' is not a number, but 1 other cells");
}

TEST(CellsTest, MissingCellWithoutAllowMissingSuggestsImpute) {
  const std::string impute =
      "; fill it in, drop the row, or pass --impute mean|median|mode to fill missing values "
      "from the training data";
  CsvOptions options;
  options.na_values = {"NA", "?", "-999"};
  EXPECT_EQ(load_error("a,b,y\n1,2,p\n3,-999,q\n", options),
            "d.csv:3: column 'b' (2): missing value ('-999', a --na-values token)" + impute);
  EXPECT_EQ(load_error("a,b,y\n1, ? ,p\n", options),
            "d.csv:2: column 'b' (2): missing value ('?', a --na-values token)" + impute);
  EXPECT_EQ(load_error("a,b,y\n1,2,p\n \t ,2,q\n", options),
            "d.csv:3: column 'a' (1): missing value (empty cell)" + impute);
  // Also in a text column, and in a --categorical one.
  EXPECT_EQ(load_error("a,b,y\nred,1,p\nNA,2,q\n", options),
            "d.csv:3: column 'a' (1): missing value ('NA', a --na-values token)" + impute);
  options.categorical = {"b"};
  EXPECT_EQ(load_error("a,b,y\n1,,p\n", options),
            "d.csv:2: column 'b' (2): missing value (empty cell)" + impute);
}

TEST(CellsTest, MissingCellsInCategoricalColumnStayNan) {
  const Dataset d = load("c,y\nred,1\n,2\nNA,3\nblue,4\n", missing_allowed({"NA"}));
  EXPECT_EQ(d.categorical, (std::vector<bool>{true}));
  EXPECT_EQ(d.categories[0], (Names{"blue", "red"}));
  expect_feature(d, 0, {1, kNaN, kNaN, 0});
  CsvOptions forced = missing_allowed({"NA"});
  forced.categorical = {"c"};
  const Dataset f = load("c,y\n5,1\nNA,2\n3,3\n,4\n", forced);
  EXPECT_EQ(f.categories[0], (Names{"3", "5"}));
  expect_feature(f, 0, {1, kNaN, 0, kNaN});
}

TEST(CellsTest, AllMissingColumnIsNumeric) {
  const Dataset d = load("a,b,y\n,1,p\nNA,2,q\n", missing_allowed({"NA"}));
  EXPECT_EQ(d.categorical, (std::vector<bool>{false, false}));
  expect_feature(d, 0, {kNaN, kNaN});
}

TEST(CellsTest, MissingTargetIsAnErrorEvenWithAllowMissing) {
  const CsvOptions options = missing_allowed({"NA"});
  EXPECT_EQ(load_error("a,y\n1,p\n2,\n", options),
            "d.csv:3: target column 'y' (2): cell is empty (every row needs a target value; "
            "fill it in or drop the row)");
  EXPECT_EQ(load_error("a,y,b\n1,p,2\n2, NA ,3\n", options, "y"),
            "d.csv:3: target column 'y' (2): 'NA' is missing (every row needs a target value; "
            "fill it in or drop the row)");
}

// ---- numbers -------------------------------------------------------------------------------

TEST(CellsTest, NonFiniteAndOverflowingNumbersNameTheCell) {
  const std::string not_finite = " is not a finite number (nan and inf are not supported)";
  const std::string too_big = " is out of range for float (magnitude above 3.4e38)";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"nan", not_finite},  {"NaN", not_finite},      {"inf", not_finite}, {"-inf", not_finite},
      {"+inf", not_finite}, {"Infinity", not_finite}, {"1e309", too_big},  {"-1e309", too_big},
      {"1e39", too_big},    {"3.4028236e38", too_big}};
  for (const auto& [value, problem] : cases) {
    SCOPED_TRACE(value);
    // After a number, so that the column is numeric so far (and with --na-values set, which
    // takes the slow path for every cell).
    const std::string text = "a,b,y\n1,2,p\n3," + value + ",q\n";
    const bool marker = value == "nan" || value == "NaN";  // issue 12 item 9: say how to fill it
    const std::string want =
        "d.csv:3: column 'b' (2): '" + value + "'" + problem +
        (marker ? "; '" + value + "' looks like a missing-value marker: pass --na-values '" +
                      value + "' --impute mean|median|mode to fill such cells, or fix the cell"
                : "; fix the cell, or mark it missing with --na-values '" + value + "'");
    EXPECT_EQ(load_error(text), want);
    EXPECT_EQ(load_error(text, missing_allowed({"?"})), want);
    // The suggested fix works.
    expect_feature(load(text, missing_allowed({value})), 1, {2, kNaN});
  }
}

TEST(CellsTest, UnderflowWarnsOncePerColumn) {
  std::vector<std::string> warnings;
  const Dataset d =
      load("a,b,y\n1e-50,2e-60,p\n-1e-46,1,q\n3e-50, 1e-300,r\n", collecting(&warnings));
  expect_feature(d, 0, {0.0f, -0.0f, 0.0f});
  expect_feature(d, 1, {0.0f, 1.0f, 0.0f});
  EXPECT_EQ(strtof("-1e-46"), 0.0f);  // the expected values are what strtof gives
  EXPECT_TRUE(std::signbit(strtof("-1e-46")));
  EXPECT_EQ(warnings,
            (Names{"d.csv:2: column 'a' (1): '1e-50' is below float's smallest magnitude "
                   "(1.4e-45); read as 0",
                   "d.csv:2: column 'b' (2): '2e-60' is below float's smallest magnitude "
                   "(1.4e-45); read as 0",
                   "d.csv:4: column 'b' (2): surrounding whitespace in ' 1e-300' trimmed"}));
}

TEST(CellsTest, NumberSpellingsReadExactlyAsStrtof) {
  const Names spellings = {
      "+5.1", ".2", "3.", "2E-1", "5.100000e+00", "-0", "-.5", "+0.0", "007", "1e3", "-2.5E+2",
      "0.1", "123456789", "16777217", "123456789012345678901234567890",
      "0.1000000000000000055511151231257827",
      // Halfway between two floats in double but not in decimal: rounding the decimal to double
      // and then to float would pick the other float.
      "1.00002783536911", "1.00011545419693", "1.00000005960464477539062500001",
      // Just above FLT_MAX, but still FLT_MAX for strtof (FLT_MAX printed to 8 digits).
      "3.4028235e38", "-3.4028235e+38",
      // Float denormals.
      "1e-40", "1.4e-45", "-7e-42"};
  std::string text = "a,y\n";
  std::vector<float> want;
  for (const std::string& s : spellings) {
    text += s + ",t\n";
    want.push_back(strtof(s));
  }
  SCOPED_TRACE(text);
  expect_feature(load(text), 0, want);
  expect_feature(load(text, missing_allowed({"NA"})), 0, want);  // no fast path
  expect_feature(features(text, {"a"}), 0, want);
}

TEST(CellsTest, SignsAndDotsThatAreNotNumbersAreText) {
  for (const std::string value : {"+-1", "++1", "-", "+", ".", "1.2.3", "0x10", "1e"}) {
    SCOPED_TRACE(value);
    const Dataset d = load("a,y\n\"" + value + "\",p\nword,q\n");
    EXPECT_EQ(d.categorical, (std::vector<bool>{true}));
    EXPECT_EQ(d.categories[0].size(), 2u);
    EXPECT_HAS(load_error("a,y\n1,p\n2,p\n\"" + value + "\",q\n"),
               "d.csv:4: column 'a' (1): '" + value + "' is not a number, but 2 other cells");
  }
}

// ---- infer_types = false -------------------------------------------------------------------

TEST(CellsTest, WithoutInferenceTextIsAnErrorUnlessCategorical) {
  CsvOptions options;
  options.infer_types = false;
  // The first text cell is an error at once, though the column would be categorical.
  const std::string msg = load_error("a,b,y\n1,x,p\n3,z,q\n", options);
  EXPECT_HAS(msg, "d.csv:2: column 'b' (2): 'x' is not a number; the column is numeric");
  EXPECT_HAS(msg, "--categorical 'b'");
  EXPECT_HAS(load_error("a,b,y\n1,2,p\n3,4,q\n5,t,r\n", options),
             "d.csv:4: column 'b' (2): 't' is not a number");
  options.categorical = {"b"};
  const Dataset d = load("a,b,y\n1,x,p\n3,2,q\n", options);
  EXPECT_EQ(d.categorical, (std::vector<bool>{false, true}));
  EXPECT_EQ(d.categories[1], (Names{"2", "x"}));
  expect_feature(d, 0, {1, 3});
  expect_feature(d, 1, {1, 0});
}

TEST(CellsTest, DecimalCommaIsNamedAsSuch) {
  CsvOptions options;
  options.delimiter = ';';
  const std::string mixed = load_error("a;y\n1;p\n2;q\n-1,5;p\n", options);
  EXPECT_HAS(mixed,
             "d.csv:4: column 'a' (1): '-1,5' is not a number (it looks like a decimal "
             "comma: nnfit reads numbers with '.' as the decimal point");
  options.infer_types = false;
  EXPECT_HAS(load_error("a;y\n0,25;p\n", options),
             "'0,25' is not a number (it looks like a decimal comma");
  // Not decimal commas: no note.
  for (const char* value : {"1,", ",5", "1,5,0", "a,5", "1.5,2"}) {
    EXPECT_EQ(load_error(std::string("a;y\n1;p\n2;q\n") + value + ";p\n", options).find("decimal"),
              std::string::npos)
        << value;
  }
}

// ---- read_features -------------------------------------------------------------------------

TEST(CellsReadFeaturesTest, TextInModelNumericColumnIsAnError) {
  // All text: read_dataset would make it categorical; read_features does not infer, even with
  // infer_types set.
  CsvOptions options;
  options.infer_types = true;
  const std::string msg = features_error("a,size,y\n1,big,p\n2,small,q\n", {"a", "size"}, options);
  EXPECT_HAS(msg,
             "p.csv:2: column 'size' (2): 'big' is not a number; the column is numeric in "
             "the model");
  EXPECT_HAS(features_error("y,size\np,1\nq,inf\n", {"size"}),
             "p.csv:3: column 'size' (2): 'inf' is not a finite number (nan and inf are not "
             "supported); the column is numeric in the model");
}

TEST(CellsReadFeaturesTest, ReorderedColumnsExtraColumnAndTarget) {
  std::vector<std::string> warnings;
  CsvOptions options = collecting(&warnings);
  options.categorical = {"color", "unused"};  // names the model does not use are no error
  options.ignore = {"id"};
  // The target cell (y) is not read: empty and text cells there are fine.
  const Dataset d = features("id,color,y,size,extra\n1,red,p,2.5,zz\n2,blue,,3,\n3,red,q,-1,9\n",
                             {"size", "color"}, options);
  EXPECT_EQ(d.feature_names, (Names{"size", "color"}));
  EXPECT_EQ(d.feature_columns, (std::vector<std::size_t>{3, 1}));
  EXPECT_EQ(d.categorical, (std::vector<bool>{false, true}));
  EXPECT_TRUE(d.categories[0].empty());
  EXPECT_EQ(d.categories[1], (Names{"blue", "red"}));
  expect_feature(d, 0, {2.5f, 3, -1});
  expect_feature(d, 1, {1, 0, 1});
  EXPECT_TRUE(d.target.empty());
  EXPECT_EQ(d.lines, (std::vector<unsigned>{2, 3, 4}));
  EXPECT_EQ(warnings, (Names{"p.csv: ignoring columns the model does not use: 'y', 'extra'"}));
}

TEST(CellsReadFeaturesTest, MissingCellsAndNamesUseFileColumn) {
  const Dataset d = features("y,b,a\np,NA,1\nq,2,\n", {"a", "b"}, missing_allowed({"NA"}));
  expect_feature(d, 0, {1, kNaN});
  expect_feature(d, 1, {kNaN, 2});
  CsvOptions strict = missing_allowed({"NA"});
  strict.allow_missing = false;
  EXPECT_EQ(features_error("y,b,a\np,NA,1\n", {"a", "b"}, strict),
            "p.csv:2: column 'b' (2): missing value ('NA', a --na-values token); fill it in "
            "or drop the row; only a model trained with --impute mean|median|mode fills missing "
            "cells");  // read against a model: --impute is for training
}

}  // namespace
// Issue 12 item 9: a common missing-value marker in a numeric column gets the flags that fix it.
TEST(CellsTest, MissingMarkerHintSuggestsNaValuesAndImpute) {
  EXPECT_HAS(load_error("a,y\n1,p\nN/A,q\n2,r\n"),
             "'N/A' looks like a missing-value marker: pass --na-values 'N/A' --impute "
             "mean|median|mode");
  EXPECT_HAS(load_error("a,y\n1,p\nNaN,q\n2,r\n"), "pass --na-values 'NaN' --impute");
  EXPECT_HAS(load_error("a,y\n1,p\n?,q\n2,r\n"), "pass --na-values '?' --impute");
  EXPECT_EQ(load_error("a,y\n1,p\nabc,q\n2,r\n").find("missing-value marker"), std::string::npos);
}

// Issue 12 item 8: of several bad cells, the first in file order (line 3 column 2 before line 6
// column 1), and how many more there are.
TEST(CellsTest, BadCellsReportedInFileOrderWithCount) {
  const std::string text = "a,b,y\n1,1,p\n2,oops,q\n3,2,r\n4,3,s\nbad,4,t\n5,x,u\n";
  const std::string e = load_error(text);
  EXPECT_HAS(e, "d.csv:3: column 'b' (2): 'oops' is not a number");
  EXPECT_HAS(e, "(2 more bad cells in this file after fixing it)");
}

TEST(CellsTest, DecimalCommaColumnIsAnErrorNotCategories) {
  // Issue 12 item 6: '5,1;3,5' read with ';' would one-hot every feature, silently.
  const std::string e = load_error("a;b;y\n5,1;1;p\n4,9;2;q\n-0,5;3;r\n");
  EXPECT_HAS(e, "d.csv:2: column 'a' (1): '5,1' is not a number (it looks like a decimal comma");
  EXPECT_HAS(e, "--categorical 'a'");
  // Categories that merely contain commas are still categories.
  EXPECT_NO_THROW(load("a;b;y\nred,blue;1;p\n4,9;2;q\n"));
}

}  // namespace nnfit::data
