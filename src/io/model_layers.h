// The model file's "layers" member: one object per Dense layer with its weights and bias.
//   version 3: {"type": "dense", "inputs": IN, "outputs": OUT, "activation": NAME,
//               "weights": {"shape": [OUT, IN], "order": "column-major", "dtype": "float32-le",
//                           "base64": "..."},
//               "bias": {"shape": [OUT], "dtype": "float32-le", "base64": "..."}}
//     the base64 of the little-endian IEEE-754 float32 values: 5.3 bytes per parameter, read at
//     the speed of the disk, bit-exact by construction.
//   versions 1 and 2: "weights" is one JSON array per output unit (row), "bias" an array, the
//     numbers in shortest round-trip decimal form (about 13 bytes per parameter).
// Internal to io/model_io.cc.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/model.h"

namespace nnfit::io::detail {

[[noreturn]] void bad_model(const std::string& source, const std::string& what);
// A finite JSON number that fits in a Scalar (narrowing an out-of-range double is undefined).
Scalar scalar_from_json(const nlohmann::json& v, const std::string& source);

// The "layers" member (version 3) of m, as the model file's text: starts with two spaces, ends
// with ",\n".
std::string layers_text(const model::Model& m);
// Fills m.params from a file's "layers" of the given version, after checking every shape and
// length against m.spec (before anything is allocated from the sizes the file claims).
void read_layers(const nlohmann::json& layers, int version, model::Model& m,
                 const std::string& source);

}  // namespace nnfit::io::detail
