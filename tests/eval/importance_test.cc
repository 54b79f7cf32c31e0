// Permutation importance: the fast path (slots of the transformed input permuted) gives the
// same numbers as permuting the raw column and predicting from scratch; threads, seeds,
// metrics and weights do what they say; the JSON follows the contract with `nnfit report`.
#include "eval/importance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.h"
#include "data/dataset.h"
#include "data/target.h"
#include "eval/report.h"
#include "testing/paths.h"
#include "train/pipeline.h"

namespace nnfit::eval::importance_test {
namespace {

// A small model on penguins (categorical columns, missing cells imputed) and the file's rows,
// as read (raw) and as scored.
struct Penguins {
  model::Model m;
  data::Dataset raw;
  ScoredRows rows;
};

const Penguins& penguins() {
  static const Penguins p = [] {
    train::DataOptions d;
    d.data = test::data_path("penguins.csv");
    d.target = "Species";
    d.impute = "median";
    train::TrainOptions o;
    o.hidden = {6};
    o.epochs = 30;
    o.seed = 3;
    Penguins out;
    out.m = train::train_csv(d, o).model;
    data::CsvOptions csv;
    csv.allow_missing = true;
    csv.categorical = out.m.features.categorical_names();
    out.raw = data::read_dataset(d.data, "Species", csv);
    out.rows.inputs = out.m.features.transform(out.raw, {});
    out.rows.targets = data::encode_target(out.raw, out.m.target);
    return out;
  }();
  return p;
}

ImportanceOptions options(ImportanceMetric metric, int repeats, std::uint64_t seed,
                          int threads = 1) {
  ImportanceOptions o;
  o.metric = metric;
  o.repeats = repeats;
  o.seed = seed;
  o.threads = threads;
  return o;
}

const ColumnImportance& column(const ImportanceResult& r, const std::string& name) {
  for (const ColumnImportance& c : r.columns) {
    if (c.column == name) return c;
  }
  throw Error("no column " + name);
}

TEST(ImportanceTest, SameAsPermutingTheRawColumnAndPredicting) {
  const Penguins& p = penguins();
  for (ImportanceMetric metric : {ImportanceMetric::kAccuracy, ImportanceMetric::kLogLoss}) {
    const ImportanceResult r = permutation_importance(p.m, p.rows, options(metric, 3, 5));
    const double baseline = score(metric, p.m, model::predict_outputs(p.m, p.raw), p.rows);
    EXPECT_DOUBLE_EQ(r.baseline, baseline);
    const auto perms = permutations(5, p.raw.x.cols(), 3);
    for (std::size_t f = 0; f < p.raw.feature_names.size(); ++f) {
      for (int rep = 0; rep < 3; ++rep) {
        data::Dataset shuffled = p.raw;  // the raw column: categories and missing cells move
        for (Index j = 0; j < shuffled.x.cols(); ++j) {
          shuffled.x(static_cast<Index>(f), j) =
              p.raw.x(static_cast<Index>(f),
                      perms[static_cast<std::size_t>(rep)][static_cast<std::size_t>(j)]);
        }
        const double permuted = score(metric, p.m, model::predict_outputs(p.m, shuffled), p.rows);
        const double drop = higher_is_better(metric) ? baseline - permuted : permuted - baseline;
        EXPECT_DOUBLE_EQ(column(r, p.raw.feature_names[f]).drops[static_cast<std::size_t>(rep)],
                         drop)
            << p.raw.feature_names[f] << " repeat " << rep;
      }
    }
  }
}

TEST(ImportanceTest, MeanAndPopulationStdOfTheDropsSortedByMean) {
  const Penguins& p = penguins();
  const ImportanceResult r =
      permutation_importance(p.m, p.rows, options(ImportanceMetric::kAccuracy, 4, 1));
  ASSERT_EQ(r.columns.size(), p.m.features.columns.size());
  EXPECT_EQ(r.rows, p.raw.x.cols());
  for (std::size_t k = 0; k < r.columns.size(); ++k) {
    const ColumnImportance& c = r.columns[k];
    ASSERT_EQ(c.drops.size(), 4u);
    double mean = 0, ss = 0;
    for (double d : c.drops) mean += d / 4;
    for (double d : c.drops) ss += (d - mean) * (d - mean);
    EXPECT_NEAR(c.mean, mean, 1e-12);
    EXPECT_NEAR(c.std, std::sqrt(ss / 4), 1e-12);  // numpy's std (ddof 0)
    if (k > 0) {
      EXPECT_GE(r.columns[k - 1].mean, c.mean);
    }
  }
  EXPECT_GT(r.columns.front().mean, 0.05);  // some column matters to a trained model
}

TEST(ImportanceTest, ThreadsDoNotChangeTheNumbersTheSeedDoes) {
  const Penguins& p = penguins();
  const auto one =
      permutation_importance(p.m, p.rows, options(ImportanceMetric::kLogLoss, 3, 7, 1));
  const auto three =
      permutation_importance(p.m, p.rows, options(ImportanceMetric::kLogLoss, 3, 7, 3));
  const auto other =
      permutation_importance(p.m, p.rows, options(ImportanceMetric::kLogLoss, 3, 8, 1));
  bool differs = false;
  for (const ColumnImportance& c : one.columns) {
    EXPECT_EQ(column(three, c.column).drops, c.drops) << c.column;
    differs |= column(other, c.column).drops != c.drops;
  }
  EXPECT_TRUE(differs);
}

TEST(ImportanceTest, PermutationsArePermutationsThatDifferPerRepeat) {
  const auto perms = permutations(1, 50, 3);
  ASSERT_EQ(perms.size(), 3u);
  for (const auto& q : perms) {
    EXPECT_EQ(std::set<Index>(q.begin(), q.end()).size(), 50u);
    EXPECT_EQ(*std::max_element(q.begin(), q.end()), 49);
  }
  EXPECT_NE(perms[0], perms[1]);
  EXPECT_EQ(permutations(1, 50, 2)[1], perms[1]);  // the first repeats do not depend on more
}

TEST(ImportanceTest, AColumnTheNetworkIgnoresHasNoImportance) {
  Penguins p = penguins();
  // Zero the first layer's weights from the slots of column 0 (W is (units, inputs), col-major).
  nn::Network net(p.m.spec);
  const nn::WeightBlock w = net.weight_blocks().front();
  const Index width = p.m.features.columns[0].width();
  p.m.params.segment(w.offset, w.rows * width).setZero();
  const ImportanceResult r =
      permutation_importance(p.m, p.rows, options(ImportanceMetric::kLogLoss, 3, 2));
  for (double d : column(r, p.m.features.columns[0].name).drops) EXPECT_EQ(d, 0.0);
}

TEST(ImportanceTest, WeightsWeighTheScore) {
  const Penguins& p = penguins();
  ScoredRows weighted = p.rows;
  for (Index j = 0; j < weighted.targets.cols(); ++j) {
    weighted.weights.push_back(weighted.targets(0, j) == 0 ? 5.0 : 0.5);
  }
  const auto r = permutation_importance(p.m, weighted, options(ImportanceMetric::kLogLoss, 2, 1));
  const Matrix out = model_outputs(p.m, p.rows.inputs);
  EXPECT_DOUBLE_EQ(r.baseline, score(ImportanceMetric::kLogLoss, p.m, out, weighted));
  EXPECT_NE(r.baseline, score(ImportanceMetric::kLogLoss, p.m, out, p.rows));
  // Accuracy has its own quick sum: the same number as the report's, weighted or not.
  std::vector<int> truth;
  for (Index j = 0; j < out.cols(); ++j) truth.push_back(static_cast<int>(p.rows.targets(0, j)));
  for (const ScoredRows* rows : std::initializer_list<const ScoredRows*>{&p.rows, &weighted}) {
    const std::vector<double>* w = rows->weights.empty() ? nullptr : &rows->weights;
    EXPECT_EQ(score(ImportanceMetric::kAccuracy, p.m, out, *rows),
              classification_report(out, truth, p.m.target.classes, w).accuracy);
  }
  EXPECT_NE(score(ImportanceMetric::kAccuracy, p.m, out, weighted),
            score(ImportanceMetric::kAccuracy, p.m, out, p.rows));
}

TEST(ImportanceTest, MetricsBelongToTheModelsTask) {
  using data::Task;
  EXPECT_EQ(parse_metric("default", Task::kClassification), ImportanceMetric::kAccuracy);
  EXPECT_EQ(parse_metric("default", Task::kRegression), ImportanceMetric::kR2);
  EXPECT_EQ(parse_metric("mae", Task::kRegression), ImportanceMetric::kMae);
  EXPECT_THROW(parse_metric("r2", Task::kClassification), ConfigError);
  EXPECT_THROW(parse_metric("accuracy", Task::kRegression), ConfigError);
  EXPECT_FALSE(higher_is_better(ImportanceMetric::kRmse));
  EXPECT_TRUE(higher_is_better(ImportanceMetric::kMacroF1));
  const Penguins& p = penguins();
  EXPECT_THROW(permutation_importance(p.m, p.rows, options(ImportanceMetric::kR2, 2, 1)),
               ConfigError);
  EXPECT_THROW(permutation_importance(p.m, p.rows, options(ImportanceMetric::kAccuracy, 0, 1)),
               ConfigError);
  EXPECT_THROW(permutation_importance(p.m, p.rows, options(ImportanceMetric::kAccuracy, 1, 1, 0)),
               ConfigError);
}

TEST(ImportanceTest, JsonFollowsTheContractWithReport) {
  const Penguins& p = penguins();
  const ImportanceResult r =
      permutation_importance(p.m, p.rows, options(ImportanceMetric::kLogLoss, 2, 9));
  const nlohmann::json j = to_json(r);
  std::set<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.insert(k);
  EXPECT_EQ(keys, (std::set<std::string>{"metric", "higher_is_better", "baseline", "repeats",
                                         "seed", "rows", "columns"}));
  EXPECT_EQ(j.at("metric"), "log_loss");
  EXPECT_EQ(j.at("higher_is_better"), false);
  EXPECT_EQ(j.at("seed"), 9);
  EXPECT_EQ(j.at("repeats"), 2);
  EXPECT_EQ(j.at("rows"), p.raw.x.cols());
  ASSERT_EQ(j.at("columns").size(), r.columns.size());
  for (std::size_t k = 0; k < r.columns.size(); ++k) {
    const auto& c = j.at("columns")[k];
    EXPECT_EQ(c.at("column"), r.columns[k].column);
    EXPECT_EQ(c.at("mean").get<double>(), r.columns[k].mean);
    EXPECT_EQ(c.at("std").get<double>(), r.columns[k].std);
    EXPECT_EQ(c.at("drops").get<std::vector<double>>(), r.columns[k].drops);
  }
}

}  // namespace
}  // namespace nnfit::eval::importance_test
