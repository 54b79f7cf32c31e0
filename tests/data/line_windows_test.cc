// Tests for feeding io::LineReader in windows, through CsvReader on in-memory streams: records
// across the end of a window, a BOM that starts a later window, the longest line and the line
// limit, and the byte checks after several windows.
#include "data/line_windows.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "data/csv.h"
#include "testing/csv_util.h"

namespace nnfit::data {
namespace {

using Rows = std::vector<std::vector<std::string>>;
constexpr std::size_t kWindow = detail::LineWindows::kWindowBytes;

Rows windowed_records(const std::string& text) {
  std::istringstream in(text);
  CsvReader reader("t.csv", in);
  std::vector<std::string_view> fields;
  Rows out;
  while (reader.next(fields)) out.emplace_back(fields.begin(), fields.end());
  return out;
}

std::string windowed_error(const std::string& text) {
  return test::error_of([&] { windowed_records(text); });
}

// Lines "x,xx..." of 3 to 1000 bytes, every third one ending in CRLF, that add up to `bytes`
// (at least 3); their records go to `rows`.
std::string filler(std::size_t bytes, Rows& rows) {
  std::string text;
  for (std::size_t i = 0; text.size() < bytes; ++i) {
    const std::size_t left = bytes - text.size();
    std::size_t length = 3 + (i * 7919) % 998;  // with the line break
    if (length + 3 > left) length = left;       // the last line takes the rest (3 or more)
    const bool crlf = i % 3 == 0 && length >= 4;
    const std::string x(length - 2 - crlf, 'x');
    text += "x," + x + (crlf ? "\r\n" : "\n");
    rows.push_back({"x", x});
  }
  return text;
}

TEST(LineWindowsTest, QuotedFieldAcrossWindowEnds) {
  Rows want;
  std::string text = filler(kWindow - 5000, want);
  std::string field;  // 100 lines: the first window ends inside it
  for (int i = 0; i < 100; ++i) field += std::string(99, 'q') + (i < 99 ? "\n" : "");
  text += "a,\"" + field + "\",b\r\n";
  want.push_back({"a", field, "b"});
  text += filler(kWindow + 1000, want);  // and the second window ends in a line of these
  text += "last,1";
  want.push_back({"last", "1"});
  const Rows got = windowed_records(text);
  ASSERT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want);
}

TEST(LineWindowsTest, BomStartingLaterWindowIsText) {
  Rows want;
  // The filler's last line break is the last in the first window, so the next line starts the
  // second window: the reader there skips its BOM, which is the first field's text.
  std::string text = filler(kWindow - 50, want);
  const std::string bom = "\xEF\xBB\xBF";
  text += bom + "b," + std::string(100, 'y') + "\n2,3\n";
  want.push_back({bom + "b", std::string(100, 'y')});
  want.push_back({"2", "3"});
  EXPECT_TRUE(windowed_records(text) == want);
  EXPECT_EQ(windowed_records(bom + "a\n" + bom + "b\n"), (Rows{{"a"}, {bom + "b"}}));
}

TEST(LineWindowsTest, LongestLineAndLineLimit) {
  // A line of 16 MiB - 1 bytes fills the first window but for its line break: the window grows.
  Rows want{{std::string(kWindow - 1, 'z')}};
  std::string text = want[0][0] + "\n" + filler(kWindow + 100, want);
  EXPECT_TRUE(windowed_records(text) == want);
  text = "a\nb\n" + std::string(kWindow + 1, 'z') + "\nc\n";
  EXPECT_HAS(windowed_error(text), "t.csv:3: line longer than 16 MiB");
  text = "a\n" + std::string(2 * kWindow + 1, 'z');  // no line break in the largest window
  EXPECT_HAS(windowed_error(text), "t.csv:2: line longer than 16 MiB");
}

TEST(LineWindowsTest, ByteChecksNameTheLineInLaterWindows) {
  Rows rows;
  const std::string text = filler(kWindow + 3000, rows);
  const std::string line = std::to_string(rows.size() + 1);
  EXPECT_HAS(windowed_error(text + "a,caf\xE9\n"),
             "t.csv:" + line + ": invalid UTF-8 at byte column 6");
  EXPECT_HAS(windowed_error(text + "1,2\r\n3" + std::string(1, '\0') + "\n"),
             "t.csv:" + std::to_string(rows.size() + 2) + ": NUL byte");
}

}  // namespace
}  // namespace nnfit::data
