// libFuzzer target: the input bytes as a model file, twice. As given (the checksum check must
// reject damage cleanly), and re-sealed with a valid checksum line appended, so the JSON and
// model checks behind the checksum get fuzzed too. A model that loads must predict, and save and
// load again to the same bytes. nnfit::Error is fine; any other exception, crash or sanitizer
// report is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "io/model_io.h"
#include "model/model.h"

namespace {

namespace io = nnfit::io;
namespace model = nnfit::model;
namespace data = nnfit::data;

// `body` + a checksum line over `body` + "\n" + the closing brace, as model_to_string ends.
std::string seal(const std::string& body) {
  const std::string covered = body + "\n";
  return covered + "  \"checksum\": \"" + io::checksum_of(covered) + "\"\n}\n";
}

// Two rows for m's columns: 0 in a numeric column, the first category in a categorical one.
data::Dataset zero_rows(const model::Model& m) {
  data::Dataset d;
  d.source = "fuzz.csv";
  for (const data::FeatureColumn& c : m.features.columns) {
    d.feature_names.push_back(c.name);
    d.feature_columns.push_back(d.feature_columns.size());
    d.categorical.push_back(c.categorical);
    d.categories.push_back(c.categories);
  }
  d.x = nnfit::Matrix::Zero(static_cast<nnfit::Index>(d.feature_names.size()), 2);
  d.lines = {2, 3};
  return d;
}

void load_and_resave(const std::string& text) {
  model::Model m;
  try {
    m = io::model_from_string(text, "fuzz.nnfit");
  } catch (const nnfit::Error&) {
    return;
  }
  model::prediction_labels(m, model::predict_outputs(m, zero_rows(m)));
  const std::string saved = io::model_to_string(m);
  if (io::model_to_string(io::model_from_string(saved, "resaved.nnfit")) != saved) {
    __builtin_trap();  // a loaded model must round-trip exactly
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  load_and_resave(bytes);
  load_and_resave(seal(bytes));
  return 0;
}
