// Model file format version 3 (weights as base64 float32) and recognition: bit-exact round
// trips, version 2 files still load, damaged weight arrays and files nnfit did not write are
// refused with a message that says which.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "io/model_io.h"
#include "io/model_test_util.h"

namespace nnfit::io {
namespace {

namespace fs = std::filesystem;

std::uint32_t bits(Scalar f) {
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ModelFormatTest, RoundTripIsBitExactForSignedZerosDenormalsAndExtremes) {
  model::Model m = small_run(1).model;
  const Scalar special[] = {-0.0f,
                            0.0f,
                            std::numeric_limits<Scalar>::denorm_min(),
                            -std::numeric_limits<Scalar>::denorm_min() * 7,
                            FLT_MIN / 3,
                            FLT_MAX,
                            -FLT_MAX,
                            FLT_MIN};
  for (std::size_t k = 0; k < std::size(special); ++k) {
    m.params[static_cast<Index>(k * 3)] = special[k];  // weights of both layers
  }
  m.params[m.params.size() - 1] = -0.0f;  // a bias
  const std::string text = model_to_string(m);
  int version = 0;
  const model::Model back = model_from_string(text, "mem", &version);
  EXPECT_EQ(version, 3);
  ASSERT_EQ(back.params.size(), m.params.size());
  for (Index i = 0; i < m.params.size(); ++i)
    EXPECT_EQ(bits(back.params[i]), bits(m.params[i])) << i;
  EXPECT_EQ(model_to_string(back), text);
}

// tests/fixtures/penguins-v2.nnfit was written by nnfit in format version 2.
TEST(ModelFormatTest, VersionTwoFixtureLoadsWithItsWeightsAndResavesAsVersionThree) {
  const std::string path = test::fixture_path("penguins-v2.nnfit");
  int version = 0;
  const model::Model m = load_model(path, &version);
  EXPECT_EQ(version, 2);
  // Its weights, read independently: row o of layer l's "weights" is output unit o.
  const auto j = nlohmann::json::parse(read_text(path));
  Index offset = 0;
  for (const auto& layer : j["layers"]) {
    const Index in = layer["inputs"], out = layer["outputs"];
    for (Index o = 0; o < out; ++o) {
      for (Index i = 0; i < in; ++i) {
        EXPECT_EQ(m.params[offset + i * out + o], layer["weights"][o][i].get<Scalar>());
      }
      EXPECT_EQ(m.params[offset + in * out + o], layer["bias"][o].get<Scalar>());
    }
    offset += in * out + out;
  }
  EXPECT_EQ(offset, m.params.size());
  const model::Model again = model_from_string(model_to_string(m), "v3", &version);
  EXPECT_EQ(version, 3);
  EXPECT_TRUE(again.params == m.params);
}

// The version 3 file is about 2.5 times smaller than version 2 for the same weights.
TEST(ModelFormatTest, VersionThreeIsSmallerThanVersionTwo) {
  train::DataOptions d;
  d.data = test::data_path("iris.csv");
  train::TrainOptions o;
  o.hidden = {64, 64};
  o.epochs = 1;
  const model::Model m = train::train_csv(d, o).model;
  const std::string v3 = model_to_string(m), v2 = reseal(as_version2(m));
  EXPECT_TRUE(model_from_string(v2, "v2").params == m.params);
  EXPECT_LT(v3.size() * 2, v2.size()) << v3.size() << " vs " << v2.size();
}

TEST(ModelFormatTest, DamagedWeightArraysAreRejectedWithTheLayerAndTheReason) {
  const auto j = nlohmann::json::parse(model_to_string(small_run(1).model));
  const std::string prefix = "'m.nnfit' is not a usable nnfit model: ";
  ASSERT_EQ(j["layers"][0]["weights"]["base64"].get<std::string>().size(),
            108u);  // 5 x 4 floats, 80 bytes
  EXPECT_EQ(error_after(j,
                        [](nlohmann::json& e) {
                          e["layers"][0]["weights"]["base64"].get_ref<std::string&>()[5] = '!';
                        }),
            prefix + "layer 1 weights: invalid base64: character '!' at offset 5");
  EXPECT_EQ(error_after(j,
                        [](nlohmann::json& e) {
                          e["layers"][0]["weights"]["base64"].get_ref<std::string&>().resize(104);
                        }),
            prefix +
                "layer 1 weights: 104 base64 characters, expected 108 (20 float32 values); the "
                "file was edited or written by another tool");
  EXPECT_EQ(error_after(j, [](nlohmann::json& e) { e["layers"][1]["bias"]["base64"] = 7; }),
            prefix + "layer 2 bias has no \"base64\" string");
  EXPECT_EQ(
      error_after(j, [](nlohmann::json& e) { e["layers"][0]["weights"]["dtype"] = "float64-le"; }),
      prefix + "layer 1 weights must be \"dtype\": \"float32-le\", \"order\": \"column-major\"");
  EXPECT_EQ(error_after(j,
                        [](nlohmann::json& e) {
                          e["layers"][0]["weights"]["shape"] = {4, 5};
                        }),
            prefix + "layer 1 weights must have \"shape\": [5,4] (the architecture's)");
  // A NaN weight: float32 0x7fc00000 is "AADAfw==" little-endian.
  EXPECT_EQ(
      error_after(j,
                  [](nlohmann::json& e) { e["layers"][2]["bias"]["base64"] = "AADAfwAAwH8AAMB/"; }),
      prefix + "layer 3 bias: value 0 is NaN or infinite");
}

TEST(ModelFormatTest, EditedVersionThreeFileIsStillCorrupt) {
  const std::string text = model_to_string(small_run(1).model);
  std::string edited = text;
  const std::size_t data = edited.rfind("\"base64\": \"");
  edited[data + 11] = edited[data + 11] == 'A' ? 'B' : 'A';
  EXPECT_EQ(load_error(edited),
            "'m.nnfit' is corrupt: checksum mismatch (the file was truncated or edited); retrain "
            "or restore it");
  EXPECT_NE(load_error(text.substr(0, text.size() / 3)).find("is corrupt: no checksum"),
            std::string::npos);
}

TEST(ModelFormatTest, FilesNnfitDidNotWriteAreNotAnNnfitModel) {
  const auto expect = [](const std::string& text, const std::string& looks_like) {
    EXPECT_EQ(load_error(text), "'m.nnfit' is not an nnfit model (" + looks_like +
                                    "); give a model file written by nnfit train")
        << text;
  };
  expect("species,sepal_length\nsetosa,5.1\n", "CSV text, first line 'species,sepal_length'");
  expect("a;b\r\n1;2\r\n", "CSV text, first line 'a;b'");
  expect(std::string(70, 'x') + ",y\n", "CSV text, first line '" + std::string(60, 'x') + "...'");
  expect(std::string("\x7f"
                     "ELF\x02\x01\x01\0\0\0",
                     10),
         "an executable (ELF)");
  expect(std::string("PK\x03\x04\0\0\x08\0", 8), "binary data");
  expect("#!/bin/sh\necho hi\n", "a script, first line '#!/bin/sh'");
  expect("hello\n", "text, first line 'hello'");
  expect("", "an empty file");
  expect(" \n\n", "a file of blank space");
  expect("{\"a\": 1}", "JSON without \"format\": \"nnfit-model\"");
  expect("{\"format\": \"onnx\"}", "JSON with \"format\": \"onnx\"");
  expect("[1, 2]", "a JSON array, not an object");
  expect("{\"a\": ", "JSON-like text that does not parse and has no \"format\": \"nnfit-model\"");
  // Damage to a real model file is "corrupt", not "not an nnfit model".
  const std::string text = model_to_string(small_run(1).model);
  EXPECT_NE(load_error(text.substr(0, 30)).find("is corrupt"), std::string::npos);
  auto j = nlohmann::json::parse(text);
  j.erase("checksum");
  EXPECT_NE(load_error(j.dump()).find("is corrupt: no checksum"), std::string::npos);
}

TEST(ModelFormatTest, DirectoryOrMissingFileSaysSo) {
  const fs::path dir = fs::temp_directory_path() / "nnfit_model_format_dir.nnfit";
  fs::create_directories(dir);
  try {
    load_model(dir.string());
    ADD_FAILURE() << "a directory loaded";
  } catch (const ModelError& e) {
    EXPECT_EQ(std::string(e.what()),
              "'" + dir.string() + "' is a directory; give a model file written by nnfit train");
  }
  fs::remove_all(dir);
  try {
    load_model((dir / "none").string());
    ADD_FAILURE() << "a missing file loaded";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open model"), std::string::npos);
  }
}

}  // namespace
}  // namespace nnfit::io
