// Permutation feature importance (`nnfit importance`), as scikit-learn's
// sklearn.inspection.permutation_importance: for each input column of the model, the drop in
// a metric when that column's values are shuffled among the rows, over several seeded repeats.
//
// A column is permuted as read, before preprocessing, so a categorical column's one-hot slots
// move together and a missing cell moves with its row (it is then filled with the column's
// fill, as any missing cell). Preprocessing maps each cell on its own (fill, standardise,
// one-hot), so permuting a raw column is the same as permuting the rows of that column's slots
// in the network input; that is what is done here, on the input transformed once
// (tests/eval/importance_test.cc checks the two agree).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/types.h"
#include "model/model.h"

namespace nnfit::eval {

// The metrics importance can use: those `nnfit evaluate` reports, computed by the same code
// (eval/report.h), so the baseline is evaluate's number.
enum class ImportanceMetric { kAccuracy, kLogLoss, kMacroF1, kRocAuc, kR2, kRmse, kMse, kMae };

// "accuracy", "log_loss", "macro_f1", "roc_auc", "r2", "rmse", "mse", "mae".
std::string metric_name(ImportanceMetric metric);
// The inverse of metric_name, or "default" for the model's default (accuracy for a classifier,
// R^2 for a regressor, as scikit-learn's estimator.score); ConfigError listing the choices, or
// when the metric is not one of the model's task.
ImportanceMetric parse_metric(const std::string& name, data::Task task);
bool higher_is_better(ImportanceMetric metric);

// The rows to score: network inputs (model.features.transform of the file's features) and the
// targets as data::encode_target gives them (class index, or the value in target units).
struct ScoredRows {
  Matrix inputs;                // (model.spec.inputs, N)
  Matrix targets;               // (1, N)
  std::vector<double> weights;  // empty, or one per row (>= 0, not all 0)
};

struct ImportanceOptions {
  ImportanceMetric metric = ImportanceMetric::kAccuracy;
  int repeats = 5;         // >= 1 (scikit-learn's n_repeats default)
  std::uint64_t seed = 1;  // permutations: see permutation()
  int threads = 1;         // >= 1; the result does not depend on it
};

struct ColumnImportance {
  std::string column;
  // drops[r]: the metric's drop on repeat r (baseline - permuted for a higher-is-better metric,
  // permuted - baseline for a loss), so a positive drop means the column matters.
  std::vector<double> drops;
  double mean = 0, std = 0;  // over drops; std is the population std (numpy's default)
};

struct ImportanceResult {
  ImportanceMetric metric = ImportanceMetric::kAccuracy;
  double baseline = 0;  // the metric on the rows as they are
  int repeats = 0;
  std::uint64_t seed = 0;
  Index rows = 0;
  std::vector<ColumnImportance> columns;  // by mean, highest first (ties in column order)
};

// The permutations of n rows for repeats 0 .. repeats - 1: in repeat r, permuted row j takes
// the value of row p[r][j]. The same for every column (as scikit-learn, which seeds each
// column's shuffles alike): Fisher-Yates shuffles of 0..n-1 from Rng(seed), repeat r being the
// (r+1)-th shuffle of the same vector.
std::vector<std::vector<Index>> permutations(std::uint64_t seed, Index n, int repeats);

// The metric of the model's outputs for the rows (outputs as model::predict_outputs gives).
double score(ImportanceMetric metric, const model::Model& m, const Matrix& outputs,
             const ScoredRows& rows);

// The model's outputs for (network) inputs x: the forward pass in chunks, in target units.
// ModelError for non-finite weights or outputs (as predict_outputs).
Matrix model_outputs(const model::Model& m, const Matrix& x);

// ConfigError for repeats < 1 or threads < 1 (checked before reading any data).
void check_options(const ImportanceOptions& options);

// Permutation importance of every input column of m on rows. Config errors (repeats < 1,
// threads < 1, a metric of the other task) are ConfigError; rows whose size does not match the
// model is an Error.
ImportanceResult permutation_importance(const model::Model& m, const ScoredRows& rows,
                                        const ImportanceOptions& options);

// The JSON that `nnfit importance --json` prints and `nnfit report --importance` reads:
// {"metric", "higher_is_better", "baseline", "repeats", "seed", "rows",
//  "columns": [{"column", "mean", "std", "drops": [...]}, ...]}, columns as in result.
nlohmann::json to_json(const ImportanceResult& result);
// The table: a header naming the metric, baseline, rows, repeats and seed, then one line per
// column (name, mean, std), highest mean first. weight_column: "" or the column that weighted
// the rows (named in the header).
std::string to_table(const ImportanceResult& result, const std::string& weight_column);

}  // namespace nnfit::eval
