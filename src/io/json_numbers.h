// Integers from JSON without json::get's silent conversions: shared by the model readers.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "core/error.h"
#include "core/types.h"

namespace nnfit::io::detail {

// An integer of type T. Unlike json::get, never converts a float (undefined behaviour when it is
// out of T's range) and never wraps; throws ConfigError, which the loader names the file in.
template <typename T>
T integer_from_json(const nlohmann::json& v) {
  bool fits = v.is_number_integer();
  if (fits && v.is_number_unsigned()) {
    fits = v.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
  } else if (fits) {
    const std::int64_t x = v.get<std::int64_t>();
    fits = std::is_signed_v<T> ? x >= static_cast<std::int64_t>(std::numeric_limits<T>::min()) &&
                                     x <= static_cast<std::int64_t>(std::numeric_limits<T>::max())
                               : x >= 0;
  }
  if (!fits) {
    const std::string got = v.is_number() ? v.dump() : v.type_name();
    throw ConfigError("expected an integer in range, got " + got);
  }
  return v.get<T>();
}

inline std::vector<Index> indices_from_json(const nlohmann::json& a) {
  if (!a.is_array()) {
    throw ConfigError(std::string("expected an array of integers, got ") + a.type_name());
  }
  std::vector<Index> out;
  for (const nlohmann::json& v : a) out.push_back(integer_from_json<Index>(v));
  return out;
}

}  // namespace nnfit::io::detail
