// Issue 12 item 18: hints that work when copied into a shell: column names quoted for the
// shell, a free-text column pointed to --ignore (not --categorical, which --max-categories
// would then drop), a header of numbers pointed to --no-header.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "data/dataset.h"
#include "data/text.h"
#include "testing/csv_util.h"
#include "train/pipeline.h"

namespace nnfit::data {
namespace {

using test::error_of;

std::string load_error(const std::string& text, const CsvOptions& options = {}) {
  std::istringstream in(text);
  return error_of([&] { read_dataset("d.csv", in, "", options); });
}

TEST(HintsTest, ShellWordQuotesSpacesAndSpecialCharacters) {
  EXPECT_EQ(shell_word("age"), "age");
  EXPECT_EQ(shell_word("petal.width_2"), "petal.width_2");
  EXPECT_EQ(shell_word("Release Date"), "'Release Date'");
  EXPECT_EQ(shell_word("a$b"), "'a$b'");
  EXPECT_EQ(shell_word("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_word(""), "''");
  EXPECT_EQ(shell_quoted("it's"), "'it'\\''s'");
}

TEST(HintsTest, NameWithAQuoteIsQuotedForTheShell) {
  const std::string e = load_error("it's,y\n1,p\n2,q\nabc,r\n");
  EXPECT_HAS(e, "--categorical 'it'\\''s'");
}

TEST(HintsTest, FreeTextWithAFewNumbersSuggestsIgnore) {
  CsvOptions options;
  options.max_categories = 3;
  // 5 distinct texts, one number: as categories, --max-categories 3 would drop the column.
  const std::string text =
      "Review Text,n,y\ngood,1,p\nbad,2,q\nfine,3,r\n42,4,s\nok,5,t\nmeh,6,u\n";
  const std::string e = load_error(text, options);
  EXPECT_HAS(e, "d.csv:5: column 'Review Text' (1): '42' is a number");
  EXPECT_HAS(e, "drop the column with --ignore 'Review Text' (its 5 distinct text values");
  EXPECT_EQ(e.find("--categorical"), std::string::npos) << e;
  // Few distinct texts: categories are the way.
  options.max_categories = 10;
  EXPECT_HAS(load_error(text, options), "--categorical 'Review Text'");
}

TEST(HintsTest, WideCategoricalWarningQuotesTheName) {
  std::vector<std::string> warnings;
  train::DataOptions opt;
  opt.csv = test::collecting(&warnings);
  opt.max_categories = 2;
  std::istringstream in("Release Date,n,y\na,1,p\nb,2,q\nc,3,r\n");
  Dataset d = read_dataset("d.csv", in, "", opt.csv);
  train::drop_wide_categoricals(d, opt);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_HAS(warnings[0], "pass --ignore 'Release Date' to silence this");
}

TEST(HintsTest, HeaderOfNumbersSuggestsNoHeader) {
  std::vector<std::string> warnings;
  std::istringstream in("5.1,3.5,1\n4.9,3.0,0\n4.7,3.2,1\n");
  read_dataset("d.csv", in, "", test::collecting(&warnings));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_HAS(warnings[0], "d.csv:1: every header name is a number ('5.1', '3.5', '1')");
  EXPECT_HAS(warnings[0], "pass --no-header");
  warnings.clear();
  std::istringstream named("a,2,y\n4.9,3.0,0\n");
  read_dataset("d.csv", named, "", test::collecting(&warnings));
  EXPECT_TRUE(warnings.empty());
}

}  // namespace
}  // namespace nnfit::data
