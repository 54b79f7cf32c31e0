// Tests for the CSV record splitter and the number parser (in-memory streams, no disk).
#include "data/csv.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/rng.h"

namespace nnfit::data {
namespace {

// All records of `text` as owned strings.
std::vector<std::vector<std::string>> read_all(const std::string& text) {
  std::istringstream in(text);
  CsvReader reader("t.csv", in);
  std::vector<std::string_view> fields;
  std::vector<std::vector<std::string>> out;
  while (reader.next(fields)) out.emplace_back(fields.begin(), fields.end());
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvReaderTest, SplitsPlainFields) {
  EXPECT_EQ(read_all("a,b,c\n1,2,3\n"), (Rows{{"a", "b", "c"}, {"1", "2", "3"}}));
}

TEST(CsvReaderTest, KeepsEmptyFieldsAndLines) {
  EXPECT_EQ(read_all(",x,\n\n"), (Rows{{"", "x", ""}, {""}}));
}

TEST(CsvReaderTest, QuotedFieldsWithCommasAndDoubledQuotes) {
  EXPECT_EQ(read_all("\"a,b\",\"say \"\"hi\"\"\",\"\",plain\n"),
            (Rows{{"a,b", "say \"hi\"", "", "plain"}}));
}

TEST(CsvReaderTest, QuoteInsideUnquotedFieldIsLiteral) {
  EXPECT_EQ(read_all("5\" pipe,x\n"), (Rows{{"5\" pipe", "x"}}));
}

TEST(CsvReaderTest, SpacesAroundQuotedFieldAreDropped) {
  EXPECT_EQ(read_all(" a , \"b,c\" ,d\n"), (Rows{{" a ", "b,c", "d"}}));
}

TEST(CsvReaderTest, HandlesCrlf) {
  EXPECT_EQ(read_all("a,\"b\"\r\n1,2\r\n"), (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST(CsvReaderTest, StripsUtf8Bom) {
  EXPECT_EQ(read_all("\xEF\xBB\xBFname,y\n1,2\n"), (Rows{{"name", "y"}, {"1", "2"}}));
}

TEST(CsvReaderTest, LastLineWithoutNewline) {
  EXPECT_EQ(read_all("a\n1"), (Rows{{"a"}, {"1"}}));
}

TEST(CsvReaderTest, ReportsLineAndSource) {
  std::istringstream in("a\nb\nc\n");
  CsvReader reader("mem.csv", in);
  std::vector<std::string_view> fields;
  EXPECT_EQ(reader.line(), 0u);
  ASSERT_TRUE(reader.next(fields));
  ASSERT_TRUE(reader.next(fields));
  EXPECT_EQ(reader.line(), 2u);
  EXPECT_EQ(fields[0], "b");
  EXPECT_EQ(reader.source(), "mem.csv");
  ASSERT_TRUE(reader.next(fields));
  EXPECT_FALSE(reader.next(fields));
}

TEST(CsvReaderTest, UnterminatedQuoteNamesFileAndLine) {
  try {
    read_all("a,b\n1,\"oops\n2,3\n");
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("t.csv:2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("unterminated"), std::string::npos) << e.what();
  }
}

TEST(CsvReaderTest, TextAfterClosingQuoteIsError) {
  EXPECT_THROW(read_all("\"a\"b,c\n"), DataError);
}

TEST(CsvReaderTest, MissingFileIsDataError) {
  try {
    CsvReader reader("/nonexistent/x.csv");
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(), "cannot open '/nonexistent/x.csv': No such file or directory");
  }
}

TEST(CsvReaderTest, LongLinesSplitLikeNaiveSplitter) {
  // Fields of 0-20 characters exercise the eight-bytes-at-a-time comma search at every offset.
  Rng rng(9);
  std::string text;
  Rows want;
  for (int row = 0; row < 50; ++row) {
    std::vector<std::string> fields(1 + rng.below(30));
    for (auto& f : fields) {
      for (auto len = rng.below(21); len > 0; --len) f += static_cast<char>('a' + rng.below(26));
      text += f + ",";
    }
    text.back() = '\n';
    want.push_back(fields);
  }
  EXPECT_EQ(read_all(text), want);
}

TEST(ParseNumberTest, FastPathMatchesFromChars) {
  Rng rng(4);
  for (int i = 0; i < 20000; ++i) {
    std::string text = rng.below(2) ? "-" : "";
    const auto int_digits = rng.below(9), frac_digits = rng.below(9);
    for (auto k = int_digits; k > 0; --k) text += static_cast<char>('0' + rng.below(10));
    if (frac_digits > 0 || int_digits == 0) text += '.';
    for (auto k = frac_digits + (int_digits == 0); k > 0; --k) {
      text += static_cast<char>('0' + rng.below(10));
    }
    double want = 0.0, got = 1.0;
    std::from_chars(text.data(), text.data() + text.size(), want);
    ASSERT_TRUE(parse_number(text, got)) << text;
    ASSERT_EQ(got, want) << text;
  }
}

TEST(ParseNumberTest, AcceptsStrtodSpellings) {
  const std::vector<std::pair<std::string, double>> cases = {
      {"0", 0.0},     {"42", 42.0},  {"+5.1", 5.1}, {".2", 0.2},     {"3.", 3.0},
      {"2E-1", 0.2},  {"-0", -0.0},  {"-7.5", -7.5}, {"1e3", 1000.0}, {"1e-400", 0.0},
      {"3.4e38", 3.4e38}};
  for (const auto& [text, want] : cases) {
    double v = -99.0;
    EXPECT_TRUE(parse_number(text, v)) << text;
    EXPECT_DOUBLE_EQ(v, want) << text;
  }
  double v = 1.0;
  ASSERT_TRUE(parse_number("-0", v));
  EXPECT_TRUE(std::signbit(v));
}

TEST(ParseNumberTest, RejectsNonNumbers) {
  for (const char* text : {"", " 1", "1 ", "abc", "1,5", "+", "+-1", "--1", "1e", ".", "0x10",
                           "1.2.3", "e5"}) {
    double v = 0.0;
    EXPECT_FALSE(parse_number(text, v)) << "'" << text << "'";
    EXPECT_EQ(parse_number_status(text, v), NumberStatus::kNotANumber) << "'" << text << "'";
  }
}

TEST(ParseNumberTest, RejectsNanInfAndOverflow) {
  double v = 0.0;
  for (const char* text : {"nan", "NaN", "inf", "-inf", "infinity"}) {
    EXPECT_FALSE(parse_number(text, v)) << text;
    EXPECT_EQ(parse_number_status(text, v), NumberStatus::kNotFinite) << text;
  }
  for (const char* text : {"1e309", "-1e309", "1e39", "3.5e38"}) {
    EXPECT_FALSE(parse_number(text, v)) << text;
    EXPECT_EQ(parse_number_status(text, v), NumberStatus::kOutOfRange) << text;
  }
}

TEST(TrimTest, RemovesSpacesAndTabs) {
  EXPECT_EQ(trim("  a b\t"), "a b");
  EXPECT_EQ(trim(" \t "), "");
  EXPECT_EQ(trim("x"), "x");
}

}  // namespace
}  // namespace nnfit::data
