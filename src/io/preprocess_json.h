// The preprocessing section of the model file: the imputation strategy and, per input column,
// its kind, standardisation or categories, and fill:
//   {"impute": "mean",
//    "columns": [{"name": "x", "type": "numeric", "mean": 0.5, "scale": 2.0, "fill": 0.3},
//                {"name": "c", "type": "categorical", "categories": ["a", "b"], "fill": "a"}]}
// "fill" is null without imputation. Floats are written as the double of the float, which
// nlohmann::json prints in shortest round-trip form, so reading gives back the same bits.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "data/preprocess.h"

namespace nnfit::io {

nlohmann::json preprocessor_to_json(const data::Preprocessor& p);

// The inverse of preprocessor_to_json. The input may be corrupt or hostile (the model fuzzer
// feeds it): anything preprocessor_to_json would not write is a ModelError naming `source`
// ("'m.nnfit' is not a usable nnfit model: ...") and never another exception: a wrong type or
// missing key, an unknown impute strategy or column type, a number that is not finite or does
// not fit in a float, a scale that is not a positive normal float, no columns, duplicate column
// names, no or duplicate categories, a fill that is not one of the categories, or a fill that
// disagrees with the impute strategy (null exactly when it is "none").
data::Preprocessor preprocessor_from_json(const nlohmann::json& j, const std::string& source);

}  // namespace nnfit::io
