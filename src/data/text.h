// Small helpers for the text of data error messages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nnfit::data {

// 'value' in single quotes.
inline std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

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
