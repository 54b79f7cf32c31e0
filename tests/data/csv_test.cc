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
std::vector<std::vector<std::string>> read_all(const std::string& text,
                                               const CsvOptions& options = {},
                                               const std::string& name = "t.csv") {
  std::istringstream in(text);
  CsvReader reader(name, in, options);
  std::vector<std::string_view> fields;
  std::vector<std::vector<std::string>> out;
  while (reader.next(fields)) out.emplace_back(fields.begin(), fields.end());
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

// The DataError message of reading all of `text`, or "" if it read.
std::string read_error(const std::string& text, const CsvOptions& options = {}) {
  try {
    read_all(text, options);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

#define EXPECT_HAS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

CsvOptions with_delimiter(char delimiter) {
  CsvOptions options;
  options.delimiter = delimiter;
  return options;
}

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

TEST(CsvReaderTest, UnterminatedQuoteNamesLineWhereRecordStarts) {
  const std::string msg = read_error("a,b\n1,\"oops\n2,3\n4,5\n");
  EXPECT_HAS(msg, "t.csv:2: field 2: unterminated quoted field");
  EXPECT_HAS(read_error("\"a\"\"\n"), "t.csv:1: field 1: unterminated");  // "" is a quote
}

TEST(CsvReaderTest, QuotedFieldsSpanLines) {
  EXPECT_EQ(
      read_all("id,\"two\nlines\",z\n1,\"a\n\n\"\"b\"\"\nc\",\"x\ny\"\n\"\nstart\",2,3"),
      (Rows{{"id", "two\nlines", "z"}, {"1", "a\n\n\"b\"\nc", "x\ny"}, {"\nstart", "2", "3"}}));
  // Field contents are joined with "\n" whatever the line ending; a closing quote may end a line.
  EXPECT_EQ(read_all("\"a\r\nb\"\r\n\"c\n\",\"\"\"d\n\"\n"), (Rows{{"a\nb"}, {"c\n", "\"d\n"}}));
}

TEST(CsvReaderTest, MultiLineRecordReportsItsFirstLine) {
  std::istringstream in("h\n\"1\n2\n3\"\nnext\n");
  CsvReader reader("mem.csv", in);
  std::vector<std::string_view> fields;
  ASSERT_TRUE(reader.next(fields));
  ASSERT_TRUE(reader.next(fields));
  EXPECT_EQ(reader.line(), 2u);
  EXPECT_EQ(fields[0], "1\n2\n3");
  ASSERT_TRUE(reader.next(fields));
  EXPECT_EQ(reader.line(), 5u);
  EXPECT_EQ(fields[0], "next");
}

TEST(CsvReaderTest, TextAfterClosingQuoteInMultiLineRecord) {
  EXPECT_HAS(read_error("x\n1,\"a\nb\"c,2\n"),
             "t.csv:2: field 2: unexpected 'c' after a closing quote");
}

TEST(CsvReaderTest, MixedLineEndings) {
  EXPECT_EQ(read_all("a,b\r\n1,2\n3,4\r\n\r\n5,6"),
            (Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}, {""}, {"5", "6"}}));
}

TEST(CsvReaderTest, OtherDelimiters) {
  EXPECT_EQ(read_all("a;\"b;c\";d\n1;2;\n", with_delimiter(';')),
            (Rows{{"a", "b;c", "d"}, {"1", "2", ""}}));
  EXPECT_EQ(read_all("a|b\n1|2\n", with_delimiter('|')), (Rows{{"a", "b"}, {"1", "2"}}));
  // With tab as the delimiter, tabs are no longer dropped around quoted fields.
  EXPECT_EQ(read_all("a\t\"b\"\t\tc d,e\n", with_delimiter('\t')), (Rows{{"a", "b", "", "c d,e"}}));
  EXPECT_EQ(read_all("a,b\n", with_delimiter(';')), (Rows{{"a,b"}}));  // explicit wins
  EXPECT_THROW(read_all("a\n", with_delimiter('"')), ConfigError);
}

TEST(CsvReaderTest, AutoDelimiterFromHeaderOrTsvName) {
  EXPECT_EQ(read_all("a;b\n1,5;2\n"), (Rows{{"a", "b"}, {"1,5", "2"}}));
  EXPECT_EQ(read_all("\n a|b\n1|2\n"), (Rows{{""}, {" a", "b"}, {"1", "2"}}));
  EXPECT_EQ(read_all("a\tb\n", {}, "x.TSV"), (Rows{{"a", "b"}}));
  EXPECT_EQ(read_all("a,b\n", {}, "x.tsv"), (Rows{{"a,b"}}));
  EXPECT_EQ(read_all("a;b|c\n"), (Rows{{"a;b|c"}}));  // ambiguous: comma
  std::istringstream in("x|y\n");
  CsvReader reader("t.csv", in);
  EXPECT_EQ(reader.delimiter(), ',');
  std::vector<std::string_view> fields;
  ASSERT_TRUE(reader.next(fields));
  EXPECT_EQ(reader.delimiter(), '|');
}

TEST(ResolveDelimiterTest, ExplicitThenTsvThenDetected) {
  EXPECT_EQ(resolve_delimiter(';', "a.tsv", "x,y"), ';');
  EXPECT_EQ(resolve_delimiter(0, "data/a.tsv", "x,y"), '\t');
  EXPECT_EQ(resolve_delimiter(0, "a.csv", "x;y;z"), ';');
  EXPECT_EQ(resolve_delimiter(0, "a.csv", "x\ty"), '\t');
  EXPECT_EQ(resolve_delimiter(0, "a.csv", "\"p;q\"|r"), '|');  // quoted ';' does not count
  EXPECT_EQ(resolve_delimiter(0, "a.csv", "x;y,z"), ',');      // two candidates
  EXPECT_EQ(resolve_delimiter(0, "a.csv", "xyz"), ',');
  EXPECT_EQ(delimiter_name('\t'), "tab");
  EXPECT_EQ(delimiter_name(';'), "';'");
}

TEST(CsvReaderTest, NulByteIsErrorNamingLine) {
  using namespace std::string_literals;
  EXPECT_HAS(read_error("a,b\n1,2\n3,\0x\n4,5\n"s), "t.csv:3: NUL byte (binary file?)");
  EXPECT_HAS(read_error("a,b\n1,2\n3,\0x\n4,5\n"s), "at byte column 3");
  EXPECT_HAS(read_error("a\r\nb\r\n\r\n\0\n"s), "t.csv:4: NUL byte");  // CRLF lines before
  EXPECT_HAS(read_error("a\nb\n\0"s), "t.csv:3: NUL byte");            // last byte
  EXPECT_HAS(read_error("a\r\0\nb\n"s), "t.csv:1: NUL byte");          // after a lone CR
  EXPECT_HAS(read_error("\xEF\xBB\xBF"
                        "a\nbc\0\n"s),
             "t.csv:2: NUL byte");                                 // after a BOM
  EXPECT_HAS(read_error("a,\"b\nc\0\"\n"s), "t.csv:2: NUL byte");  // in a quoted field
}

TEST(CsvReaderTest, NulByteFoundBeyondFirstReadBlocks) {
  // io::LineReader reads 32 MiB first, then 16 MiB blocks while moving its buffer.
  std::string chunk;  // 100 lines of 40-90 bytes, a third of them CRLF
  for (int i = 0; i < 100; ++i) chunk += std::string(40 + i / 2, 'x') + (i % 3 ? "\n" : "\r\n");
  std::string text;
  unsigned lines = 0;
  for (; text.size() < (std::size_t{33} << 20); lines += 100) text += chunk;
  std::istringstream clean(text);
  CsvReader reader("big.csv", clean);
  std::vector<std::string_view> fields;
  unsigned count = 0;
  while (reader.next(fields)) ++count;
  EXPECT_EQ(count, lines);
  text += "7,8\r\n9,1";  // the NUL is on line lines + 2
  text += '\0';
  text += "0\n";
  EXPECT_HAS(read_error(text), "t.csv:" + std::to_string(lines + 2) + ": NUL byte");
}

TEST(CsvReaderTest, InvalidUtf8NamesLineAndByteColumn) {
  EXPECT_EQ(read_all("caf\xC3\xA9,\xE2\x82\xAC,\xF0\x9F\x98\x80\n"),
            (Rows{{"caf\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}}));
  EXPECT_HAS(read_error("a,b\nx,caf\xE9\n"), "t.csv:2: invalid UTF-8 at byte column 6");
  EXPECT_HAS(read_error("\xC3\xA9\nok\n\xC0\xAF\n"),
             "t.csv:3: invalid UTF-8 at byte column 1");                  // overlong
  EXPECT_HAS(read_error("a\n\xED\xA0\x80\n"), "t.csv:2: invalid UTF-8");  // surrogate
  EXPECT_HAS(read_error("abcdefghij\xE2\x82\n"),
             "t.csv:1: invalid UTF-8 at byte column 11");  // cut short
  EXPECT_HAS(read_error("a\n\xFF\n"), "t.csv:2: invalid UTF-8");
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

TEST(ParseNumberTest, UnderflowsFloat) {
  for (const char* text : {"1e-50", "-1e-46", "1e-400", "0.5e-320"}) {
    double v = 1.0;
    ASSERT_TRUE(parse_number(text, v)) << text;
    EXPECT_TRUE(underflows_float(text, v)) << text;
  }
  for (const char* text : {"0", "-0.0", "0e-400", "1e-40", "1.5", "1e-30"}) {
    double v = 1.0;
    ASSERT_TRUE(parse_number(text, v)) << text;
    EXPECT_FALSE(underflows_float(text, v)) << text;
  }
}

TEST(TrimTest, RemovesSpacesAndTabs) {
  EXPECT_EQ(trim("  a b\t"), "a b");
  EXPECT_EQ(trim(" \t "), "");
  EXPECT_EQ(trim("x"), "x");
}

}  // namespace
}  // namespace nnfit::data
