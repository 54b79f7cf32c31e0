// ONNX export of a whole model: the preprocessing (imputation, standardisation, one-hot encoding
// of text columns), the network and its output layer, as one graph built with the ONNX project's
// own protobuf classes (libonnx-dev) and checked with its checker and shape inference.
//
// The graph (opset 13 of the default domain, opset 2 of ai.onnx.ml; IR version 8):
//   inputs    one per model column, named after the CSV column, in the model's column order:
//             numeric columns float [N, 1] (NaN = missing), text columns string [N, 1] (the
//             cell as nnfit's reader sees it: trimmed, unquoted).
//   numeric   Concat in column order, then ai.onnx.ml Imputer (NaN -> fill, when the model imputes),
//             Sub(mean), Div(scale): the same float arithmetic as nnfit.
//   text      ai.onnx.ml LabelEncoder (category -> slot; "" and the model's --na-values ->
//             the imputed category's slot when the model imputes; anything else -> -1), then
//             ai.onnx.ml OneHotEncoder (zeros=1: -1, an unseen category, encodes as all
//             zeros, as nnfit does).
//   network   Gemm per Dense layer (transB=1), Relu / Tanh / Sigmoid per hidden layer.
//   outputs   classifiers: "label" string [N] (the class name, chosen as nnfit predict
//             chooses it) and "probabilities" float [N, K] in the model's class order (two
//             classes: both columns, 1 - p and p, as nnfit predict --proba prints them);
//             regression: "variable" float [N, 1] in target units (y * scale + mean in
//             double, as nnfit does).
#pragma once

#include <string>

#include "model/model.h"

namespace nnfit::exporting {

inline constexpr int kOnnxOpset = 13;    // default domain (ai.onnx)
inline constexpr int kOnnxMlOpset = 2;   // ai.onnx.ml (LabelEncoder v2, OneHotEncoder v1)
inline constexpr int kOnnxIrVersion = 8;

// The serialized ONNX ModelProto of m. ModelError if m cannot be exported faithfully: weights
// that are not finite, a column with an empty name or a name the graph uses itself ("label",
// "probabilities", "variable", or starting with "nnfit/"). A graph that fails the ONNX checker
// or shape inference is an Error (an exporter bug), never written.
std::string onnx_model(const model::Model& m);

}  // namespace nnfit::exporting
