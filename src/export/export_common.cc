// Checks and layouts shared by the exporters.
#include "export/export_common.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "data/text.h"
#include "nn/network.h"

namespace nnfit::exporting {
namespace {

[[noreturn]] void refuse(const std::string& format, const std::string& why) {
  throw ModelError("cannot export to " + format + ": " + why);
}

// The output layer a task needs (model::set_output), so an odd model is refused, not mistranslated.
bool output_fits(const model::Model& m) {
  if (m.target.task == data::Task::kRegression) {
    return m.spec.outputs == 1 && m.spec.loss == nn::LossKind::kSquaredError;
  }
  const std::size_t k = m.target.classes.size();
  if (k == 2) return m.spec.outputs == 1 && m.spec.loss == nn::LossKind::kSigmoidBce;
  return k > 2 && m.spec.outputs == static_cast<Index>(k) &&
         m.spec.loss == nn::LossKind::kSoftmaxNll;
}

void check_column(const data::FeatureColumn& c, const std::string& format) {
  if (c.categorical && c.categories.empty()) {
    refuse(format, "text column " + data::quoted(c.name) + " has no categories");
  }
  if (std::isnan(c.fill)) return;
  const bool ok = c.categorical ? c.fill >= 0 && c.fill == std::floor(c.fill) &&
                                      c.fill < static_cast<double>(c.categories.size())
                                : std::isfinite(static_cast<float>(c.fill));
  if (!ok) refuse(format, "column " + data::quoted(c.name) + " has an invalid fill value");
}

}  // namespace

void check_exportable(const model::Model& m, const std::string& format) {
  if (!m.params.allFinite()) {
    refuse(format, "the model's weights are not finite (NaN or infinite): it was saved by a "
                   "diverged training; train it again with a smaller --lr");
  }
  if (!output_fits(m)) {
    refuse(format, "the model's output layer (" + std::to_string(m.spec.outputs) + " outputs, loss " +
                       nn::loss_name(m.spec.loss) + ") does not fit its task; the file is damaged");
  }
  if (m.spec.inputs != m.features.output_size()) {
    refuse(format, "the network takes " + std::to_string(m.spec.inputs) +
                       " inputs but the preprocessing gives " +
                       std::to_string(m.features.output_size()) + "; the file is damaged");
  }
  if (m.features.columns.empty()) refuse(format, "the model has no input columns");
  for (const data::FeatureColumn& c : m.features.columns) check_column(c, format);
  if (nn::Network(m.spec).param_count() != m.params.size()) {
    refuse(format, "the parameter count does not fit the architecture; the file is damaged");
  }
}

std::vector<DenseLayer> dense_layers(const model::Model& m) {
  const nn::Network net(m.spec);
  std::vector<DenseLayer> layers;
  for (const nn::WeightBlock& b : net.weight_blocks()) {
    DenseLayer l;
    l.out = b.rows;
    l.in = b.cols;
    l.weights.resize(static_cast<std::size_t>(b.rows * b.cols));
    for (Index o = 0; o < b.rows; ++o) {
      for (Index i = 0; i < b.cols; ++i) {  // nnfit stores W column-major
        l.weights[static_cast<std::size_t>(o * b.cols + i)] = m.params[b.offset + i * b.rows + o];
      }
    }
    const Index bias = b.offset + b.rows * b.cols;  // the biases follow W
    l.bias.assign(m.params.data() + bias, m.params.data() + bias + b.rows);
    layers.push_back(std::move(l));
  }
  return layers;
}

std::vector<std::string> missing_tokens(const std::vector<std::string>& na_values) {
  std::vector<std::string> tokens{""};
  for (const std::string& t : na_values) {
    if (std::find(tokens.begin(), tokens.end(), t) == tokens.end()) tokens.push_back(t);
  }
  return tokens;
}

std::string pipeline_summary(const model::Model& m) {
  std::string s = "nnfit model: " + data::task_name(m.target.task) + " of " +
                  data::quoted(m.target_name) + " from " +
                  std::to_string(m.features.columns.size()) + " columns; hidden layers";
  if (m.spec.hidden.empty()) s += " none";
  for (std::size_t i = 0; i < m.spec.hidden.size(); ++i) {
    s += (i ? ", " : " ") + std::to_string(m.spec.hidden[i]) + " " +
         nn::activation_name(m.spec.activations[i]);
  }
  if (m.target.task == data::Task::kClassification) {
    s += "; classes " + data::list_names(m.target.classes);
  }
  return s + "; missing cells: " + data::impute_name(m.features.impute) + ".";
}

}  // namespace nnfit::exporting
