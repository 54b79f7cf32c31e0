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

// `body` + a checksum line over `body` + "\n" + the closing brace, as model_to_string ends.
std::string seal(const std::string& body) {
  const std::string covered = body + "\n";
  return covered + "  \"checksum\": \"" + io::checksum_of(covered) + "\"\n}\n";
}

void load_and_resave(const std::string& text) {
  model::Model m;
  try {
    m = io::model_from_string(text, "fuzz.nnfit");
  } catch (const nnfit::Error&) {
    return;
  }
  const nnfit::Matrix x = nnfit::Matrix::Zero(m.spec.inputs, 2);
  model::prediction_labels(m, model::predict_outputs(m, x));
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
