// Output layer choice and prediction from the features as read.
#include "model/model.h"

#include <charconv>
#include <string>
#include <utility>

#include "core/error.h"
#include "train/metrics.h"

namespace nnfit::model {

void set_output(nn::NetworkSpec& spec, const data::TargetEncoding& target) {
  if (target.task == data::Task::kRegression) {
    spec.outputs = 1;
    spec.loss = nn::LossKind::kSquaredError;
  } else if (target.classes.size() == 2) {
    spec.outputs = 1;
    spec.loss = nn::LossKind::kSigmoidBce;
  } else {
    spec.outputs = static_cast<Index>(target.classes.size());
    spec.loss = nn::LossKind::kSoftmaxNll;
  }
}

Matrix predict_outputs(const Model& m, data::Dataset d, const data::WarningSink& warn,
                       data::UnseenCategories* unseen) {
  if (!m.params.allFinite()) {
    throw ModelError(
        "the model's weights are not finite (NaN or infinite): it was saved by a "
        "diverged training; train it again with a smaller --lr");
  }
  const std::string source = d.source;
  const std::vector<unsigned> lines = d.lines;
  const Matrix x = m.features.transform(std::move(d), warn, unseen);
  nn::Network net(m.spec);
  net.params() = m.params;
  Matrix out;
  net.predict(x, out);
  if (m.target.task == data::Task::kRegression) {
    out = (out.array().cast<double>() * m.target_scale + m.target_mean).cast<Scalar>().matrix();
  }
  for (Index j = 0; j < out.cols(); ++j) {
    if (out.col(j).allFinite()) continue;
    const auto k = static_cast<std::size_t>(j);
    throw ModelError(source + (k < lines.size() ? ":" + std::to_string(lines[k]) : "") +
                     ": the model's output for this row is not finite (NaN or infinite): its "
                     "values are far outside the range the model was trained on");
  }
  return out;
}

std::vector<std::string> prediction_labels(const Model& m, const Matrix& outputs) {
  std::vector<std::string> labels;
  labels.reserve(static_cast<std::size_t>(outputs.cols()));
  if (m.target.task == data::Task::kRegression) {
    char buf[32];
    for (Index j = 0; j < outputs.cols(); ++j) {
      const auto res = std::to_chars(buf, buf + sizeof buf, outputs(0, j));
      labels.emplace_back(buf, res.ptr);
    }
    return labels;
  }
  for (int k : train::predicted_classes(outputs)) {
    labels.push_back(m.target.classes[static_cast<std::size_t>(k)]);
  }
  return labels;
}

}  // namespace nnfit::model
