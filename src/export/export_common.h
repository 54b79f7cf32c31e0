// What the ONNX and C exporters share: the checks that a model can be exported, the Dense
// layers' weights in row-major order, and the cell texts that read as missing.
#pragma once

#include <string>
#include <vector>

#include "model/model.h"

namespace nnfit::exporting {

// One Dense layer: y = W x + b, W (out, in) row-major (W[o * in + i]).
struct DenseLayer {
  Index in = 0, out = 0;
  std::vector<float> weights;
  std::vector<float> bias;
};

// ModelError naming `format` and the reason if m cannot be exported faithfully: weights that are
// not finite (a diverged training), a parameter count or output layer that does not fit the
// task, a column whose fill or category count is invalid.
void check_exportable(const model::Model& m, const std::string& format);
// m's Dense layers in order (the last one gives the logits).
std::vector<DenseLayer> dense_layers(const model::Model& m);
// The cell texts (already trimmed) nnfit reads as missing: "" and the model's --na-values.
std::vector<std::string> missing_tokens(const std::vector<std::string>& na_values);
// One paragraph saying what the exported pipeline computes (task, columns, network, outputs).
std::string pipeline_summary(const model::Model& m);

}  // namespace nnfit::exporting
