// Evaluation metrics on network outputs (see nn::Loss::output for their layout).
#pragma once

#include <vector>

#include "core/types.h"
#include "nn/loss.h"

namespace nnfit::train {

// Predicted class index per column: argmax of probabilities (K, N), or p >= 0.5 for (1, N).
std::vector<int> predicted_classes(const Matrix& outputs);
// Fraction of columns whose predicted class equals targets (1, N) class indices.
double accuracy(const Matrix& outputs, const Matrix& targets);
// Macro F1: the unweighted mean over classes of 2 TP / (2 TP + FP + FN), over the classes that
// occur in targets or in the predictions (as scikit-learn's f1_score(average="macro")); 0 for
// no columns. Classes: outputs.rows(), or 2 for a single probability row.
double macro_f1(const Matrix& outputs, const Matrix& targets);
// Root mean squared error and coefficient of determination over all entries.
double rmse(const Matrix& predictions, const Matrix& targets);
double r2(const Matrix& predictions, const Matrix& targets);

}  // namespace nnfit::train
