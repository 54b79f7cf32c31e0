// Permutation importance on the network input transformed once: per (column, repeat) task,
// the input is rebuilt chunk by chunk with the column's slot rows permuted, run through the
// network, and scored. Tasks run on `threads` threads, each with its own network and buffers;
// results are stored per task, so they do not depend on the thread count.
#include "eval/importance.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <numeric>
#include <thread>

#include "core/error.h"
#include "core/rng.h"
#include "data/text.h"
#include "eval/report.h"
#include "train/metrics.h"

namespace nnfit::eval {
namespace {

// Columns per forward pass: evaluate's chunk (cli::kChunkRows), so the baseline's outputs are
// computed over the same column blocks as evaluate's and agree to the bit.
constexpr Index kImportanceChunk = 4096;

struct ImportanceMetricInfo {
  ImportanceMetric metric;
  const char* name;
  bool classification;
  bool higher_is_better;
};

constexpr ImportanceMetricInfo kImportanceMetrics[] = {
    {ImportanceMetric::kAccuracy, "accuracy", true, true},
    {ImportanceMetric::kLogLoss, "log_loss", true, false},
    {ImportanceMetric::kMacroF1, "macro_f1", true, true},
    {ImportanceMetric::kRocAuc, "roc_auc", true, true},
    {ImportanceMetric::kR2, "r2", false, true},
    {ImportanceMetric::kRmse, "rmse", false, false},
    {ImportanceMetric::kMse, "mse", false, false},
    {ImportanceMetric::kMae, "mae", false, false},
};

const ImportanceMetricInfo& metric_info(ImportanceMetric metric) {
  for (const ImportanceMetricInfo& i : kImportanceMetrics) {
    if (i.metric == metric) return i;
  }
  throw Error("unknown importance metric");
}

std::vector<std::string> importance_metric_names(bool classification) {
  std::vector<std::string> names;
  for (const ImportanceMetricInfo& i : kImportanceMetrics) {
    if (i.classification == classification) names.emplace_back(i.name);
  }
  return names;
}

// The outputs' user-facing form in target units, checked finite (as model::predict_outputs).
void finish_importance_outputs(const model::Model& m, Eigen::Ref<Matrix> out) {
  if (m.target.task == data::Task::kRegression) {
    out = (out.array().cast<double>() * m.target_scale + m.target_mean).cast<Scalar>().matrix();
  }
  if (!out.allFinite()) {
    throw ModelError(
        "the model's output for some row is not finite (NaN or infinite): its "
        "values are far outside the range the model was trained on");
  }
}

// One thread's network and buffers.
struct ImportanceWorker {
  nn::Network net;
  Matrix in, out, outputs;
  explicit ImportanceWorker(const model::Model& m) : net(m.spec) { net.params() = m.params; }
};

// Row offset of each input column's slots in the network input, and its width.
struct InputSlots {
  std::vector<Index> first, width;
};

InputSlots input_slots(const data::Preprocessor& p) {
  InputSlots s;
  Index row = 0;
  for (const data::FeatureColumn& c : p.columns) {
    s.first.push_back(row);
    s.width.push_back(c.width());
    row += c.width();
  }
  return s;
}

// The model's outputs with rows [first, first + width) of x permuted by perm (all rows as they
// are when width is 0), chunk by chunk into w.outputs.
void permuted_outputs(const model::Model& m, const Matrix& x, Index first, Index width,
                      const std::vector<Index>& perm, ImportanceWorker& w) {
  const Index n = x.cols();
  w.outputs.resize(m.spec.outputs, n);
  for (Index start = 0; start < n; start += kImportanceChunk) {
    const Index len = std::min(kImportanceChunk, n - start);
    w.in = x.middleCols(start, len);
    for (Index k = 0; k < len && width > 0; ++k) {
      w.in.col(k).segment(first, width) =
          x.col(perm[static_cast<std::size_t>(start + k)]).segment(first, width);
    }
    w.net.predict(w.in, w.out);
    w.outputs.middleCols(start, len) = w.out;
  }
  finish_importance_outputs(m, w.outputs);
}

std::vector<int> truth_classes(const Matrix& y) {
  std::vector<int> t(static_cast<std::size_t>(y.cols()));
  for (Index j = 0; j < y.cols(); ++j) t[static_cast<std::size_t>(j)] = static_cast<int>(y(0, j));
  return t;
}

// Accuracy as classification_report computes it (the same predicted class, the same sums in
// the same order), without the rest of the report: its per-class ROC AUC sorts were 2.5 s of
// the 4.2 s of CPU of a 100k-row, 20-column, 3-class run with the default 5 repeats.
double accuracy_score(const Matrix& outputs, const ScoredRows& rows) {
  const std::vector<int> predicted = train::predicted_classes(outputs);  // as the report's
  double hits = 0, total = 0;
  for (std::size_t j = 0; j < predicted.size(); ++j) {
    const double w = rows.weights.empty() ? 1.0 : rows.weights[j];
    if (predicted[j] == static_cast<int>(rows.targets(0, static_cast<Index>(j)))) hits += w;
    total += w;
  }
  return total > 0 ? hits / total : 0.0;
}

double classification_score(ImportanceMetric metric, const model::Model& m, const Matrix& outputs,
                            const ScoredRows& rows) {
  if (metric == ImportanceMetric::kAccuracy) return accuracy_score(outputs, rows);
  const std::vector<double>* w = rows.weights.empty() ? nullptr : &rows.weights;
  const ClassificationReport r =
      classification_report(outputs, truth_classes(rows.targets), m.target.classes, w);
  switch (metric) {
    case ImportanceMetric::kLogLoss:
      return r.log_loss;
    case ImportanceMetric::kMacroF1:
      return r.macro_f1;
    default:
      break;
  }
  if (!r.roc_auc) {
    throw DataError(
        "roc_auc is undefined on these rows (a single class): choose another "
        "--metric");
  }
  return *r.roc_auc;
}

void check_scored_rows(const model::Model& m, const ScoredRows& rows, const ImportanceOptions& o) {
  check_options(o);
  parse_metric(metric_name(o.metric), m.target.task);  // a metric of the model's task
  if (rows.inputs.rows() != m.spec.inputs || rows.targets.cols() != rows.inputs.cols() ||
      (!rows.weights.empty() &&
       rows.weights.size() != static_cast<std::size_t>(rows.inputs.cols()))) {
    throw Error("permutation_importance: the rows do not match the model's inputs");
  }
  if (rows.inputs.cols() < 2) {
    throw DataError("permutation importance needs at least 2 rows to shuffle, got " +
                    std::to_string(rows.inputs.cols()));
  }
}

// Runs fn(task, worker) for tasks 0 .. count - 1 on `threads` threads; rethrows the first error.
template <class Fn>
void run_importance_tasks(const model::Model& m, int count, int threads, Fn fn) {
  std::atomic<int> next{0};
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(threads));
  auto body = [&](int t) {
    try {
      ImportanceWorker w(m);
      for (int task = next++; task < count; task = next++) fn(task, w);
    } catch (...) {
      errors[static_cast<std::size_t>(t)] = std::current_exception();
      next = count;
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(body, t);
  body(0);
  for (std::thread& th : pool) th.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

ColumnImportance summarise_drops(std::string column, std::vector<double> drops) {
  ColumnImportance c{std::move(column), std::move(drops), 0, 0};
  const double n = static_cast<double>(c.drops.size());
  c.mean = std::accumulate(c.drops.begin(), c.drops.end(), 0.0) / n;
  double ss = 0;
  for (double d : c.drops) ss += (d - c.mean) * (d - c.mean);
  c.std = std::sqrt(ss / n);
  return c;
}

}  // namespace

void check_options(const ImportanceOptions& o) {
  if (o.repeats < 1)
    throw ConfigError("invalid --repeats " + std::to_string(o.repeats) + ": give 1 or more");
  if (o.threads < 1)
    throw ConfigError("invalid --threads " + std::to_string(o.threads) + ": give 1 or more");
}

std::string metric_name(ImportanceMetric metric) { return metric_info(metric).name; }

bool higher_is_better(ImportanceMetric metric) { return metric_info(metric).higher_is_better; }

ImportanceMetric parse_metric(const std::string& name, data::Task task) {
  const bool classification = task == data::Task::kClassification;
  if (name == "default")
    return classification ? ImportanceMetric::kAccuracy : ImportanceMetric::kR2;
  for (const ImportanceMetricInfo& i : kImportanceMetrics) {
    if (name == i.name && i.classification == classification) return i.metric;
  }
  throw ConfigError("invalid --metric " + data::quoted(name) + " for a " + data::task_name(task) +
                    " model: use default or one of " +
                    data::list_names(importance_metric_names(classification)));
}

std::vector<std::vector<Index>> permutations(std::uint64_t seed, Index n, int repeats) {
  std::vector<Index> p(static_cast<std::size_t>(n));
  std::iota(p.begin(), p.end(), Index{0});
  Rng rng(seed);
  std::vector<std::vector<Index>> out;
  for (int r = 0; r < repeats; ++r) {
    rng.shuffle(p);
    out.push_back(p);
  }
  return out;
}

double score(ImportanceMetric metric, const model::Model& m, const Matrix& outputs,
             const ScoredRows& rows) {
  if (metric_info(metric).classification) return classification_score(metric, m, outputs, rows);
  const std::vector<double>* w = rows.weights.empty() ? nullptr : &rows.weights;
  const RegressionReport r = regression_report(outputs, rows.targets, w);
  switch (metric) {
    case ImportanceMetric::kR2:
      return r.r2;
    case ImportanceMetric::kRmse:
      return r.rmse;
    case ImportanceMetric::kMse:
      return r.mse;
    default:
      return r.mae;
  }
}

Matrix model_outputs(const model::Model& m, const Matrix& x) {
  if (!m.params.allFinite()) {
    throw ModelError(
        "the model's weights are not finite (NaN or infinite): it was saved by a "
        "diverged training; train it again with a smaller --lr");
  }
  ImportanceWorker w(m);
  permuted_outputs(m, x, 0, 0, {}, w);
  return std::move(w.outputs);
}

ImportanceResult permutation_importance(const model::Model& m, const ScoredRows& rows,
                                        const ImportanceOptions& o) {
  check_scored_rows(m, rows, o);
  ImportanceResult res{o.metric,           score(o.metric, m, model_outputs(m, rows.inputs), rows),
                       o.repeats,          o.seed,
                       rows.inputs.cols(), {}};
  const std::vector<std::vector<Index>> perms = permutations(o.seed, res.rows, o.repeats);
  const InputSlots s = input_slots(m.features);
  const int columns = static_cast<int>(s.first.size());
  const double sign = higher_is_better(o.metric) ? 1.0 : -1.0;
  std::vector<double> drops(static_cast<std::size_t>(columns * o.repeats));
  run_importance_tasks(m, columns * o.repeats, std::min(o.threads, columns * o.repeats),
                       [&](int task, ImportanceWorker& w) {
                         const auto c = static_cast<std::size_t>(task / o.repeats);
                         permuted_outputs(m, rows.inputs, s.first[c], s.width[c],
                                          perms[static_cast<std::size_t>(task % o.repeats)], w);
                         drops[static_cast<std::size_t>(task)] =
                             sign * (res.baseline - score(o.metric, m, w.outputs, rows));
                       });
  for (int c = 0; c < columns; ++c) {
    const auto from = drops.begin() + c * o.repeats;
    res.columns.push_back(summarise_drops(m.features.columns[static_cast<std::size_t>(c)].name,
                                          std::vector<double>(from, from + o.repeats)));
  }
  std::stable_sort(
      res.columns.begin(), res.columns.end(),
      [](const ColumnImportance& a, const ColumnImportance& b) { return a.mean > b.mean; });
  return res;
}

nlohmann::json to_json(const ImportanceResult& r) {
  nlohmann::json columns = nlohmann::json::array();
  for (const ColumnImportance& c : r.columns) {
    columns.push_back({{"column", c.column}, {"mean", c.mean}, {"std", c.std}, {"drops", c.drops}});
  }
  return {{"metric", metric_name(r.metric)},
          {"higher_is_better", higher_is_better(r.metric)},
          {"baseline", r.baseline},
          {"repeats", r.repeats},
          {"seed", r.seed},
          {"rows", r.rows},
          {"columns", columns}};
}

std::string to_table(const ImportanceResult& r, const std::string& weight_column) {
  const std::string name = metric_name(r.metric);
  std::string s = fmt::format(
      "permutation importance: the drop in {} ({} is better) when a column is shuffled\n"
      "baseline {} {:.4f} on {} rows{}; {} repeats, seed {}\n\n",
      name, higher_is_better(r.metric) ? "higher" : "lower", name, r.baseline, r.rows,
      weight_column.empty() ? "" : " weighted by column " + data::quoted(weight_column), r.repeats,
      r.seed);
  std::size_t w = 6;
  for (const ColumnImportance& c : r.columns) w = std::max(w, c.column.size());
  s += fmt::format("{:<{}}  {:>9}  {:>9}\n", "column", w, "mean", "std");
  for (const ColumnImportance& c : r.columns) {
    s += fmt::format("{:<{}}  {:>9.4f}  {:>9.4f}\n", c.column, w, c.mean, c.std);
  }
  return s;
}

}  // namespace nnfit::eval
