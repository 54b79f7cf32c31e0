// Paths of the repository's sample data for tests (NNFIT_SOURCE_DIR is set by
// tests/CMakeLists.txt).
#pragma once

#include <string>

namespace nnfit::test {

inline std::string data_path(const std::string& name) {
  return std::string(NNFIT_SOURCE_DIR) + "/data/" + name;
}

// tests/fixtures/NAME: files written by earlier versions of nnfit.
inline std::string fixture_path(const std::string& name) {
  return std::string(NNFIT_SOURCE_DIR) + "/tests/fixtures/" + name;
}

}  // namespace nnfit::test
