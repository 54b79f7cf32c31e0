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

// Returns the dataset's feature names (read_features then reads the same columns).
std::vector<std::string> load_dataset(const std::string& bytes) {
  std::istringstream in(bytes);
  const data::Dataset d = data::read_dataset("fuzz.csv", in, "");
  const data::TargetEncoding enc = data::fit_target(d, data::Task::kAuto);
  data::encode_target(d, enc);
  return d.feature_names;
}

void read_features(const std::string& bytes, const std::vector<std::string>& names) {
  std::istringstream in(bytes);
  std::vector<unsigned> lines;
  data::read_features("fuzz.csv", in, names, &lines);
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
  std::vector<std::string> names;
  expect_ok_or_error([&] { names = load_dataset(bytes); });
  if (!names.empty()) expect_ok_or_error([&] { read_features(bytes, names); });
  return 0;
}
