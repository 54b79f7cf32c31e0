// Evaluation reports for `nnfit evaluate`, computed as scikit-learn's metrics do (accuracy_score,
// log_loss, precision_recall_fscore_support, f1_score, confusion_matrix, roc_auc_score with
// multi_class="ovr", mean_squared_error, mean_absolute_error, r2_score).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/types.h"

namespace nnfit::eval {

struct ClassMetrics {
  std::string name;
  double precision = 0, recall = 0, f1 = 0;  // 0 where undefined (no predictions / no rows)
  Index support = 0;                         // rows whose true class this is
  double weight = 0;                         // their total weight (= support without weights)
  std::optional<double> auc;                 // one-vs-rest; none without positives or negatives
};

struct ClassificationReport {
  Index rows = 0;
  double accuracy = 0, log_loss = 0;
  std::vector<ClassMetrics> classes;
  // macro_f1: mean F1 over the classes present in the truth or the predictions (as
  // scikit-learn's labels=None); weighted_f1: weighted by support.
  double macro_f1 = 0, weighted_f1 = 0;
  std::vector<std::vector<Index>> confusion;  // [true][predicted]
  // Binary: AUC of P(second class). 3+ classes: the mean one-vs-rest AUC over the classes
  // where it is defined. None if it is defined for none.
  std::optional<double> roc_auc;
};

struct RegressionReport {
  Index rows = 0;
  double mse = 0, rmse = 0, mae = 0, r2 = 0;
};

// weights: null, or one sample weight >= 0 per row (not all 0): every metric becomes the
// weighted one, as scikit-learn's sample_weight makes it (accuracy, log-loss, precision, recall,
// F1, ROC AUC; MSE, RMSE, MAE, R^2), while support, rows and the confusion matrix still count
// rows (ClassMetrics::weight is the weighted support).
// probabilities: (K, N) per class, or (1, N) = P(second class) for two classes. truth: class
// index per column. REQUIRES classes.size() >= 2 and consistent sizes.
ClassificationReport classification_report(const Matrix& probabilities,
                                           const std::vector<int>& truth,
                                           const std::vector<std::string>& classes,
                                           const std::vector<double>* weights = nullptr);
// predictions and truth: (1, N) in target units.
RegressionReport regression_report(const Matrix& predictions, const Matrix& truth,
                                   const std::vector<double>* weights = nullptr);

// Area under the ROC curve of scores for the positive rows (Mann-Whitney U with average ranks
// for ties; with weights, each positive-negative pair counts w_p w_n). None when all rows (of
// weight > 0) are positive or all negative.
std::optional<double> roc_auc(const std::vector<double>& scores, const std::vector<bool>& positive,
                              const std::vector<double>* weights = nullptr);

}  // namespace nnfit::eval
