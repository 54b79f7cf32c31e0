// Small helpers for the text of data error messages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nnfit::data {

// 'value' in single quotes.
inline std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// s in single quotes as the shell reads them back: 'Release Date', 'it'\''s'.
inline std::string shell_quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// s as one shell word for a suggested command line: as it is when plain (letters, digits,
// _ - . / : @ + =), else in single quotes, an inner quote written '\''.
inline std::string shell_word(std::string_view s) {
  bool plain = !s.empty();
  for (char c : s) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    plain = plain && (alnum || std::string_view("_-./:@+=").find(c) != std::string_view::npos);
  }
  return plain ? std::string(s) : shell_quoted(s);
}

// "'a', 'b', 'c'", at most 20 names then ", ... (N in all)".
inline std::string list_names(const std::vector<std::string>& names) {
  constexpr std::size_t kMaxListed = 20;
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kMaxListed; ++i) {
    // Qualified: for a std::string argument, ADL would otherwise pick std::quoted (<iomanip>).
    out += (i ? ", " : "") + data::quoted(names[i]);
  }
  if (names.size() > kMaxListed) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

}  // namespace nnfit::data
