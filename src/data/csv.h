// CSV splitting and number parsing on top of fast-cpp-csv-parser's io::LineReader.
// Fields are string_views into the reader's line buffer (no per-field allocation), valid until
// the next call to CsvReader::next; numbers are parsed locale-independently with from_chars.
#pragma once

#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace io {
class LineReader;
}

namespace nnfit::data {

// Splits lines from io::LineReader into fields: comma delimiter, RFC 4180 quoted fields
// ("a,b" and doubled quotes "" inside quotes, unescaped in place), CRLF handled, UTF-8 BOM on
// the first line stripped. A record is one physical line: multi-line quoted fields are not
// supported (TODO(data): later issue), so an unterminated quote is a DataError naming file and
// line. Spaces and tabs around a quoted field are dropped; a quote that does not start a field
// (after optional spaces) is an ordinary character. An empty line is one empty field. All errors
// are nnfit::DataError.
class CsvReader {
 public:
  // Opens path; "-" reads stdin (source() is then "<stdin>").
  // Throws DataError "cannot open 'x.csv': No such file or directory" and the like.
  explicit CsvReader(const std::string& path);
  // Reads from `in`, which must outlive the reader; `name` is used in messages. For tests.
  CsvReader(const std::string& name, std::istream& in);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Replaces `fields` with the next record's fields; false at end of input. Skips nothing.
  // The views stay valid until the next call.
  bool next(std::vector<std::string_view>& fields);
  unsigned line() const;               // 1-based line of the last record (0 before the first)
  const std::string& source() const;   // file name for messages

 private:
  char* next_line();
  void split(char* p, char* end, std::vector<std::string_view>& fields) const;
  char* split_quoted(char* p, std::vector<std::string_view>& fields) const;

  std::string source_;
  std::unique_ptr<io::LineReader> reader_;
  unsigned line_ = 0;
};

// Parses a number: strtod spellings (+5.1, .2, 3., 2E-1, -0), locale-independent (std::from_chars
// on double then range-check to float; a leading '+' accepted); surrounding spaces NOT accepted
// here. Returns false if not a number. Values that overflow float, nan and inf return false
// (caller reports them; see parse_number_status). Underflow gives a signed zero. No hex.
inline bool parse_number(std::string_view s, double& out);

// The detail behind parse_number, for error messages.
enum class NumberStatus { kOk, kNotANumber, kNotFinite, kOutOfRange };
NumberStatus parse_number_status(std::string_view s, double& out);
// " is not a number", " is not a finite number (nan/inf are not supported)", ... for a
// status other than kOk; appended after the quoted value in messages.
std::string number_problem(NumberStatus status);

// Removes leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);

namespace detail {

// Fast path for plain decimals ([-]digits[.digits], at most 15 digits): the mantissa and the
// power of ten are exact in double, so one division is correctly rounded and gives the same
// value as from_chars (Clinger's fast path). Returns false to defer to the general parser.
// Inline because it runs once per numeric cell (tens of millions of times for a large file).
inline bool parse_plain_decimal(std::string_view s, double& out) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const char* p = s.data();
  const char* end = p + s.size();
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  unsigned long long mantissa = 0;
  int digits = 0, fraction = 0;
  bool dot = false;
  for (; p != end; ++p) {
    const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(*p)) - '0';
    if (d < 10) {
      mantissa = mantissa * 10 + d;
      ++digits;
      fraction += dot;
    } else if (*p == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  if (digits == 0 || digits > 15) return false;
  double v = static_cast<double>(mantissa);
  if (fraction != 0) v /= kPow10[fraction];  // skipping the slow divide matters for integers
  out = negative ? -v : v;
  return true;
}

}  // namespace detail

inline bool parse_number(std::string_view s, double& out) {
  return detail::parse_plain_decimal(s, out) || parse_number_status(s, out) == NumberStatus::kOk;
}

}  // namespace nnfit::data
