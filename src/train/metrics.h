// Evaluation metrics on network outputs (see nn::Loss::output for their layout).
#pragma once

#include <vector>

#include "core/types.h"
#include "nn/loss.h"

namespace nnfit::train {

// Predicted class index per column: argmax of probabilities (K, N), or p >= 0.5 for (1, N).
std::vector<int> predicted_classes(const Matrix& outputs);
// weights (optional, one per column, >= 0, not all zero): the metrics become weighted means
// (scikit-learn's sample_weight).
// Fraction of columns whose predicted class equals targets (1, N) class indices.
double accuracy(const Matrix& outputs, const Matrix& targets, const Vector* weights = nullptr);
// Macro F1: the unweighted mean over classes of 2 TP / (2 TP + FP + FN), over the classes that
// occur in targets or in the predictions (as scikit-learn's f1_score(average="macro")); 0 for
// no columns. Classes: outputs.rows(), or 2 for a single probability row. With weights, TP, FP
// and FN are sums of the columns' weights (f1_score's sample_weight); a class whose rows all
// weigh 0 and that is never predicted drops out.
double macro_f1(const Matrix& outputs, const Matrix& targets, const Vector* weights = nullptr);
// Root mean squared error and coefficient of determination over all entries.
double rmse(const Matrix& predictions, const Matrix& targets, const Vector* weights = nullptr);
double r2(const Matrix& predictions, const Matrix& targets, const Vector* weights = nullptr);
// The weights' sum, or n without weights (the denominator of a mean loss).
double weight_total(const Vector* weights, Index n);
// &w, or null for an empty w (no weights).
inline const Vector* weights_or_null(const Vector& w) { return w.size() == 0 ? nullptr : &w; }
// weights' data, or null without weights (for nn::Network's weighted losses).
inline const Scalar* weight_data(const Vector* weights) {
  return weights == nullptr ? nullptr : weights->data();
}

}  // namespace nnfit::train
