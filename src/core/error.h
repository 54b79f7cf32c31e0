// The library's one error mechanism: exceptions derived from nnfit::Error.
// The CLI maps them to exit codes; the library never prints or exits.
#pragma once

#include <stdexcept>
#include <string>

namespace nnfit {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Bad input data (CSV contents, schema mismatch, missing file). Exit code 1.
struct DataError : Error {
  using Error::Error;
};
// Invalid configuration value or combination. Exit code 2.
struct ConfigError : Error {
  using Error::Error;
};
// Unreadable, corrupt or incompatible model file. Exit code 1.
struct ModelError : Error {
  using Error::Error;
};
// Loss became NaN/Inf and could not be recovered. Exit code 3.
struct TrainingDiverged : Error {
  using Error::Error;
};

}  // namespace nnfit
