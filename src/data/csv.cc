// CSV record splitting (RFC 4180 quotes, in place) and locale-independent number parsing.
// io::LineReader does the buffered reading, in windows of the input (line_windows.h); its
// exceptions are rethrown as nnfit::DataError.
#include "data/csv.h"

#include "data/fccp.h"

#include <algorithm>
#include <atomic>
#include <cctype>
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
#include "data/byte_check.h"
#include "data/line_windows.h"

namespace nnfit::data {

namespace {

constexpr const char* kStdinName = "<stdin>";
constexpr std::size_t kMaxRecord = std::size_t{1} << 24;  // as io::LineReader's line limit

using Fields = std::vector<std::string_view>;

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

// True if s ends with suffix (given in lower case), ignoring case.
bool ends_with(const std::string& s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    const char c = s[s.size() - suffix.size() + i];
    if (std::tolower(static_cast<unsigned char>(c)) != suffix[i]) return false;
  }
  return true;
}

// The closing quote of a quoted field whose text starts at p (after the opening quote): the
// first quote in [p, end) that is not one of a doubled pair; nullptr if there is none.
const char* find_closing_quote(const char* p, const char* end) {
  for (;;) {
    p = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
    if (p == nullptr || p + 1 == end || p[1] != '"') return p;
    p += 2;
  }
}

// Collapses the doubled quotes in [p, end) in place; returns the new end.
char* collapse_quotes(char* p, char* end) {
  p = static_cast<char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
  if (p == nullptr) return end;
  char* out = p;
  while (p != end) {
    if (*p == '"') ++p;  // the first of a pair
    *out++ = *p++;
  }
  return out;
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

// Eight copies of the delimiter byte, for find_delimiter.
std::uint64_t broadcast(char delimiter) {
  return 0x0101010101010101ULL * static_cast<unsigned char>(delimiter);
}

// The first delimiter in [p, end), or end; pattern is broadcast(delimiter). Tests eight bytes at a
// time (SWAR): one branch per word instead of one per byte, which matters for millions of 1-3
// character numeric fields.
char* find_delimiter(char* p, char* end, char delimiter, std::uint64_t pattern) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  for (; end - p >= 8; p += 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    const std::uint64_t y = word ^ pattern;                           // zero bytes at delimiters
    const std::uint64_t zero = ~(((y & kLow7) + kLow7) | y | kLow7);  // exact: no false hits
    if (zero != 0) return p + __builtin_ctzll(zero) / 8;
  }
#else
  (void)pattern;
#endif
  while (p != end && *p != delimiter) ++p;
  return p;
}

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t") == line.npos; }

// True if line has no quote character and count - 1 delimiters: split() would cut it at each.
bool is_plain(std::string_view line, char delimiter, std::size_t count) {
  if (std::memchr(line.data(), '"', line.size()) != nullptr) return false;
  std::size_t delimiters = 0;
  for (std::size_t i = 0; i < line.size(); i += 255) {  // a byte counts 255, and vectorizes
    const std::size_t n = std::min<std::size_t>(255, line.size() - i);
    unsigned char block = 0;
    for (std::size_t k = 0; k < n; ++k) block += line[i + k] == delimiter;
    delimiters += block;
  }
  return delimiters + 1 == count;
}

}  // namespace

char resolve_delimiter(char requested, const std::string& path, std::string_view first_line) {
  if (requested != 0) return requested;
  if (ends_with(path, ".tsv")) return '\t';
  static constexpr char kCandidates[] = {',', ';', '\t', '|'};
  bool seen[4] = {};
  bool quoted = false;
  for (char c : first_line) {
    if (c == '"') quoted = !quoted;
    for (int k = 0; k < 4; ++k) seen[k] = seen[k] || (!quoted && c == kCandidates[k]);
  }
  const int count = seen[0] + seen[1] + seen[2] + seen[3];
  if (count != 1) return ',';
  for (int k = 0; k < 4; ++k) {
    if (seen[k]) return kCandidates[k];
  }
  return ',';
}

std::string delimiter_name(char delimiter) {
  return delimiter == '\t' ? "tab" : "'" + std::string(1, delimiter) + "'";
}

CsvReader::CsvReader(const std::string& path, const CsvOptions& options)
    : source_(path == "-" ? kStdinName : path),
      requested_delimiter_(options.delimiter),
      decimal_(options.decimal) {
  try {
    if (path == "-") {
      open(std::make_unique<::io::detail::NonOwningIStreamByteSource>(std::cin));
    } else {
      open(std::make_unique<::io::detail::OwningStdIOByteSourceBase>(open_file(path)));
      std::error_code ec;
      if (std::filesystem::is_regular_file(path, ec)) size_ = std::filesystem::file_size(path, ec);
      if (ec) size_ = 0;
    }
  } catch (const ::io::error::base& e) {
    throw DataError("cannot read '" + source_ + "': " + e.what());
  }
}

CsvReader::CsvReader(const std::string& name, std::istream& in, const CsvOptions& options)
    : source_(name), requested_delimiter_(options.delimiter), decimal_(options.decimal) {
  try {
    open(std::make_unique<::io::detail::NonOwningIStreamByteSource>(in));
  } catch (const ::io::error::base& e) {
    throw DataError("cannot read '" + source_ + "': " + e.what());
  }
}

CsvReader::~CsvReader() = default;

void CsvReader::set_delimiter(char d) {
  delimiter_ = d;
  resolved_ = true;
  if (decimal_ == ',' && d == ',') {
    throw ConfigError(source_ +
                      ": --decimal , reads '5,1' as 5.1, so ',' cannot also separate "
                      "the fields" +
                      (requested_delimiter_ == 0 ? " (detected as the delimiter)" : "") +
                      "; pass the file's delimiter, e.g. --delimiter ';'");
  }
}

void CsvReader::open(std::unique_ptr<::io::ByteSourceBase> in) {
  const char d = requested_delimiter_;
  if (d == '"' || d == '\n' || d == '\r' || d == ' ') {
    throw ConfigError("invalid CSV delimiter " + delimiter_name(d) + " (use ',', ';', '|' or tab)");
  }
  if (decimal_ != '.' && decimal_ != ',') {
    throw ConfigError("invalid decimal mark '" + std::string(1, decimal_) + "' (use '.' or ',')");
  }
  if (d != 0 || ends_with(source_, ".tsv")) {
    set_delimiter(resolve_delimiter(d, source_, ""));
  }
  bytes_ = std::make_unique<detail::ByteCheck>();
  windows_ =
      std::make_unique<detail::LineWindows>(detail::make_checking_source(std::move(in), *bytes_));
  reader_ = windows_->next(source_);  // reads the first window, which notes a BOM
  offset_ = bytes_->bom ? 3 : 0;
}

unsigned CsvReader::line() const { return line_; }

const std::string& CsvReader::source() const { return source_; }

char CsvReader::delimiter() const { return delimiter_; }

bool CsvReader::next_line(Line& line) {
  char* p = nullptr;
  try {
    p = reader_ != nullptr ? reader_->next_line() : nullptr;
    while (p == nullptr) {  // on to the next window, this one's buffer freed first
      reader_.reset();
      reader_ = windows_->next(source_);
      if (reader_ == nullptr) return false;
      // A BOM that this reader skipped is text of the line (see LineWindows::start).
      if (reader_->next_line() != nullptr) p = windows_->start();
    }
  } catch (const ::io::error::line_length_limit_exceeded&) {
    throw DataError(source_ + ":" + std::to_string(physical_line_ + 1) +
                    ": line longer than 16 MiB; is this really a CSV file?");
  } catch (const ::io::error::base& e) {
    throw DataError("cannot read '" + source_ + "': " + e.what());
  }
  ++physical_line_;
  line = {p, p + std::strlen(p)};
  check_bytes(line);
  return true;
}

// io::LineReader returns the line NUL-terminated in place of its '\n' (and of a '\r' before
// it), so strlen stops at the first NUL: tracking the input offset of each line tells whether
// that NUL is the first one in the input. The offset after the line is its end plus the '\n',
// plus one if *end was a '\r' (then end[1] is the '\n', also NUL now).
void CsvReader::check_bytes(const Line& line) {
  const auto length = static_cast<unsigned long long>(line.end - line.begin);
  const unsigned long long nul = bytes_->first_nul.load(std::memory_order_relaxed);
  if (nul == offset_ + length) {
    throw DataError(source_ + ":" + std::to_string(physical_line_) +
                    ": NUL byte (binary file?) at byte column " + std::to_string(length + 1) +
                    "; expected a UTF-8 text CSV file");
  }
  if (bytes_->first_high.load(std::memory_order_relaxed) < offset_ + length) {
    const auto* p = reinterpret_cast<const unsigned char*>(line.begin);
    const std::ptrdiff_t bad = detail::invalid_utf8(p, p + length);
    if (bad >= 0) {
      throw DataError(source_ + ":" + std::to_string(physical_line_) +
                      ": invalid UTF-8 at byte column " + std::to_string(bad + 1) +
                      "; save the file as UTF-8 (or is it not a text CSV file?)");
    }
  }
  const bool crlf = line.end[1] == '\0' && nul != offset_ + length + 1;
  offset_ += length + 1 + crlf;
}

bool CsvReader::next(Fields& fields) {
  std::string_view plain;
  return next(fields, 0, plain);
}

bool CsvReader::next(Fields& fields, std::size_t count, std::string_view& plain) {
  plain = {};
  Line l;
  if (!next_line(l)) return false;
  line_ = physical_line_;
  const std::string_view text(l.begin, static_cast<std::size_t>(l.end - l.begin));
  if (!resolved_ && !is_blank(text)) {
    set_delimiter(resolve_delimiter(0, source_, text));
  }
  if (count >= 2 && is_plain(text, delimiter_, count)) {
    plain = text;
    return true;
  }
  fields.clear();
  char* open_quote = split(l.begin, l.end, fields);
  if (open_quote != nullptr) read_multiline(open_quote, l.end, fields);
  return true;
}

// Splits the line [p, end) into fields, unescaping quoted fields in place. Returns nullptr, or
// the opening quote of a quoted field that the line ends inside (`fields` holds those before).
char* CsvReader::split(char* p, char* end, Fields& fields) const {
  const char delimiter = delimiter_;  // locals: not reloaded after each emplace_back
  const std::uint64_t pattern = broadcast(delimiter);
  for (;;) {
    // Bytes above ',' (digits, letters, '.', '-', UTF-8) cannot start a quoted field.
    if (static_cast<unsigned char>(*p) <= ',') {
      char* q = p;
      while (is_space(*q)) ++q;
      if (*q == '"') {  // spaces before an opening quote are dropped
        p = split_quoted(q, end, fields);
        if (p == q) return q;
        if (p == nullptr) return nullptr;
        continue;
      }
    }
    char* next = find_delimiter(p, end, delimiter, pattern);
    fields.emplace_back(p, static_cast<std::size_t>(next - p));
    if (next == end) return nullptr;
    p = next + 1;
  }
}

// Reads the quoted field opening at p; returns the start of the next field, nullptr at the end
// of the line, or p itself (nothing changed) if the line ends inside the quotes.
char* CsvReader::split_quoted(char* p, char* end, Fields& fields) const {
  char* close = const_cast<char*>(find_closing_quote(p + 1, end));
  if (close == nullptr) return p;
  fields.emplace_back(p + 1, static_cast<std::size_t>(collapse_quotes(p + 1, close) - (p + 1)));
  p = close + 1;
  while (is_space(*p)) ++p;
  if (p == end) return nullptr;
  if (*p != delimiter_) throw after_quote_error(*p, fields.size());
  return p + 1;
}

DataError CsvReader::after_quote_error(char c, std::size_t field) const {
  return DataError(source_ + ":" + std::to_string(line_) + ": field " + std::to_string(field) +
                   ": unexpected '" + std::string(1, c) +
                   "' after a closing quote (quote the whole field and double inner quotes)");
}

// A record with a quoted field (opening at `quote`) that continues on the following lines: the
// fields so far and the raw rest go to owned strings (the next line may move the line buffer),
// lines are joined with '\n' until every quote is closed, and `fields` is re-pointed into
// fields_text_. Only the new text is scanned for the closing quote, so a long field is linear.
void CsvReader::read_multiline(char* quote, char* end, Fields& fields) {
  fields_text_.clear();
  bounds_.clear();
  for (auto f : fields) {
    fields_text_ += f;
    bounds_.push_back(fields_text_.size());
  }
  record_.assign(quote, end);
  std::size_t open = 0, scanned = 1;  // no closing quote for record_[open] in [open + 1, scanned)
  for (;;) {
    Line l;
    if (!next_line(l)) throw unterminated_error(bounds_.size() + 1);
    record_ += '\n';
    record_.append(l.begin, l.end);
    if (record_.size() > kMaxRecord) {
      throw DataError(source_ + ":" + std::to_string(line_) +
                      ": record longer than 16 MiB; is a quote left open?");
    }
    if (find_closing_quote(record_.data() + scanned, record_.data() + record_.size()) == nullptr) {
      scanned = record_.size();
      continue;
    }
    open = split_record(open);
    if (open == std::string::npos) break;
    scanned = open + 1;
  }
  fields.clear();
  std::size_t begin = 0;
  for (std::size_t b : bounds_) {
    fields.emplace_back(fields_text_.data() + begin, b - begin);
    begin = b;
  }
}

// Splits record_ from pos (a field start) into fields_text_ / bounds_; returns npos, or the
// position of the opening quote of a field that is not closed yet (not split).
std::size_t CsvReader::split_record(std::size_t pos) {
  const char* text = record_.data();
  const std::size_t n = record_.size();
  for (;;) {
    std::size_t q = pos;
    while (q < n && is_space(text[q])) ++q;
    std::size_t next = pos;
    if (q < n && text[q] == '"') {
      const char* close = find_closing_quote(text + q + 1, text + n);
      if (close == nullptr) return q;
      const std::size_t at = fields_text_.size();
      fields_text_.append(text + q + 1, close);
      char* out = fields_text_.data() + at;
      fields_text_.resize(at + (collapse_quotes(out, out + (close - text - q - 1)) - out));
      bounds_.push_back(fields_text_.size());
      next = static_cast<std::size_t>(close - text) + 1;
      while (next < n && is_space(text[next])) ++next;
      if (next == n) return std::string::npos;
      if (text[next] != delimiter_) throw after_quote_error(text[next], bounds_.size());
    } else {
      next = std::min(record_.find(delimiter_, pos), n);
      fields_text_.append(text + pos, text + next);
      bounds_.push_back(fields_text_.size());
      if (next == n) return std::string::npos;
    }
    pos = next + 1;
  }
}

DataError CsvReader::unterminated_error(std::size_t field) const {
  return DataError(source_ + ":" + std::to_string(line_) + ": field " + std::to_string(field) +
                   ": unterminated quoted field (its closing quote is missing; quotes inside a "
                   "quoted field must be doubled)");
}

float detail::reparse_float(std::string_view s, float fallback) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  float f = 0.0f;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), f);
  return ec == std::errc() && ptr == s.data() + s.size() ? f : fallback;
}

bool underflows_float(std::string_view s, double v) {
  if (to_float(s, v) != 0.0f) return false;
  if (v != 0.0) return true;
  const auto mantissa = s.substr(0, s.find_first_of("eE"));
  return mantissa.find_first_of("123456789") != std::string_view::npos;
}

std::string swap_decimal_mark(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = c == ',' ? '.' : c == '.' ? ',' : c;
  return out;
}

NumberStatus parse_number_status(std::string_view s, double& out, char decimal) {
  return decimal == ',' ? parse_number_status(swap_decimal_mark(s), out)
                        : parse_number_status(s, out);
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
  // Just above FLT_MAX is still FLT_MAX for strtof (e.g. "3.4028235e38", FLT_MAX to 8 digits).
  if (std::fabs(v) > FLT_MAX) {
    float f = 0.0f;
    const auto [end, error] = std::from_chars(body.data(), body.data() + body.size(), f);
    if (error != std::errc() || end != body.data() + body.size()) return NumberStatus::kOutOfRange;
  }
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
