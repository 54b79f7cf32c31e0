#include "eval/report.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"

namespace nnfit::eval {
namespace {

// P(class k) of column j.
double probability(const Matrix& p, Index k, Index j) {
  if (p.rows() == 1) return k == 1 ? p(0, j) : 1.0 - static_cast<double>(p(0, j));
  return p(k, j);
}

int predicted(const Matrix& p, Index j) {
  if (p.rows() == 1) return p(0, j) >= Scalar(0.5) ? 1 : 0;
  Index k = 0;
  p.col(j).maxCoeff(&k);
  return static_cast<int>(k);
}

double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

// Sets class k's precision, recall and F1 from the (weighted) confusion matrix wc; returns the
// number of rows predicted as k.
Index per_class(ClassificationReport& r, const std::vector<std::vector<double>>& wc,
                std::size_t k) {
  Index predicted_k = 0;
  double tp = wc[k][k], predicted_w = 0;
  for (std::size_t t = 0; t < wc.size(); ++t) {
    predicted_k += r.confusion[t][k];
    predicted_w += wc[t][k];
  }
  ClassMetrics& c = r.classes[k];
  c.precision = ratio(tp, predicted_w);
  c.recall = ratio(tp, c.weight);
  c.f1 = ratio(2 * c.precision * c.recall, c.precision + c.recall);
  return predicted_k;
}

// The ROC AUC with each positive-negative pair weighted by w_p w_n (ties count half).
std::optional<double> weighted_auc(const std::vector<double>& scores,
                                   const std::vector<bool>& positive,
                                   const std::vector<std::size_t>& order,
                                   const std::vector<double>& w) {
  double area = 0, neg_below = 0, pos_total = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t end = i;
    double pos = 0, neg = 0;
    for (; end < order.size() && scores[order[end]] == scores[order[i]]; ++end) {
      (positive[order[end]] ? pos : neg) += w[order[end]];
    }
    area += pos * (neg_below + 0.5 * neg);
    neg_below += neg;
    pos_total += pos;
    i = end;
  }
  if (!(pos_total > 0) || !(neg_below > 0)) return std::nullopt;
  return area / (pos_total * neg_below);
}

}  // namespace

std::optional<double> roc_auc(const std::vector<double>& scores, const std::vector<bool>& positive,
                              const std::vector<double>* weights) {
  const std::size_t n = scores.size();
  // NaN would make the sort undefined and the tie loop below endless.
  if (std::any_of(scores.begin(), scores.end(), [](double s) { return std::isnan(s); })) {
    throw Error("ROC AUC of NaN scores: the model's outputs are not finite");
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  if (weights != nullptr) return weighted_auc(scores, positive, order, *weights);
  double rank_sum = 0;  // of the positives, ranks 1-based, ties averaged
  std::size_t n_pos = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t end = i;
    while (end < n && scores[order[end]] == scores[order[i]]) ++end;
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(end)) / 2;
    for (std::size_t t = i; t < end; ++t) {
      if (positive[order[t]]) {
        rank_sum += rank;
        ++n_pos;
      }
    }
    i = end;
  }
  const std::size_t n_neg = n - n_pos;
  if (n_pos == 0 || n_neg == 0) return std::nullopt;
  const double np = static_cast<double>(n_pos);
  return (rank_sum - np * (np + 1) / 2) / (np * static_cast<double>(n_neg));
}

ClassificationReport classification_report(const Matrix& probabilities,
                                           const std::vector<int>& truth,
                                           const std::vector<std::string>& classes,
                                           const std::vector<double>* weights) {
  if (!probabilities.allFinite()) {
    throw Error(
        "the model's probabilities are not finite (NaN or infinite): its weights are "
        "not finite, or the data is far outside the range it was trained on");
  }
  const std::size_t K = classes.size();
  ClassificationReport r;
  r.rows = static_cast<Index>(truth.size());
  r.classes.resize(K);
  r.confusion.assign(K, std::vector<Index>(K, 0));
  std::vector<std::vector<double>> wc(K, std::vector<double>(K, 0.0));  // weighted (or counts)
  constexpr double kEps = 1e-15;
  double nll = 0, hits = 0, total = 0;  // without weights every w is 1: the plain counts
  for (Index j = 0; j < r.rows; ++j) {
    const auto row = static_cast<std::size_t>(j);
    const int t = truth[row];
    const int p = predicted(probabilities, j);
    const double w = weights != nullptr ? (*weights)[row] : 1.0;
    ++r.confusion[static_cast<std::size_t>(t)][static_cast<std::size_t>(p)];
    wc[static_cast<std::size_t>(t)][static_cast<std::size_t>(p)] += w;
    if (p == t) hits += w;
    total += w;
    nll -= w * std::log(std::clamp(probability(probabilities, t, j), kEps, 1 - kEps));
  }
  r.accuracy = ratio(hits, total);
  r.log_loss = ratio(nll, total);
  double auc_sum = 0;
  int auc_count = 0, f1_count = 0;
  for (std::size_t k = 0; k < K; ++k) {
    ClassMetrics& c = r.classes[k];
    c.name = classes[k];
    for (Index n : r.confusion[k]) c.support += n;
    for (double w : wc[k]) c.weight += w;
    // Macro F1 averages over the labels present in the truth or the predictions, as
    // scikit-learn's f1_score(average="macro") does; a class absent from both is left out.
    if (per_class(r, wc, k) > 0 || c.support > 0) {
      r.macro_f1 += c.f1;
      ++f1_count;
    }
    r.weighted_f1 += c.f1 * ratio(c.weight, total);
    std::vector<double> scores(truth.size());
    std::vector<bool> positive(truth.size());
    for (std::size_t j = 0; j < truth.size(); ++j) {
      scores[j] = probability(probabilities, static_cast<Index>(k), static_cast<Index>(j));
      positive[j] = truth[j] == static_cast<int>(k);
    }
    c.auc = roc_auc(scores, positive, weights);
    if (c.auc) {
      auc_sum += *c.auc;
      ++auc_count;
    }
  }
  r.macro_f1 = ratio(r.macro_f1, f1_count);
  if (K == 2) {
    r.roc_auc = r.classes[1].auc;
  } else if (auc_count > 0) {
    r.roc_auc = auc_sum / auc_count;
  }
  return r;
}

RegressionReport regression_report(const Matrix& predictions, const Matrix& truth,
                                   const std::vector<double>* weights) {
  RegressionReport r;
  r.rows = truth.cols();
  if (r.rows == 0) return r;
  const Eigen::ArrayXd e = (predictions.cast<double>() - truth.cast<double>()).row(0).transpose().array();
  if (weights != nullptr) {  // scikit-learn's metrics with sample_weight
    const Eigen::ArrayXd w = Eigen::Map<const Eigen::ArrayXd>(weights->data(), r.rows);
    const Eigen::ArrayXd t = truth.cast<double>().row(0).transpose().array();
    const double wsum = w.sum();
    r.mse = ratio((w * e.square()).sum(), wsum);
    r.rmse = std::sqrt(r.mse);
    r.mae = ratio((w * e.abs()).sum(), wsum);
    const double mean = ratio((w * t).sum(), wsum);
    const double sst = (w * (t - mean).square()).sum();
    r.r2 = sst > 0 ? 1.0 - (w * e.square()).sum() / sst : 0.0;
    return r;
  }
  const double n = static_cast<double>(r.rows);
  r.mse = e.square().sum() / n;
  r.rmse = std::sqrt(r.mse);
  r.mae = e.abs().sum() / n;
  const Eigen::ArrayXd t = truth.cast<double>().row(0).transpose().array();
  const double sst = (t - t.mean()).square().sum();
  r.r2 = sst > 0 ? 1.0 - e.square().sum() / sst : 0.0;
  return r;
}

}  // namespace nnfit::eval
