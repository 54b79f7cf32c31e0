// CSV record splitting (RFC 4180 quotes, in place) and locale-independent number parsing.
// io::LineReader does the buffered reading; its exceptions are rethrown as nnfit::DataError.
#include "data/csv.h"

// GCC's -Wstringop-truncation fires on the header's deliberate strncpy when it is inlined here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#endif
#include <libfccp/csv.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include <cerrno>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>

#include "core/error.h"

namespace nnfit::data {
namespace {

constexpr const char* kStdinName = "<stdin>";

DataError open_error(const std::string& path, const std::string& why) {
  return DataError("cannot open '" + path + "': " + why);
}

// Opens path for binary reading; the returned FILE* is owned by the caller.
FILE* open_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw open_error(path, "it is a directory");
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) throw open_error(path, std::strerror(errno));
  return file;
}

// True if an out-of-range from_chars result is an underflow (tiny magnitude), not an overflow:
// a negative exponent, or no exponent and an all-zero integer part.
bool is_underflow(std::string_view s) {
  const auto e = s.find_first_of("eE");
  if (e != std::string_view::npos) return e + 1 < s.size() && s[e + 1] == '-';
  const auto digits = s.substr(s.find_first_not_of("+-") == 0 ? 0 : 1);
  const auto int_part = digits.substr(0, digits.find('.'));
  return int_part.find_first_not_of('0') == std::string_view::npos;
}

// The first ',' in [p, end), or end. Tests eight bytes at a time (SWAR): one branch per word
// instead of one per byte, which matters for millions of 1-3 character numeric fields.
char* find_comma(char* p, char* end) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  constexpr std::uint64_t kCommas = 0x2C2C2C2C2C2C2C2CULL;
  for (; end - p >= 8; p += 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    const std::uint64_t y = word ^ kCommas;              // zero bytes where word has ','
    const std::uint64_t zero = ~(((y & kLow7) + kLow7) | y | kLow7);  // exact: no false hits
    if (zero != 0) return p + __builtin_ctzll(zero) / 8;
  }
#endif
  while (p != end && *p != ',') ++p;
  return p;
}

}  // namespace

CsvReader::CsvReader(const std::string& path) : source_(path == "-" ? kStdinName : path) {
  try {
    if (path == "-") {
      reader_ = std::make_unique<io::LineReader>(source_, std::cin);
    } else {
      reader_ = std::make_unique<io::LineReader>(source_, open_file(path));
    }
  } catch (const io::error::base& e) {
    throw DataError("cannot read '" + source_ + "': " + e.what());
  }
}

CsvReader::CsvReader(const std::string& name, std::istream& in) : source_(name) {
  try {
    reader_ = std::make_unique<io::LineReader>(source_, in);
  } catch (const io::error::base& e) {
    throw DataError("cannot read '" + source_ + "': " + e.what());
  }
}

CsvReader::~CsvReader() = default;

unsigned CsvReader::line() const { return line_; }

const std::string& CsvReader::source() const { return source_; }

char* CsvReader::next_line() {
  try {
    char* line = reader_->next_line();
    if (line != nullptr) line_ = reader_->get_file_line();
    return line;
  } catch (const io::error::line_length_limit_exceeded&) {
    throw DataError(source_ + ":" + std::to_string(line_ + 1) +
                    ": line longer than 16 MiB; is this really a CSV file?");
  } catch (const io::error::base& e) {
    throw DataError("cannot read '" + source_ + "': " + e.what());
  }
}

bool CsvReader::next(std::vector<std::string_view>& fields) {
  fields.clear();
  char* line = next_line();
  if (line == nullptr) return false;
  if (line_ == 1 && std::strncmp(line, "\xEF\xBB\xBF", 3) == 0) line += 3;
  split(line, line + std::strlen(line), fields);
  return true;
}

// Splits the line [p, end) (with *end == '\0') into fields, unescaping quoted fields in place.
void CsvReader::split(char* p, char* end, std::vector<std::string_view>& fields) const {
  for (;;) {
    // Bytes above ',' (digits, letters, '.', '-', UTF-8) cannot start a quoted field.
    if (static_cast<unsigned char>(*p) <= ',') {
      char* q = p;
      while (*q == ' ' || *q == '\t') ++q;
      if (*q == '"') {  // spaces before an opening quote are dropped
        p = split_quoted(q, fields);
        if (p == nullptr) return;
        continue;
      }
    }
    char* comma = find_comma(p, end);
    fields.emplace_back(p, static_cast<std::size_t>(comma - p));
    if (comma == end) return;
    p = comma + 1;
  }
}

// Reads the quoted field opening at p; returns the start of the next field, or nullptr at the
// end of the line.
char* CsvReader::split_quoted(char* p, std::vector<std::string_view>& fields) const {
  char* start = ++p;
  char* out = p;
  for (;;) {
    if (*p == '\0') {
      throw DataError(source_ + ":" + std::to_string(line_) + ": field " +
                      std::to_string(fields.size() + 1) +
                      ": unterminated quoted field (fields spanning lines are not supported)");
    }
    if (*p == '"') {
      if (p[1] != '"') break;
      ++p;  // a doubled quote stands for one quote
    }
    *out++ = *p++;
  }
  ++p;  // the closing quote
  fields.emplace_back(start, static_cast<std::size_t>(out - start));
  while (*p == ' ' || *p == '\t') ++p;
  if (*p == '\0') return nullptr;
  if (*p != ',') {
    throw DataError(source_ + ":" + std::to_string(line_) + ": field " +
                    std::to_string(fields.size()) + ": unexpected '" + std::string(1, *p) +
                    "' after a closing quote (quote the whole field and double inner quotes)");
  }
  return p + 1;
}

NumberStatus parse_number_status(std::string_view s, double& out) {
  std::string_view body = s;
  if (!body.empty() && body.front() == '+') {
    body.remove_prefix(1);
    if (!body.empty() && (body.front() == '-' || body.front() == '+')) {
      return NumberStatus::kNotANumber;
    }
  }
  if (body.empty()) return NumberStatus::kNotANumber;
  if (detail::parse_plain_decimal(body, out)) return NumberStatus::kOk;
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
  if (ptr != body.data() + body.size()) return NumberStatus::kNotANumber;
  if (ec == std::errc::result_out_of_range) {
    if (!is_underflow(body)) return NumberStatus::kOutOfRange;
    v = body.front() == '-' ? -0.0 : 0.0;
  } else if (ec != std::errc()) {
    return NumberStatus::kNotANumber;
  }
  if (!std::isfinite(v)) return NumberStatus::kNotFinite;
  if (std::fabs(v) > FLT_MAX) return NumberStatus::kOutOfRange;
  out = v;
  return NumberStatus::kOk;
}

std::string number_problem(NumberStatus status) {
  switch (status) {
    case NumberStatus::kOk:
      return "";
    case NumberStatus::kNotANumber:
      return " is not a number";
    case NumberStatus::kNotFinite:
      return " is not a finite number (nan and inf are not supported)";
    case NumberStatus::kOutOfRange:
      return " is out of range for float (magnitude above 3.4e38)";
  }
  return " is not a number";
}

std::string_view trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  const auto end = s.find_last_not_of(" \t");
  return s.substr(begin, end - begin + 1);
}

}  // namespace nnfit::data
