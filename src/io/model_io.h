// The model file: a versioned, self-describing JSON document (format name and version,
// preprocessing, class names, architecture, hyper-parameters, seed, metrics, then the weights
// per layer as base64 float32 (io/model_layers.h), then a checksum). Loading gives
// bit-identical parameters. Files are written atomically.
#pragma once

#include <string>
#include <string_view>

#include "io/atomic_file.h"  // write_file_atomically
#include "io/checksum.h"
#include "model/model.h"

namespace nnfit::io {

inline constexpr const char* kModelFormat = "nnfit-model";
// 3: the weights are base64 of little-endian float32 arrays (about 5.3 bytes per parameter).
// 2: "features" holds the preprocessing (column kinds, categories, imputation), the weights
// are JSON numbers. Versions 1 (numeric columns: names, mean, scale) and 2 are still read.
inline constexpr int kModelVersion = 3;

// The model as text (deterministic: the same model gives the same bytes). The last member is
//   "checksum": "crc32:XXXXXXXX"
// on a line of its own, followed only by the closing "}\n". XXXXXXXX is checksum_of (all bytes
// of the file before that line).
std::string model_to_string(const model::Model& m);
// Recognises the file first (io/model_recognise.h), then verifies the checksum, then checks
// and reads the document. Throws ModelError naming `source` and what is wrong: "'m.csv' is not
// an nnfit model (CSV text, ...)" for a file nnfit did not write, "'m.nnfit' is corrupt:
// checksum mismatch ..." for a truncated or edited one, "... no checksum ..." if the checksum
// line is missing. version (may be null) receives the file's format version.
model::Model model_from_string(const std::string& text, const std::string& source,
                               int* version = nullptr);
// Everything but the layers and the checksum: the sections `nnfit inspect` shows.
nlohmann::json model_header(const model::Model& m);

void save_model(const model::Model& m, const std::string& path);
// Throws ModelError ("... is a directory", "cannot open model ...", or as model_from_string).
model::Model load_model(const std::string& path, int* version = nullptr);

nlohmann::json options_to_json(const train::TrainOptions& opt);
train::TrainOptions options_from_json(const nlohmann::json& j);

}  // namespace nnfit::io
