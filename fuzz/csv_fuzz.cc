// libFuzzer target: the input bytes as a CSV file, through the record splitter, the dataset
// loader, the target encoding and the prediction-time feature reader. nnfit::Error is the
// expected outcome for bad input; any other exception, crash or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "data/csv.h"
#include "data/dataset.h"
#include "data/target.h"

namespace {

namespace data = nnfit::data;

void split_all(const std::string& bytes) {
  std::istringstream in(bytes);
  data::CsvReader reader("fuzz.csv", in);
  std::vector<std::string_view> fields;
  while (reader.next(fields)) {
  }
}

// Missing values allowed, so that the imputation paths are reached too.
data::CsvOptions fuzz_options() {
  data::CsvOptions o;
  o.allow_missing = true;
  o.na_values = {"NA", "?"};
  return o;
}

// Returns the dataset (read_features then reads the same columns against its schema).
data::Dataset load_dataset(const std::string& bytes) {
  std::istringstream in(bytes);
  data::Dataset d = data::read_dataset("fuzz.csv", in, "", fuzz_options());
  const data::TargetEncoding enc = data::fit_target(d, data::Task::kAuto);
  data::encode_target(d, enc);
  return d;
}

void read_features(const std::string& bytes, const data::Dataset& train) {
  data::CsvOptions o = fuzz_options();
  for (std::size_t f = 0; f < train.feature_names.size(); ++f) {
    if (train.categorical[f]) o.categorical.push_back(train.feature_names[f]);
  }
  std::istringstream in(bytes);
  data::read_features("fuzz.csv", in, train.feature_names, o);
}

// Runs f; nnfit::Error is a fine outcome, anything else propagates and aborts the fuzzer.
template <typename F>
void expect_ok_or_error(F&& f) {
  try {
    f();
  } catch (const nnfit::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  expect_ok_or_error([&] { split_all(bytes); });
  // Each reader costs a 48 MB buffer (io::LineReader), slow under ASan: read_features only
  // for inputs that load, where it has real column names to match.
  data::Dataset d;
  expect_ok_or_error([&] { d = load_dataset(bytes); });
  if (!d.feature_names.empty()) expect_ok_or_error([&] { read_features(bytes, d); });
  return 0;
}
