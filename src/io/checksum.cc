// CRC-32 and the checksum line of model files.
#include "io/checksum.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>

namespace nnfit::io {
namespace {

constexpr std::string_view kChecksumKey = "\"checksum\"";
constexpr std::string_view kChecksumPrefix = "\"crc32:";
constexpr std::string_view kBlank = " \t\r\n";

std::uint32_t crc32(std::string_view bytes) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFu;
  for (const char ch : bytes) c = table[(c ^ static_cast<unsigned char>(ch)) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::size_t skip_spaces(std::string_view text, std::size_t p) {
  while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
  return p;
}

// Finds the last line of the form `"checksum": "crc32:XXXXXXXX"` (leading spaces allowed).
// Returns its value with the hex digits lowercased, or "" if there is none; sets `begin` to the
// offset where the line starts and `end` to just past the value's closing quote.
std::string find_checksum(std::string_view text, std::size_t& begin, std::size_t& end) {
  const std::size_t key = text.rfind(kChecksumKey);
  if (key == std::string_view::npos) return "";
  const std::size_t newline = key == 0 ? std::string_view::npos : text.rfind('\n', key - 1);
  begin = newline == std::string_view::npos ? 0 : newline + 1;
  if (skip_spaces(text, begin) != key) return "";
  std::size_t p = skip_spaces(text, key + kChecksumKey.size());
  if (p == text.size() || text[p] != ':') return "";
  p = skip_spaces(text, p + 1);
  if (text.substr(p, kChecksumPrefix.size()) != kChecksumPrefix || text.size() < p + 16 ||
      text[p + 15] != '"') {
    return "";
  }
  std::string value(text.substr(p + 1, 14));
  for (std::size_t i = 6; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (!std::isxdigit(c)) return "";
    value[i] = static_cast<char>(std::tolower(c));
  }
  end = p + 16;
  return value;
}

}  // namespace

std::string checksum_of(std::string_view bytes) {
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(crc32(bytes)));
  return std::string("crc32:") + hex;
}

ChecksumStatus check_checksum(std::string_view text) {
  std::size_t begin = 0, end = 0;
  const std::string value = find_checksum(text, begin, end);
  if (value.empty()) return ChecksumStatus::kMissing;
  const std::size_t brace = text.find_first_not_of(kBlank, end);
  const bool closed = brace != std::string_view::npos && text[brace] == '}' &&
                      text.find_first_not_of(kBlank, brace + 1) == std::string_view::npos;
  return closed && checksum_of(text.substr(0, begin)) == value ? ChecksumStatus::kOk
                                                                : ChecksumStatus::kMismatch;
}

}  // namespace nnfit::io
