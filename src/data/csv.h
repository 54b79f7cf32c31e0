// CSV splitting (RFC 4180) and number parsing on top of fast-cpp-csv-parser's io::LineReader.
// Fields are string_views into the reader's line buffer (no per-field allocation; a record that
// spans lines is copied), valid until the next CsvReader::next; numbers parse with from_chars.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace io {
class ByteSourceBase;
class LineReader;
}  // namespace io

namespace nnfit::data {

using WarningSink = std::function<void(const std::string&)>;  // receives one warning message

// The CSV dialect and where warnings go; shared by the reader and read_dataset/read_features.
struct CsvOptions {
  // 0 = auto: tab for a path ending in .tsv; else detected from the header line among
  // , ; \t | (outside quotes) when exactly one of them occurs; else ','.
  char delimiter = 0;
  // The decimal mark of numbers: '.' or ',' (--decimal; then '.' is no decimal point and the
  // delimiter must not be ',').
  char decimal = '.';
  bool header = true;  // false: no header row; columns are named by their 0-based index "0","1",...
  WarningSink warn;    // may be empty (warnings dropped)
  // Columns skipped without being parsed (ids, dates, free text). read_dataset: an unknown
  // name is a DataError, the target a ConfigError. read_features: skipped silently, while
  // any other column the model does not use is skipped with a warning.
  std::vector<std::string> ignore;
  // Extra missing-value tokens (matched after trimming); an empty cell is always missing.
  std::vector<std::string> na_values;
  // true: a missing feature cell reads as NaN (to be imputed); false: it is a DataError that
  // names the cell and suggests --impute. A missing target cell is always an error.
  bool allow_missing = false;
  // Feature columns read as categories whatever their values (--categorical).
  std::vector<std::string> categorical;
  // read_dataset: true: a column is numeric if all its values are numbers and categorical if
  // none are; false: columns not in `categorical` must be numeric (a validation file read
  // against the training file's schema).
  bool infer_types = true;
  // For hints only: the --max-categories of training (0 = no limit), so that a free-text
  // column is pointed to --ignore rather than to --categorical.
  std::size_t max_categories = 0;
  // read_dataset: the column of per-row sample weights (--weight-column; "" = none). It is not
  // a feature: its cells (finite numbers >= 0) go to Dataset::weights.
  std::string weight_column;
  // FeatureStream: why its kept columns are wanted, for the error when one is missing.
  std::string keep_reason = "asked for by --keep";
};

// The delimiter to use: `requested` if nonzero; else tab if path ends in ".tsv" (any case); else
// the one of , ; \t | that occurs outside quotes in first_line, if exactly one does; else ','.
char resolve_delimiter(char requested, const std::string& path, std::string_view first_line);
// "','", "';'", "'|'", "tab": the delimiter for messages.
std::string delimiter_name(char delimiter);

namespace detail {
class ByteCheck;    // byte_check.h: finds NUL and non-ASCII bytes as blocks are read
class LineWindows;  // line_windows.h: the input in windows of whole lines, one LineReader each
}  // namespace detail

// Splits records into fields (RFC 4180): the delimiter from CsvOptions (resolved on the first
// non-blank line, see resolve_delimiter); quoted fields may contain the delimiter, doubled quotes
// (unescaped) and line breaks (a record then spans physical lines, joined with "\n"); LF, CRLF
// and mixed endings; a UTF-8 BOM is stripped; a last line without newline is kept. Spaces and
// tabs (unless tab is the delimiter) around a quoted field are dropped; a quote that does not
// start a field is an ordinary character. An empty line is one empty field. Errors (DataError):
// an unterminated quote (naming the line where the record starts), text after a closing quote,
// a NUL byte, invalid UTF-8 (line and byte column), a line or record over 16 MiB.
class CsvReader {
 public:
  // Opens path; "-" reads stdin (source() is then "<stdin>").
  // Throws DataError "cannot open 'x.csv': No such file or directory" and the like.
  explicit CsvReader(const std::string& path, const CsvOptions& options = {});
  // Reads from `in`, which must outlive the reader; `name` is used in messages (and for the
  // .tsv default). For tests.
  CsvReader(const std::string& name, std::istream& in, const CsvOptions& options = {});
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Replaces `fields` with the next record's fields; false at end of input. Skips nothing.
  // The views stay valid until the next call.
  bool next(std::vector<std::string_view>& fields);
  // As next(), except for a plain record: one line that has no quote character and `count` (2 or
  // more) fields. That one is not split: `plain` holds its text (valid until the next call; a
  // NUL byte follows it) and `fields` is left as it was; cutting `plain` at every delimiter gives
  // the fields next() would. Otherwise `plain` is empty.
  bool next(std::vector<std::string_view>& fields, std::size_t count, std::string_view& plain);
  unsigned line() const;               // 1-based first line of the last record (0 before it)
  const std::string& source() const;   // file name for messages
  char delimiter() const;              // as resolved so far (',' until a non-blank line)
  // The size of the input in bytes if known (a regular file opened by path), else 0; and the
  // bytes read so far, up to the end of the last record. For estimates of the rows to come.
  unsigned long long size() const { return size_; }
  unsigned long long offset() const { return offset_; }

 private:
  struct Line {
    char* begin;
    char* end;  // *end == '\0'
  };
  void open(std::unique_ptr<::io::ByteSourceBase> in);
  void set_delimiter(char d);  // resolved; ConfigError if it is ',' with decimal ','
  bool next_line(Line& line);
  void check_bytes(const Line& line);
  bool is_space(char c) const { return c == ' ' || (c == '\t' && delimiter_ != '\t'); }
  char* split(char* p, char* end, std::vector<std::string_view>& fields) const;
  char* split_quoted(char* p, char* end, std::vector<std::string_view>& fields) const;
  void read_multiline(char* quote, char* end, std::vector<std::string_view>& fields);
  std::size_t split_record(std::size_t pos);
  DataError after_quote_error(char c, std::size_t field) const;
  DataError unterminated_error(std::size_t field) const;

  std::string source_;
  char requested_delimiter_;
  char decimal_;
  char delimiter_ = ',';
  bool resolved_ = false;
  // Each outlives the next, which reads through it.
  std::unique_ptr<detail::ByteCheck> bytes_;
  std::unique_ptr<detail::LineWindows> windows_;
  std::unique_ptr<::io::LineReader> reader_;  // over the current window
  unsigned line_ = 0;  // first line of the current record
  unsigned physical_line_ = 0;
  unsigned long long offset_ = 0;    // byte offset in the input of the next physical line
  unsigned long long size_ = 0;      // see size()
  std::string record_;               // raw text of a record spanning lines
  std::string fields_text_;          // unescaped fields of such a record
  std::vector<std::size_t> bounds_;  // end of each field in fields_text_
};

// Parses a number: strtod spellings (+5.1, .2, 3., 2E-1, -0), locale-independent (std::from_chars
// on double then range-check to float; a leading '+' accepted); surrounding spaces NOT accepted
// here. Returns false if not a number. Values that overflow float, nan and inf return false
// (caller reports them; see parse_number_status). Underflow gives a signed zero. No hex.
inline bool parse_number(std::string_view s, double& out);

// True if s (which parsed as v) is a nonzero number that reads as 0 in float (e.g. 1e-50): its
// magnitude is below FLT_TRUE_MIN (~1.4e-45) or beyond double's range (1e-400).
bool underflows_float(std::string_view s, double v);

// The detail behind parse_number, for error messages.
enum class NumberStatus { kOk, kNotANumber, kNotFinite, kOutOfRange };
NumberStatus parse_number_status(std::string_view s, double& out);
// " is not a number", " is not a finite number (nan/inf are not supported)", ... for a
// status other than kOk; appended after the quoted value in messages.
std::string number_problem(NumberStatus status);

// parse_number_status under the decimal mark `decimal` ('.' or ',').
NumberStatus parse_number_status(std::string_view s, double& out, char decimal);
// s with ',' and '.' swapped: the spelling parse_number reads for a number written with a
// decimal comma ("5,1" -> "5.1"; "5.1" -> "5,1", not a number).
std::string swap_decimal_mark(std::string_view s);

// Removes leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);

namespace detail {

// Fast path for plain decimals ([-]digits[.digits], at most 15 digits): the mantissa and the
// power of ten are exact in double, so one division is correctly rounded and gives the same
// value as from_chars (Clinger's fast path). Scans from p to end or to the first byte that does
// not continue such a number, and returns where it stopped with the value in out; nullptr if
// what it scanned is not one (no digit, more than 15). Inline because it runs once per numeric
// cell (tens of millions of times for a large file).
inline const char* scan_plain_decimal(const char* p, const char* end, double& out) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
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
      break;
    }
  }
  if (digits == 0 || digits > 15) return nullptr;
  double v = static_cast<double>(mantissa);
  if (fraction != 0) v /= kPow10[fraction];  // skipping the slow divide matters for integers
  out = negative ? -v : v;
  return p;
}

// s is a plain decimal (see scan_plain_decimal) with the value out; false to defer to the
// general parser.
inline bool parse_plain_decimal(std::string_view s, double& out) {
  double v = 0.0;
  const char* stop = scan_plain_decimal(s.data(), s.data() + s.size(), v);
  if (stop == nullptr || stop != s.data() + s.size()) return false;
  out = v;
  return true;
}

}  // namespace detail

inline bool parse_number(std::string_view s, double& out) {
  return detail::parse_plain_decimal(s, out) || parse_number_status(s, out) == NumberStatus::kOk;
}

namespace detail {
// s parsed as a float (from_chars, a leading '+' accepted); `fallback` if that fails.
float reparse_float(std::string_view s, float fallback);
}  // namespace detail

// The float that s (which parsed as v) spells, rounded once, as strtof rounds it. Casting v
// rounds twice (decimal to double to float), which picks the wrong neighbour when v lands exactly
// halfway between two floats but s does not (e.g. "1.00002783536911"); s is then parsed again.
inline float to_float(std::string_view s, double v) {
  const float f = static_cast<float>(v);
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  constexpr std::uint64_t kBelowFloat = (std::uint64_t{1} << 29) - 1;  // mantissa bits float lacks
  const bool halfway = (bits & kBelowFloat) == std::uint64_t{1} << 28;
  // Below FLT_MIN floats are denormal (fewer bits): only an exact value is sure.
  if (std::fabs(v) >= FLT_MIN ? !halfway : static_cast<double>(f) == v) return f;
  return detail::reparse_float(s, f);
}

}  // namespace nnfit::data
