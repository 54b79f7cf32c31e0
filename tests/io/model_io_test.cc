// Model file: exact round trip, deterministic bytes, atomic writes, checksum, corrupt files
// rejected.
#include "io/model_io.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>

#include "core/error.h"
#include "io/model_test_util.h"
#include "testing/paths.h"

namespace nnfit::io {
namespace {

namespace fs = std::filesystem;

using test::data_path;

fs::path temp_dir() {
  const fs::path dir =
      fs::temp_directory_path() /
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
  ASSERT_EQ(back.features.columns.size(), m.features.columns.size());
  for (std::size_t i = 0; i < m.features.columns.size(); ++i) {
    EXPECT_EQ(back.features.columns[i].name, m.features.columns[i].name);
    EXPECT_EQ(back.features.columns[i].mean, m.features.columns[i].mean);
    EXPECT_EQ(back.features.columns[i].scale, m.features.columns[i].scale);
  }
  EXPECT_EQ(back.target.classes, m.target.classes);
  EXPECT_EQ(back.spec.hidden, m.spec.hidden);
  EXPECT_EQ(back.spec.activations, m.spec.activations);
  EXPECT_EQ(back.options.seed, m.options.seed);
  EXPECT_EQ(back.metrics, m.metrics);
  const data::Dataset d = data::read_features(data_path("iris.csv"), m.features.names());
  EXPECT_TRUE(model::predict_outputs(back, d) == model::predict_outputs(m, d));
  EXPECT_EQ(model_to_string(back), model_to_string(m));
}

TEST(ModelIoTest, NegativeZeroWeightKeepsItsSign) {  // found by fuzz/model_fuzz
  model::Model m = small_run(1).model;
  m.params[0] = -0.0f;
  m.params[m.params.size() - 1] = -0.0f;  // a bias
  const model::Model back = model_from_string(model_to_string(m), "mem");
  EXPECT_TRUE(std::signbit(back.params[0]));
  EXPECT_TRUE(std::signbit(back.params[back.params.size() - 1]));
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
  EXPECT_EQ(j["version"], 3);
  EXPECT_EQ(j["features"]["columns"][0]["name"], "sepal length (cm)");
  EXPECT_EQ(j["features"]["columns"][0]["type"], "numeric");
  EXPECT_EQ(j["features"]["impute"], "none");
  EXPECT_EQ(j["architecture"]["hidden"], nlohmann::json({5, 3}));
  EXPECT_EQ(j["architecture"]["activations"], nlohmann::json({"tanh", "relu"}));
  EXPECT_EQ(j["target"]["classes"], nlohmann::json({"setosa", "versicolor", "virginica"}));
  EXPECT_EQ(j["hyperparameters"]["epochs"], 5);
  EXPECT_TRUE(j["metrics"].contains("validation"));
  ASSERT_EQ(j["layers"].size(), 3u);
  EXPECT_EQ(j["layers"][0]["weights"]["shape"], nlohmann::json({5, 4}));
  EXPECT_EQ(j["layers"][0]["weights"]["order"], "column-major");
  EXPECT_EQ(j["layers"][0]["weights"]["dtype"], "float32-le");
  EXPECT_EQ(j["layers"][0]["weights"]["base64"].get<std::string>().size(),
            108u);  // 20 floats, 80 bytes
  EXPECT_EQ(j["layers"][2]["bias"]["shape"], nlohmann::json({3}));
}

// Models written before categorical columns (format version 1) list numeric columns as
// names, means and scales; they still load and predict the same.
TEST(ModelIoTest, VersionOneFilesStillLoad) {
  const model::Model m = small_run(1).model;
  auto j = as_version2(m);
  nlohmann::json names = nlohmann::json::array(), mean = names, scale = names;
  for (const auto& c : m.features.columns) {
    names.push_back(c.name);
    mean.push_back(c.mean);
    scale.push_back(c.scale);
  }
  j["version"] = 1;
  j["features"] = {
      {"names", names}, {"ignored", nlohmann::json::array()}, {"mean", mean}, {"scale", scale}};
  const model::Model back = model_from_string(reseal(j), "v1.nnfit");
  const data::Dataset d = data::read_features(data_path("iris.csv"), m.features.names());
  EXPECT_TRUE(model::predict_outputs(back, d) == model::predict_outputs(m, d));
  j["features"]["scale"][2] = 0;
  EXPECT_NE(load_error(reseal(j)).find("scale is not positive"), std::string::npos);
  j["features"]["scale"].erase(2);
  EXPECT_NE(load_error(reseal(j)).find("disagree in number"), std::string::npos);
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
  j["version"] = 99;
  const std::string msg = load_error(reseal(j));
  EXPECT_NE(msg.find("m.nnfit"), std::string::npos);
  EXPECT_NE(msg.find("version 99"), std::string::npos);
  EXPECT_THROW(load_model("/nonexistent/m.nnfit"), ModelError);
}

TEST(ModelIoTest, ChecksumIsCrc32OfEverythingBeforeItsLine) {
  EXPECT_EQ(checksum_of("123456789"), "crc32:cbf43926");  // the CRC-32 check value
  EXPECT_EQ(checksum_of(""), "crc32:00000000");
  const std::string text = model_to_string(small_run(1).model);
  const std::size_t line = text.rfind("  \"checksum\": \"crc32:");
  ASSERT_NE(line, std::string::npos);
  const std::string sum = checksum_of(text.substr(0, line));
  EXPECT_EQ(text.substr(line), "  \"checksum\": \"" + sum + "\"\n}\n");
  EXPECT_EQ(nlohmann::json::parse(text)["checksum"], sum);
  EXPECT_EQ(load_error(reseal(nlohmann::json::parse(text))), "");
}

TEST(ModelIoTest, FlippedWeightCharacterIsAChecksumMismatch) {
  std::string text = model_to_string(small_run(1).model);
  const std::size_t data = text.find("\"base64\": \"", text.find("\"weights\""));
  ASSERT_NE(data, std::string::npos);
  char& c = text[data + 20];  // a character inside the first layer's weights
  c = c == 'A' ? 'B' : 'A';
  EXPECT_EQ(load_error(text),
            "'m.nnfit' is corrupt: checksum mismatch (the file was truncated or edited); retrain "
            "or restore it");
}

TEST(ModelIoTest, TruncationAnywhereIsRejected) {
  const std::string text = model_to_string(small_run(1).model);
  EXPECT_EQ(load_error(""),
            "'m.nnfit' is not an nnfit model (an empty file); give a model file written by nnfit "
            "train");
  for (int k = 1; k < 20; ++k) {
    const std::string cut = text.substr(0, text.size() * k / 20);
    EXPECT_NE(load_error(cut).find("'m.nnfit' is corrupt"), std::string::npos) << k;
  }
  EXPECT_EQ(load_error(text.substr(0, text.size() - 1)), "");  // only the final newline lost
  for (std::size_t n = 2; n <= 40; ++n) {  // every cut inside the checksum line and the tail
    const std::string msg = load_error(text.substr(0, text.size() - n));
    EXPECT_NE(msg.find("'m.nnfit' is corrupt"), std::string::npos) << n;
  }
}

TEST(ModelIoTest, MissingChecksumOrTrailingContentIsRejected) {
  const std::string text = model_to_string(small_run(1).model);
  auto j = nlohmann::json::parse(text);
  j.erase("checksum");
  EXPECT_NE(load_error(j.dump(2)).find("no checksum"), std::string::npos);
  std::string extra = text;
  extra.insert(extra.size() - 2, ", \"extra\": 1");  // before the closing brace
  EXPECT_NE(load_error(extra).find("checksum mismatch"), std::string::npos);
  EXPECT_NE(load_error(text + "{}").find("checksum mismatch"), std::string::npos);
  EXPECT_EQ(load_error(text + "\n"), "");  // trailing whitespace is harmless
}

// Found by fuzz/model_fuzz: files with a valid checksum but hostile contents must be a
// ModelError, not undefined behaviour, a huge allocation, a stack overflow or a later crash.
TEST(ModelIoTest, HostileValuesBehindAValidChecksumAreRejected) {
  const auto j = nlohmann::json::parse(model_to_string(small_run(1).model));
  const auto rejected = [&](const Edit& edit, const std::string& why) {
    const std::string msg = error_after(j, edit);
    EXPECT_NE(msg.find(why), std::string::npos) << msg;
  };
  rejected([](auto& e) { e["features"]["columns"][0]["mean"] = -1e39; }, "does not fit in a float");
  rejected([](auto& e) { e["architecture"]["hidden"][0] = 3000000000000; },
           "layer 1 weights must have \"shape\": [3000000000000,4]");
  rejected([](auto& e) { e["architecture"]["hidden"][0] = 1e30; }, "expected an integer");
  rejected([](auto& e) { e["version"] = 4294967297; }, "expected an integer in range");
  rejected([](auto& e) { e["hyperparameters"]["epochs"] = 2.5; }, "expected an integer");
  rejected([](auto& e) { e["architecture"]["outputs"] = 7; }, "output layer does not match");
  rejected([](auto& e) { e["target"]["classes"].push_back("extra"); }, "does not match");
  rejected([](auto& e) { e["task"] = "auto"; }, "must not be \"auto\"");
  rejected([](auto& e) { e["features"]["columns"][1]["scale"] = 0; }, "scale 0 is not positive");
  rejected([](auto& e) { e["target"]["scale"] = -1; }, "scale is not positive");
  rejected([](auto& e) { e["layers"][1]["weights"] = 5; }, "layer 2 weights must have");
  rejected([](auto& e) { e["layers"][0] = 5; }, "layer 1 is not an object");
  nlohmann::json deep = nlohmann::json::array();
  for (int i = 0; i < 100; ++i) deep = nlohmann::json::array({deep});
  rejected([&](auto& e) { e["metrics"] = deep; }, "nested too deeply");
}

// The same for the weights of format version 2 (rows of JSON numbers).
TEST(ModelIoTest, HostileVersionTwoWeightsAreRejected) {
  const auto j = as_version2(small_run(1).model);
  const auto rejected = [&](const Edit& edit, const std::string& why) {
    const std::string msg = error_after(j, edit);
    EXPECT_NE(msg.find(why), std::string::npos) << msg;
  };
  EXPECT_EQ(load_error(reseal(j)), "");
  rejected([](auto& e) { e["layers"][0]["weights"][0][0] = 1e300; }, "does not fit in a float");
  rejected([](auto& e) { e["layers"][0]["weights"][0].erase(0); }, "row of the wrong length");
  rejected([](auto& e) { e["architecture"]["hidden"][0] = 3000000000000; }, "wrong number of rows");
  rejected([](auto& e) { e["layers"][1]["weights"] = 5; }, "wrong number of rows");
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
