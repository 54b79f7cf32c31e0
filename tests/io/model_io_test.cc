// Model file: exact round trip, deterministic bytes, atomic writes, corrupt files rejected.
#include "io/model_io.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "testing/paths.h"
#include "train/pipeline.h"

namespace nnfit::io {
namespace {

namespace fs = std::filesystem;

using test::data_path;

train::TrainRun small_run(std::uint64_t seed, const std::string& file = "iris.csv") {
  train::DataOptions d;
  d.data = data_path(file);
  train::TrainOptions o;
  o.hidden = {5, 3};
  o.activation = {"tanh", "relu"};
  o.epochs = 5;
  o.seed = seed;
  return train::train_csv(d, o);
}

fs::path temp_dir() {
  const fs::path dir = fs::temp_directory_path() /
                       ("nnfit_io_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(ModelIoTest, RoundTripGivesBitIdenticalParametersAndPredictions) {
  const model::Model m = small_run(1).model;
  const model::Model back = model_from_string(model_to_string(m), "mem");
  EXPECT_TRUE(back.params == m.params);
  EXPECT_TRUE(back.feature_scaler.mean == m.feature_scaler.mean);
  EXPECT_TRUE(back.feature_scaler.scale == m.feature_scaler.scale);
  EXPECT_EQ(back.feature_names, m.feature_names);
  EXPECT_EQ(back.target.classes, m.target.classes);
  EXPECT_EQ(back.spec.hidden, m.spec.hidden);
  EXPECT_EQ(back.spec.activations, m.spec.activations);
  EXPECT_EQ(back.options.seed, m.options.seed);
  EXPECT_EQ(back.metrics, m.metrics);
  const Matrix x = data::read_features(data_path("iris.csv"), m.feature_names);
  EXPECT_TRUE(model::predict_outputs(back, x) == model::predict_outputs(m, x));
  EXPECT_EQ(model_to_string(back), model_to_string(m));
}

TEST(ModelIoTest, RegressionModelRoundTripsTargetScaling) {
  const model::Model m = small_run(2, "diabetes.csv").model;
  const model::Model back = model_from_string(model_to_string(m), "mem");
  EXPECT_EQ(back.target.task, data::Task::kRegression);
  EXPECT_EQ(back.target_mean, m.target_mean);
  EXPECT_EQ(back.target_scale, m.target_scale);
}

TEST(ModelIoTest, SameSeedGivesByteIdenticalFiles) {
  EXPECT_EQ(model_to_string(small_run(4).model), model_to_string(small_run(4).model));
  EXPECT_NE(model_to_string(small_run(4).model), model_to_string(small_run(5).model));
}

TEST(ModelIoTest, FileIsSelfDescribing) {
  const std::string text = model_to_string(small_run(1).model);
  const auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j["format"], "nnfit-model");
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["architecture"]["hidden"], nlohmann::json({5, 3}));
  EXPECT_EQ(j["architecture"]["activations"], nlohmann::json({"tanh", "relu"}));
  EXPECT_EQ(j["target"]["classes"], nlohmann::json({"setosa", "versicolor", "virginica"}));
  EXPECT_EQ(j["hyperparameters"]["epochs"], 5);
  EXPECT_TRUE(j["metrics"].contains("validation"));
  EXPECT_EQ(j["layers"].size(), 3u);
}

TEST(ModelIoTest, SaveAndLoadThroughAFile) {
  const fs::path dir = temp_dir();
  const model::Model m = small_run(1).model;
  save_model(m, (dir / "m.nnfit").string());
  EXPECT_TRUE(load_model((dir / "m.nnfit").string()).params == m.params);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1);
  fs::remove_all(dir);
}

TEST(ModelIoTest, TruncatedOrCorruptFilesAreRejected) {
  const std::string text = model_to_string(small_run(1).model);
  EXPECT_THROW(model_from_string(text.substr(0, text.size() / 2), "t"), ModelError);
  EXPECT_THROW(model_from_string("", "t"), ModelError);
  EXPECT_THROW(model_from_string("{\"format\": \"other\"}", "t"), ModelError);
  auto j = nlohmann::json::parse(text);
  j["layers"][0]["weights"][0].erase(0);
  EXPECT_THROW(model_from_string(j.dump(), "t"), ModelError);
  j = nlohmann::json::parse(text);
  j["version"] = 99;
  try {
    model_from_string(j.dump(), "m.nnfit");
    FAIL();
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("m.nnfit"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("version 99"), std::string::npos);
  }
  EXPECT_THROW(load_model("/nonexistent/m.nnfit"), ModelError);
}

TEST(ModelIoTest, FailedWriteLeavesExistingFileIntactAndNoTemporaries) {
  const fs::path dir = temp_dir();
  const fs::path target = dir / "m.nnfit";
  fs::create_directory(target);  // renaming a file over a directory fails
  std::ofstream(target / "keep") << "old";
  EXPECT_THROW(write_file_atomically(target.string(), "new contents"), Error);
  EXPECT_TRUE(fs::exists(target / "keep"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1);
  EXPECT_THROW(write_file_atomically((dir / "no/such/dir/m").string(), "x"), Error);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace nnfit::io
