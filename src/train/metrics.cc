// Accuracy, macro F1, RMSE and R^2, accumulated in double.
#include "train/metrics.h"

#include <cmath>

namespace nnfit::train {

std::vector<int> predicted_classes(const Matrix& outputs) {
  std::vector<int> out(static_cast<std::size_t>(outputs.cols()));
  for (Index j = 0; j < outputs.cols(); ++j) {
    Index k = 0;
    if (outputs.rows() == 1) {
      k = outputs(0, j) >= Scalar(0.5) ? 1 : 0;
    } else {
      outputs.col(j).maxCoeff(&k);
    }
    out[static_cast<std::size_t>(j)] = static_cast<int>(k);
  }
  return out;
}

double weight_total(const Vector* weights, Index n) {
  return weights == nullptr ? static_cast<double>(n) : weights->cast<double>().sum();
}

double accuracy(const Matrix& outputs, const Matrix& targets, const Vector* weights) {
  const std::vector<int> pred = predicted_classes(outputs);
  if (pred.empty()) return 0.0;
  if (weights != nullptr) {
    double hits = 0;
    for (std::size_t j = 0; j < pred.size(); ++j) {
      const auto c = static_cast<Index>(j);
      if (pred[j] == static_cast<int>(targets(0, c))) hits += (*weights)[c];
    }
    const double total = weight_total(weights, outputs.cols());
    return total > 0 ? hits / total : 0.0;
  }
  std::size_t hits = 0;
  for (std::size_t j = 0; j < pred.size(); ++j) {
    hits += pred[j] == static_cast<int>(targets(0, static_cast<Index>(j)));
  }
  return static_cast<double>(hits) / static_cast<double>(pred.size());
}

double macro_f1(const Matrix& outputs, const Matrix& targets, const Vector* weights) {
  const std::vector<int> pred = predicted_classes(outputs);
  const std::size_t k = outputs.rows() == 1 ? 2 : static_cast<std::size_t>(outputs.rows());
  std::vector<double> tp(k, 0.0), fp(k, 0.0), fn(k, 0.0);
  for (std::size_t j = 0; j < pred.size(); ++j) {
    const auto p = static_cast<std::size_t>(pred[j]);
    const auto t = static_cast<std::size_t>(targets(0, static_cast<Index>(j)));
    const double w = weights == nullptr ? 1.0 : (*weights)[static_cast<Index>(j)];
    if (p == t) {
      tp[p] += w;
    } else {
      fp[p] += w;
      fn[t] += w;
    }
  }
  double sum = 0.0;
  std::size_t classes = 0;
  for (std::size_t c = 0; c < k; ++c) {
    const double denom = 2 * tp[c] + fp[c] + fn[c];
    if (denom == 0) continue;  // neither a target nor a prediction
    sum += 2 * tp[c] / denom;
    ++classes;
  }
  return classes > 0 ? sum / static_cast<double>(classes) : 0.0;
}

double rmse(const Matrix& predictions, const Matrix& targets, const Vector* weights) {
  if (predictions.size() == 0) return 0.0;
  if (weights != nullptr) {  // entries weighted by their column's weight
    const Eigen::RowVectorXd w = weights->cast<double>().transpose();
    const Eigen::MatrixXd e = (predictions - targets).cast<double>();
    const double sse = (e.array().square().rowwise() * w.array()).sum();
    const double total = w.sum() * static_cast<double>(predictions.rows());
    return total > 0 ? std::sqrt(sse / total) : 0.0;
  }
  const double sse = (predictions - targets).cast<double>().squaredNorm();
  return std::sqrt(sse / static_cast<double>(predictions.size()));
}

double r2(const Matrix& predictions, const Matrix& targets, const Vector* weights) {
  const Eigen::MatrixXd t = targets.cast<double>();
  if (weights != nullptr) {  // scikit-learn's r2_score with sample_weight
    const Eigen::ArrayXd w = weights->cast<double>().array();
    const double wsum = w.sum();
    if (!(wsum > 0)) return 0.0;
    const Eigen::VectorXd mean = (t.array().rowwise() * w.transpose()).rowwise().sum() / wsum;
    const Eigen::MatrixXd e = predictions.cast<double>() - t;
    const double sse = (e.array().square().rowwise() * w.transpose()).sum();
    const double sst = ((t.colwise() - mean).array().square().rowwise() * w.transpose()).sum();
    return sst > 0 ? 1.0 - sse / sst : 0.0;
  }
  const double sse = (predictions.cast<double>() - t).squaredNorm();
  const double sst = (t.array() - t.mean()).square().sum();
  return sst > 0 ? 1.0 - sse / sst : 0.0;
}

}  // namespace nnfit::train
