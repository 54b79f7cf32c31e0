// Recognising a model file before judging it: a file nnfit did not write (a CSV, an
// executable, some other JSON) gets "not an nnfit model", and only a file that is, or was, an
// nnfit model gets "corrupt" when its checksum fails.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace nnfit::io {

// "" if text is an nnfit model file, possibly damaged: JSON carrying "format": "nnfit-model",
// or text that does not parse but starts like one (a truncated file). Otherwise what text looks
// like, for the error message: "an empty file", "an executable (ELF)", "binary data", "CSV text,
// first line 'a,b,c'", "JSON without \"format\": \"nnfit-model\"", ...
// parsed: text's JSON value, or null if text does not parse as JSON.
std::string unrecognised_model(std::string_view text, const nlohmann::json* parsed);

}  // namespace nnfit::io
