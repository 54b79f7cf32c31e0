// Learning with default options on the bundled real datasets (data/), scored on held-out rows.
#include "train/pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.h"
#include "testing/paths.h"
#include "train/metrics.h"

namespace nnfit::train {
namespace {

using test::data_path;

// Scores a model on a labelled CSV the way a user would: predict from raw features.
double test_score(const model::Model& m, const std::string& file) {
  const data::Dataset test = data::read_dataset(data_path(file), m.target_name);
  const Matrix out =
      model::predict_outputs(m, data::read_features(data_path(file), m.features.names()));
  const Matrix y = data::encode_target(test, m.target);
  return m.target.task == data::Task::kClassification ? accuracy(out, y) : r2(out, y);
}

TEST(PipelineTest, IrisDefaultsReachHeldOutAccuracy093) {
  DataOptions d;
  d.data = data_path("iris.csv");
  d.target = "species";
  const TrainRun run = train_csv(d, TrainOptions{});
  EXPECT_EQ(run.model.target.task, data::Task::kClassification);
  EXPECT_EQ(run.n_val, 30);
  EXPECT_EQ(run.n_train, 120);
  EXPECT_GE(run.model.metrics["validation"]["accuracy"].get<double>(), 0.93);
}

TEST(PipelineTest, IrisTrainSplitGeneralisesToTestSplit) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    DataOptions d;
    d.data = data_path("iris.train.csv");
    d.target = "species";
    TrainOptions o;
    o.seed = seed;
    const TrainRun run = train_csv(d, o);
    EXPECT_GE(test_score(run.model, "iris.test.csv"), 0.93) << "seed " << seed;
  }
}

TEST(PipelineTest, DiabetesDefaultsReachR2Of040) {
  DataOptions d;
  d.data = data_path("diabetes.train.csv");
  d.target = "progression";
  const TrainRun run = train_csv(d, TrainOptions{});
  EXPECT_EQ(run.model.target.task, data::Task::kRegression);
  EXPECT_GT(run.model.target_scale, 10.0);  // the target was standardised
  EXPECT_GE(test_score(run.model, "diabetes.test.csv"), 0.40);
}

TEST(PipelineTest, SeparateValidationFileIsUsed) {
  DataOptions d;
  d.data = data_path("iris.train.csv");
  d.val_data = data_path("iris.test.csv");
  d.target = "species";
  TrainOptions o;
  o.epochs = 3;
  const TrainRun run = train_csv(d, o);
  EXPECT_EQ(run.n_train, 120);
  EXPECT_EQ(run.n_val, 30);
}

TEST(PipelineTest, ZeroValSplitTrainsAllEpochsOnAllRows) {
  DataOptions d;
  d.data = data_path("iris.csv");
  d.val_split = 0;
  TrainOptions o;
  o.epochs = 7;
  const TrainRun run = train_csv(d, o);
  EXPECT_EQ(run.n_train, 150);
  EXPECT_EQ(run.n_val, 0);
  EXPECT_EQ(run.fit.epochs_run, 7);
  EXPECT_EQ(run.fit.best_epoch, 7);
}

TEST(PipelineTest, TooFewRowsForTheSplitIsADataError) {
  std::istringstream one_row("a,y\n1,2\n");
  const data::Dataset tiny = data::read_dataset("tiny.csv", one_row, "y");
  DataOptions d;
  d.val_split = 0.5;
  d.task = "regression";
  try {
    train_datasets(tiny, nullptr, d, TrainOptions{});
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("tiny.csv: 1 rows are too few"), std::string::npos) << e.what();
  }
  d.data = data_path("iris.csv");
  d.val_split = 1.0;
  EXPECT_THROW(train_csv(d, TrainOptions{}), ConfigError);
}

TEST(PipelineTest, WarnsAboutConstantColumnsAndRareClasses) {
  std::string text = "a,const,y\n";
  for (int i = 0; i < 40; ++i) text += std::to_string(i) + ",5," + (i % 2 ? "p" : "q") + "\n";
  text += "99,5,rare\n";
  std::istringstream in(text);
  const data::Dataset d = data::read_dataset("w.csv", in, "y");
  DataOptions opt;
  std::vector<std::string> warnings;
  opt.csv.warn = [&](const std::string& w) { warnings.push_back(w); };
  TrainOptions o;
  o.epochs = 2;
  const TrainRun run = train_datasets(d, nullptr, opt, o);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("column 'const' is constant"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[1].find("class 'rare' has 1 row(s): too rare to stratify"), std::string::npos)
      << warnings[1];
  EXPECT_EQ(run.model.features.columns[1].scale, 1.0f);  // no NaN from the constant column
}

TEST(PipelineTest, ScalerIsFittedOnTrainingRowsOnly) {
  DataOptions d;
  d.data = data_path("iris.csv");
  d.target = "species";
  TrainOptions o;
  o.epochs = 1;
  const TrainRun run = train_csv(d, o);
  const data::Dataset all = data::read_dataset(d.data, "species");
  // The stored means differ from the full-file means: only the 120 training rows were used.
  const Vector full_mean = all.x.rowwise().mean();
  double largest_difference = 0;
  for (Index f = 0; f < full_mean.size(); ++f) {
    const double mean = run.model.features.columns[static_cast<std::size_t>(f)].mean;
    largest_difference = std::max(largest_difference, std::abs(mean - full_mean[f]));
  }
  EXPECT_GT(largest_difference, 1e-4);
}

TEST(PipelineTest, FoldsScoreHeldOutRowsNeverUsedForTrainingOrEarlyStopping) {
  data::Dataset d = data::read_dataset(data_path("iris.csv"), "species");
  DataOptions opt;
  opt.val_split = 0.25;
  Rng rng(3);
  const std::vector<PreparedData> folds = prepare_folds(d, opt, 5, rng);
  ASSERT_EQ(folds.size(), 5u);
  Index scored = 0;
  for (const PreparedData& f : folds) {
    EXPECT_EQ(f.x_test.cols(), 30);  // 150 / 5, stratified: 10 per class
    // The fold's other rows are split into training and early-stopping rows, disjoint from it.
    EXPECT_EQ(f.x_train.cols() + f.x_val.cols() + f.x_test.cols(), 150);
    EXPECT_EQ(f.x_val.cols(), 30);  // 25 % of the 120 training rows
    for (int k = 0; k < 3; ++k) EXPECT_EQ((f.y_test.array() == k).count(), 10);
    scored += f.x_test.cols();
  }
  EXPECT_EQ(scored, 150);  // every row scored exactly once
  opt.val_split = 0;
  Rng rng2(3);
  EXPECT_THROW(prepare_folds(d, opt, 5, rng2), ConfigError);
}

}  // namespace
}  // namespace nnfit::train
