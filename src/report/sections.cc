// The chart sections of the report: learning curves, evaluation on labelled rows, importance.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "eval/report.h"
#include "report/html_report.h"
#include "report/svg.h"

namespace nnfit::report {
namespace {

using svg::escape;

std::string fixed(double v, int decimals = 4) {
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

// Finite positive values spanning more than a factor of 10: a log axis shows them better.
bool log_helps(const std::vector<std::vector<double>>& series) {
  double lo = INFINITY, hi = 0;
  for (const auto& v : series) {
    for (double x : v) {
      if (!std::isfinite(x)) continue;
      if (x <= 0) return false;
      lo = std::min(lo, x), hi = std::max(hi, x);
    }
  }
  return hi > 0 && hi / lo > 10;
}

bool any_finite(const std::vector<double>& v) {
  return std::any_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

std::string metric_title(const std::string& metric) {
  if (metric == "val_acc") return "validation accuracy";
  if (metric == "val_rmse") return "validation RMSE (target units)";
  return metric;
}

svg::Chart epoch_chart(const History& h, const std::string& id, const std::string& title,
                       const std::vector<std::vector<double>>& ys, const std::string& y_label) {
  svg::Chart c;
  c.id = id, c.title = title;
  c.x = {"epoch", false, h.epoch.front(), h.epoch.back(), {}};
  c.width = 372, c.height = 300;  // three in a row
  c.y.log = log_helps(ys);
  c.y.label = y_label + (c.y.log ? " (log scale)" : "");
  return c;
}

// ROC curves: binary, of P(second class); 3+ classes, each class against the rest.
std::string roc_chart(const Scored& s, const std::vector<int>& truth,
                      const eval::ClassificationReport& r, const std::vector<std::string>& classes) {
  svg::Chart roc;
  roc.id = "roc", roc.title = classes.size() == 2 ? "ROC curve" : "ROC curves (one class vs the rest)";
  roc.x = {"false positive rate", false, 0.0, 1.0, {}};
  roc.y = {"true positive rate", false, 0.0, 1.0, {}};
  roc.width = 380, roc.height = 380;
  const bool binary = s.outputs.rows() == 1;
  for (std::size_t k = binary ? 1 : 0; k < classes.size(); ++k) {
    std::vector<double> score;
    std::vector<bool> positive;
    for (Index j = 0; j < s.outputs.cols(); ++j) {
      score.push_back(s.outputs(binary ? 0 : static_cast<Index>(k), j));
      positive.push_back(truth[static_cast<std::size_t>(j)] == static_cast<int>(k));
    }
    const RocCurve c = roc_curve(score, positive);
    if (c.fpr.empty()) continue;  // the class is absent (or alone) in these rows
    const auto& auc = r.classes[k].auc;
    roc.series.push_back({classes[k] + (binary ? " vs " + classes[0] : "") +
                              (auc ? " (AUC " + fixed(*auc, 3) + ")" : ""),
                          c.fpr, c.tpr, svg::Series::Kind::kLine, false, "", {}});
  }
  roc.series.push_back({"chance", {0, 1}, {0, 1}, svg::Series::Kind::kLine, true, "#999999", {}});
  return svg::xy_chart(roc);
}

std::string classification_charts(const model::Model& m, const Scored& s) {
  std::vector<int> truth;
  for (Index j = 0; j < s.truth.cols(); ++j) truth.push_back(static_cast<int>(s.truth(0, j)));
  const auto& classes = m.target.classes;
  const eval::ClassificationReport r = eval::classification_report(s.outputs, truth, classes);
  std::string html = "<p>" + std::to_string(r.rows) + " rows: accuracy " + fixed(r.accuracy) +
                     ", log-loss " + fixed(r.log_loss) + ", macro F1 " + fixed(r.macro_f1) +
                     (r.roc_auc ? ", ROC AUC " + fixed(*r.roc_auc) : std::string()) + "</p>\n";
  html += "<p class=\"note\">Confusion matrix: one row per true class, shaded by the share of "
          "its rows in each predicted class.</p>\n";
  svg::Heatmap cm{"confusion", "Confusion matrix",
                  "true class", "predicted class", classes, classes, {}, {}, 56};
  svg::BarChart bars{"class-metrics", "Precision, recall and F1 per class", "score", classes,
                     {"precision", "recall", "F1"}, {{}, {}, {}}, {}, 0.0, 1.0, 420};
  for (std::size_t k = 0; k < classes.size(); ++k) {
    double total = 0;
    for (Index n : r.confusion[k]) total += static_cast<double>(n);
    cm.values.emplace_back(), cm.shade.emplace_back();
    for (Index n : r.confusion[k]) {
      cm.values.back().push_back(static_cast<double>(n));
      cm.shade.back().push_back(total > 0 ? static_cast<double>(n) / total : 0);
    }
    bars.values[0].push_back(r.classes[k].precision);
    bars.values[1].push_back(r.classes[k].recall);
    bars.values[2].push_back(r.classes[k].f1);
  }
  return html + "<div class=\"charts\">\n" + svg::heatmap(cm) + svg::bar_chart(bars) +
         roc_chart(s, truth, r, classes) + "</div>\n";
}

std::string regression_charts(const Scored& s) {
  const eval::RegressionReport r = eval::regression_report(s.outputs, s.truth);
  std::string html = "<p>" + std::to_string(r.rows) + " rows: RMSE " + fixed(r.rmse) + ", MAE " +
                     fixed(r.mae) + ", R&sup2; " + fixed(r.r2) + "</p>\n";
  // At most about 4000 points: every k-th row beyond that (the metrics use all rows).
  const Index n = s.outputs.cols(), step = std::max<Index>(1, n / 4000);
  std::vector<double> actual, predicted, residual;
  for (Index j = 0; j < n; j += step) {
    actual.push_back(s.truth(0, j)), predicted.push_back(s.outputs(0, j));
    residual.push_back(s.truth(0, j) - s.outputs(0, j));
  }
  if (step > 1) html += "<p class=\"note\">Plots show every " + std::to_string(step) + "th row.</p>\n";
  double lo = INFINITY, hi = -INFINITY;
  for (const auto* v : {&actual, &predicted}) {
    for (double x : *v) lo = std::min(lo, x), hi = std::max(hi, x);
  }
  svg::Chart pa;
  pa.id = "pred-vs-actual", pa.title = "Predicted vs actual", pa.width = 460, pa.height = 420;
  const std::vector<double> t = svg::nice_ticks(lo, hi, 8);  // one scale on both axes
  pa.x = {"actual", false, t.front(), t.back(), {}};
  pa.y = {"predicted", false, t.front(), t.back(), {}};
  pa.series = {{"rows", actual, predicted, svg::Series::Kind::kPoints, false, "", {}},
               {"predicted = actual", {lo, hi}, {lo, hi}, svg::Series::Kind::kLine, true, "#999999", {}}};
  svg::Chart res;
  res.id = "residuals", res.title = "Residuals (actual - predicted)", res.width = 560, res.height = 420;
  res.x = {"predicted", false, {}, {}, {}}, res.y = {"residual", false, {}, {}, {}};
  const auto [pmin, pmax] = std::minmax_element(predicted.begin(), predicted.end());
  res.series = {{"rows", predicted, residual, svg::Series::Kind::kPoints, false, "", {}},
                {"zero", {*pmin, *pmax}, {0, 0}, svg::Series::Kind::kLine, true, "#999999", {}}};
  return html + "<div class=\"charts\">\n" + svg::xy_chart(pa) + svg::xy_chart(res) + "</div>\n";
}

}  // namespace

std::string curves_section(const History& h, const model::Model& m) {
  const int best = m.metrics.value("best_epoch", 0);
  std::vector<svg::Marker> marks;
  if (best > 0) marks.push_back({static_cast<double>(best), "best epoch " + std::to_string(best)});
  svg::Chart loss = epoch_chart(h, "curve-loss", "Training and validation loss",
                                {h.train_loss, h.val_loss}, "loss");
  loss.series = {{"training loss", h.epoch, h.train_loss, svg::Series::Kind::kLine, false, "", {}}};
  if (any_finite(h.val_loss)) {
    loss.series.push_back({"validation loss", h.epoch, h.val_loss, svg::Series::Kind::kLine, false, "", {}});
  }
  loss.markers = marks;
  std::string charts = svg::xy_chart(loss);
  if (any_finite(h.val_metric)) {
    svg::Chart metric = epoch_chart(h, "curve-metric", "Validation metric: " + metric_title(h.metric),
                                    {h.val_metric}, metric_title(h.metric));
    metric.series = {{"", h.epoch, h.val_metric, svg::Series::Kind::kLine, false, "#009E73", {}}};
    metric.markers = marks;
    charts += svg::xy_chart(metric);
  }
  svg::Chart lr = epoch_chart(h, "curve-lr", "Learning rate", {h.lr}, "learning rate");
  lr.series = {{"", h.epoch, h.lr, svg::Series::Kind::kLine, false, "#D55E00", {}}};
  lr.markers = marks;
  charts += svg::xy_chart(lr);
  return "<section id=\"curves\"><h2>Learning curves</h2>\n<p class=\"note\">From " +
         escape(h.source) + ", " + std::to_string(h.epoch.size()) +
         " epochs, on a shared epoch axis; the model's best epoch" +
         (best > 0 ? " (" + std::to_string(best) + ") is marked" : " is unknown") + "." +
         (m.metrics.contains("refit") ? " The model is a refit: trained again on all rows for "
                                        "its epoch count, after these curves chose it."
                                      : "") +
         "</p>\n<div class=\"charts\">\n" +
         charts + "</div>\n</section>\n";
}

std::string evaluation_section(const model::Model& m, const Scored& s) {
  std::string html = "<section id=\"evaluation\"><h2>Evaluation</h2>\n<p class=\"note\">" +
                     escape(s.source) + ": " + escape(s.note) + "</p>\n";
  html += m.target.task == data::Task::kClassification ? classification_charts(m, s)
                                                       : regression_charts(s);
  return html + "</section>\n";
}

std::string importance_section(const Importance& imp) {
  svg::BarChart bars;
  bars.id = "importance";
  bars.title = "Permutation importance: drop in " + imp.metric;
  bars.value_label = "drop in " + imp.metric + " (mean and std over " + std::to_string(imp.repeats) +
                     " repeats)";
  bars.series = {"mean drop"};
  bars.values.emplace_back(), bars.errors.emplace_back();
  for (const auto& c : imp.columns) {
    bars.categories.push_back(c.column);
    bars.values[0].push_back(c.mean);
    bars.errors[0].push_back(c.std);
  }
  bars.width = 640;
  char b[64];
  std::snprintf(b, sizeof b, "%.6g", imp.baseline);
  return "<section id=\"importance\"><h2>Permutation importance</h2>\n<p class=\"note\">From " +
         escape(imp.source) + ": " + escape(imp.metric) + " " + b + " (" +
         (imp.higher_is_better ? "higher" : "lower") + " is better) on " + std::to_string(imp.rows) +
         " rows; each column's values shuffled " + std::to_string(imp.repeats) +
         " times (seed " + std::to_string(imp.seed) +
         "). A longer bar: the model leans more on that column.</p>\n" + svg::bar_chart(bars) +
         "</section>\n";
}

}  // namespace nnfit::report
