// Helpers shared by the CSV reading tests (tests/data).
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "data/csv.h"

// haystack contains needle; shows haystack when not.
#define EXPECT_HAS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

namespace nnfit::test {

// The DataError message of f(), or "" if it returned.
template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

// Options whose warnings are appended to *warnings.
inline data::CsvOptions collecting(std::vector<std::string>* warnings) {
  data::CsvOptions options;
  options.warn = [warnings](const std::string& message) { warnings->push_back(message); };
  return options;
}

}  // namespace nnfit::test
