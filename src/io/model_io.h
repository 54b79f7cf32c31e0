// The model file: a versioned, self-describing JSON document (format name and version,
// preprocessing, class names, architecture, hyper-parameters, seed, metrics, then the weights
// per layer, one row per output unit, then a checksum). Floats are written in their shortest
// round-trip form, so loading gives bit-identical parameters. Files are written atomically.
#pragma once

#include <string>
#include <string_view>

#include "io/atomic_file.h"  // write_file_atomically
#include "io/checksum.h"
#include "model/model.h"

namespace nnfit::io {

inline constexpr const char* kModelFormat = "nnfit-model";
// 2: "features" holds the preprocessing (column kinds, categories, imputation). Version 1 files
// (numeric columns: names, mean, scale) are still read.
inline constexpr int kModelVersion = 2;

// The model as text (deterministic: the same model gives the same bytes). The last member is
//   "checksum": "crc32:XXXXXXXX"
// on a line of its own, followed only by the closing "}\n". XXXXXXXX is checksum_of (all bytes
// of the file before that line).
std::string model_to_string(const model::Model& m);
// Verifies the checksum first (before any JSON parsing), then parses and checks the document.
// Throws ModelError naming `source` and what is wrong: "'m.nnfit' is corrupt: checksum mismatch
// ..." for a truncated or edited file, "... no checksum ..." if the checksum line is missing.
model::Model model_from_string(const std::string& text, const std::string& source);


void save_model(const model::Model& m, const std::string& path);
model::Model load_model(const std::string& path);  // throws ModelError

nlohmann::json options_to_json(const train::TrainOptions& opt);
train::TrainOptions options_from_json(const nlohmann::json& j);

}  // namespace nnfit::io
