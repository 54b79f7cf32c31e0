// Tests for --decimal , (CsvOptions::decimal): numbers written with a decimal comma in a file
// separated by ';' (issue 12 item 6).
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "core/error.h"
#include "data/dataset.h"
#include "data/target.h"
#include "testing/csv_util.h"

namespace nnfit::data {
namespace {

CsvOptions comma_decimal() {
  CsvOptions options;
  options.decimal = ',';
  return options;
}

Dataset load(const std::string& text, const CsvOptions& options, const std::string& target = "") {
  std::istringstream in(text);
  return read_dataset("d.csv", in, target, options);
}

TEST(DecimalTest, CommaDecimalsReadAsNumbersFeaturesAndTarget) {
  const Dataset d = load("a;b;y\n5,1;-0,25;1,5\n4,9;3;2,75\n+1,0;1e2;-3\n", comma_decimal());
  ASSERT_EQ(d.categorical, (std::vector<bool>{false, false}));
  EXPECT_FLOAT_EQ(d.x(0, 0), 5.1f);
  EXPECT_FLOAT_EQ(d.x(1, 0), -0.25f);
  EXPECT_FLOAT_EQ(d.x(0, 1), 4.9f);
  EXPECT_FLOAT_EQ(d.x(0, 2), 1.0f);
  EXPECT_FLOAT_EQ(d.x(1, 2), 100.0f);
  const TargetEncoding enc = fit_target(d, Task::kRegression);
  const Matrix y = encode_target(d, enc);
  EXPECT_FLOAT_EQ(y(0, 0), 1.5f);
  EXPECT_FLOAT_EQ(y(0, 1), 2.75f);
  EXPECT_FLOAT_EQ(y(0, 2), -3.0f);
}

TEST(DecimalTest, WithoutTheFlagTheErrorNamesTheCellAndSuggestsIt) {
  const std::string e = test::error_of([] { load("a;y\n5,1;p\n4,9;q\n", CsvOptions{}); });
  EXPECT_HAS(e, "d.csv:2: column 'a' (1): '5,1' is not a number (it looks like a decimal comma");
  EXPECT_HAS(e, "--decimal ,");
}

TEST(DecimalTest, DotDecimalsWithTheFlagAreAnErrorNotCategories) {
  const std::string e = test::error_of([] { load("a;y\n5.1;p\n4.9;q\n", comma_decimal()); });
  EXPECT_HAS(e, "d.csv:2: column 'a' (1): '5.1' is not a number (with --decimal , the decimal");
}

TEST(DecimalTest, CommaAsDelimiterToo) {
  CsvOptions explicit_comma = comma_decimal();
  explicit_comma.delimiter = ',';
  for (const CsvOptions& options : {comma_decimal(), explicit_comma}) {
    try {
      load("a,y\n\"5,1\",1\n", options);
      ADD_FAILURE() << "no error";
    } catch (const ConfigError& e) {
      EXPECT_HAS(e.what(), "d.csv: --decimal , reads '5,1' as 5.1");
      EXPECT_HAS(e.what(), "--delimiter ';'");
    }
  }
}

}  // namespace
}  // namespace nnfit::data
