// Tests for the preprocessing section of the model file: an exact round trip, and every
// corruption rejected as a ModelError naming the file.
#include "io/preprocess_json.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "testing/feature_columns.h"

namespace nnfit::io {
namespace {

using data::FeatureColumn;
using data::Impute;
using data::Preprocessor;
using nlohmann::json;
using test::categorical_column;
using test::kNoFill;
using test::numeric_column;

const double kInf = std::numeric_limits<double>::infinity();

std::uint32_t bits(float v) {
  std::uint32_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

std::uint64_t bits(double v) {
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

// Awkward floats in every numeric field; fills only when imputing.
Preprocessor awkward(Impute impute) {
  const bool filled = impute != Impute::kNone;
  auto fill = [filled](double v) { return filled ? v : kNoFill; };
  Preprocessor p;
  p.impute = impute;
  p.columns = {
      numeric_column("x", 0.1f, 1e-30f, fill(static_cast<double>(3.4e38f))),
      categorical_column("color", {"blue", "green", "red"}, fill(2)),
      numeric_column("y", 3.4e38f, 0.1f, fill(static_cast<double>(-1e-30f))),
      numeric_column("z", -0.0f, FLT_MIN, fill(static_cast<double>(0.1f))),
      numeric_column("w", FLT_TRUE_MIN, FLT_MAX, fill(static_cast<double>(FLT_TRUE_MIN))),
      categorical_column("only", {""}, fill(0)),
      numeric_column("v", 1.0f / 3, 7.0f, fill(static_cast<double>(-FLT_MAX))),
  };
  return p;
}

// Columns equal bit for bit (a NaN fill only to a NaN fill).
void expect_same(const Preprocessor& a, const Preprocessor& b) {
  EXPECT_EQ(a.impute, b.impute);
  ASSERT_EQ(a.columns.size(), b.columns.size());
  for (std::size_t i = 0; i < a.columns.size(); ++i) {
    const FeatureColumn& x = a.columns[i];
    const FeatureColumn& y = b.columns[i];
    SCOPED_TRACE(x.name);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.categorical, y.categorical);
    EXPECT_EQ(x.categories, y.categories);
    EXPECT_EQ(bits(x.mean), bits(y.mean));
    EXPECT_EQ(bits(x.scale), bits(y.scale));
    if (std::isnan(x.fill)) {
      EXPECT_TRUE(std::isnan(y.fill)) << y.fill;
    } else {
      EXPECT_EQ(bits(x.fill), bits(y.fill));
    }
  }
}

TEST(PreprocessorJsonTest, RoundTripIsExact) {
  for (Impute impute : {Impute::kNone, Impute::kMean, Impute::kMedian, Impute::kMode}) {
    SCOPED_TRACE(data::impute_name(impute));
    const Preprocessor p = awkward(impute);
    const json j = preprocessor_to_json(p);
    expect_same(p, preprocessor_from_json(j, "m.nnfit"));
    // Through the text of the file, as the model is saved and loaded.
    expect_same(p, preprocessor_from_json(json::parse(j.dump()), "m.nnfit"));
    expect_same(p, preprocessor_from_json(json::parse(j.dump(2)), "m.nnfit"));
  }
}

TEST(PreprocessorJsonTest, DocumentLayout) {
  Preprocessor p;
  p.impute = Impute::kMean;
  p.columns = {numeric_column("x", 0.5f, 2.0f, 0.25), categorical_column("c", {"a", "b"}, 1)};
  const json expected = json::parse(R"({"impute": "mean", "columns": [
      {"name": "x", "type": "numeric", "mean": 0.5, "scale": 2.0, "fill": 0.25},
      {"name": "c", "type": "categorical", "categories": ["a", "b"], "fill": "b"}]})");
  EXPECT_EQ(preprocessor_to_json(p), expected);
  p.impute = Impute::kNone;
  p.columns[0].fill = kNoFill;
  p.columns[1].fill = kNoFill;
  const json j = preprocessor_to_json(p);
  EXPECT_EQ(j["impute"], "none");
  EXPECT_TRUE(j["columns"][0]["fill"].is_null());
  EXPECT_TRUE(j["columns"][1]["fill"].is_null());
}

TEST(PreprocessorJsonTest, WriterRejectsAFillOutsideTheCategories) {
  Preprocessor p;
  p.impute = Impute::kMode;
  p.columns = {categorical_column("c", {"a", "b"}, 2)};
  EXPECT_THROW(preprocessor_to_json(p), Error);
}

// ---------------------------------------------------------------------------------------------
// Rejections.

// A valid document: impute mean, a numeric column x and a categorical column c.
json valid(const std::string& impute = "mean") {
  const bool none = impute == "none";
  json j = {
      {"impute", impute},
      {"columns",
       {{{"name", "x"}, {"type", "numeric"}, {"mean", 0.5}, {"scale", 2.0}, {"fill", 0.25}},
        {{"name", "c"}, {"type", "categorical"}, {"categories", {"a", "b"}}, {"fill", "b"}}}}};
  if (none) {
    j["columns"][0]["fill"] = nullptr;
    j["columns"][1]["fill"] = nullptr;
  }
  return j;
}

// Whether valid(impute) edited by `edit` is rejected with a ModelError naming the file and
// containing `needle` (and no other exception).
testing::AssertionResult rejected(const std::function<void(json&)>& edit, const std::string& needle,
                                  const std::string& impute) {
  json j = valid(impute);
  edit(j);
  try {
    preprocessor_from_json(j, "m.nnfit");
  } catch (const ModelError& e) {
    const std::string message = e.what();
    if (message.rfind("'m.nnfit' is not a usable nnfit model: ", 0) != 0 ||
        message.find(needle) == std::string::npos) {
      return testing::AssertionFailure()
             << "message \"" << message << "\" lacks \"" << needle << "\"";
    }
    return testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return testing::AssertionFailure() << "not a ModelError: " << e.what();
  } catch (...) {
    return testing::AssertionFailure() << "not a ModelError (not even a std::exception)";
  }
  return testing::AssertionFailure() << "accepted " << j.dump();
}

// Shorthands for editing the numeric column x and the categorical column c.
json& x(json& j) { return j["columns"][0]; }
json& c(json& j) { return j["columns"][1]; }

TEST(PreprocessorJsonTest, ValidDocumentsAreAccepted) {
  for (const std::string impute : {"none", "mean", "median", "mode"}) {
    const Preprocessor p = preprocessor_from_json(valid(impute), "m.nnfit");
    EXPECT_EQ(data::impute_name(p.impute), impute);
    ASSERT_EQ(p.columns.size(), 2u);
    EXPECT_EQ(p.columns[0].mean, 0.5f);
    EXPECT_EQ(p.columns[0].scale, 2.0f);
    EXPECT_EQ(p.columns[1].categories, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(std::isnan(p.columns[0].fill), impute == "none");
    if (impute != "none") {
      EXPECT_EQ(p.columns[0].fill, 0.25);
      EXPECT_EQ(p.columns[1].fill, 1.0);
    }
  }
}

// Expects valid() edited by the statement(s) after `needle` (on `json& j`) to be rejected with a
// message containing `needle`; EXPECT_REJECTED_WITH starts from valid(impute).
#define EXPECT_REJECTED(needle, ...) EXPECT_REJECTED_WITH("mean", needle, __VA_ARGS__)
#define EXPECT_REJECTED_WITH(impute, needle, ...) \
  EXPECT_TRUE(rejected([&](json& j) { __VA_ARGS__; }, needle, impute))

TEST(PreprocessorJsonTest, RejectsWrongShapes) {
  EXPECT_REJECTED("expected an object, got number", j = 5);
  EXPECT_REJECTED("expected an object, got array", j = json::array());
  EXPECT_REJECTED("expected an object, got null", j = nullptr);
  EXPECT_REJECTED("no \"impute\"", j.erase("impute"));
  EXPECT_REJECTED("impute must be a string", j["impute"] = 1);
  EXPECT_REJECTED("no \"columns\"", j.erase("columns"));
  EXPECT_REJECTED("columns must be an array", j["columns"] = json::object());
  EXPECT_REJECTED("columns must be an array", j["columns"] = "x");
  EXPECT_REJECTED("column 1: expected an object", j["columns"][0] = "x");
  EXPECT_REJECTED("column 2: expected an object", j["columns"][1] = nullptr);
  EXPECT_REJECTED("column 1: no \"name\"", x(j).erase("name"));
  EXPECT_REJECTED("name must be a string", x(j)["name"] = 7);
  EXPECT_REJECTED("column 2 ('c'): no \"type\"", c(j).erase("type"));
  EXPECT_REJECTED("type must be a string", c(j)["type"] = true);
  EXPECT_REJECTED("column 1 ('x'): no \"mean\"", x(j).erase("mean"));
  EXPECT_REJECTED("no \"scale\"", x(j).erase("scale"));
  EXPECT_REJECTED("no \"fill\"", x(j).erase("fill"));
  EXPECT_REJECTED("mean must be a number, got string", x(j)["mean"] = "0.5");
  EXPECT_REJECTED("mean must be a number, got boolean", x(j)["mean"] = true);
  EXPECT_REJECTED("scale must be a number", x(j)["scale"] = nullptr);
  EXPECT_REJECTED("fill must be a number", x(j)["fill"] = "0.25");
  EXPECT_REJECTED("no \"categories\"", c(j).erase("categories"));
  EXPECT_REJECTED("categories must be an array", c(j)["categories"] = "a");
  EXPECT_REJECTED("a category must be a string", c(j)["categories"] = {"a", 1});
  EXPECT_REJECTED("column 2 ('c'): no \"fill\"", c(j).erase("fill"));
  EXPECT_REJECTED("fill must be a string, got number", c(j)["fill"] = 1);
}

TEST(PreprocessorJsonTest, RejectsUnknownNames) {
  EXPECT_REJECTED("unknown impute strategy 'average'", j["impute"] = "average");
  EXPECT_REJECTED("'Mean'", j["impute"] = "Mean");
  EXPECT_REJECTED("unknown type 'ordinal'", x(j)["type"] = "ordinal");
  EXPECT_REJECTED("unknown type", c(j)["type"] = "Categorical");
}

TEST(PreprocessorJsonTest, RejectsNumbersThatAreNotFloats) {
  for (const double bad : {kInf, -kInf, kNoFill, 1e39, -1e39, 1e300, 3.4028236e38}) {
    SCOPED_TRACE(bad);
    EXPECT_REJECTED("mean", x(j)["mean"] = bad);
    EXPECT_REJECTED("scale", x(j)["scale"] = bad);
    EXPECT_REJECTED("fill", x(j)["fill"] = bad);
  }
  EXPECT_REJECTED("mean 1e+39 does not fit in a float", x(j)["mean"] = 1e39);
}

TEST(PreprocessorJsonTest, RejectsAScaleThatIsNotAPositiveNormalFloat) {
  for (const double bad : {0.0, -0.0, -1.0, -2.0, 1e-40, static_cast<double>(FLT_TRUE_MIN), 1e-50,
                           static_cast<double>(FLT_MIN) / 2}) {
    SCOPED_TRACE(bad);
    EXPECT_REJECTED("scale", x(j)["scale"] = bad);
  }
  json j = valid();
  x(j)["scale"] = static_cast<double>(FLT_MIN);  // the smallest normal float is fine
  EXPECT_EQ(preprocessor_from_json(j, "m.nnfit").columns[0].scale, FLT_MIN);
}

TEST(PreprocessorJsonTest, RejectsColumnListProblems) {
  EXPECT_REJECTED("no columns", j["columns"] = json::array());
  EXPECT_REJECTED("column 'x' is listed twice", c(j)["name"] = "x");
  EXPECT_REJECTED("column 'c' is listed twice", j["columns"].push_back(json(c(j))));
}

TEST(PreprocessorJsonTest, RejectsCategoryProblems) {
  EXPECT_REJECTED("no categories", c(j)["categories"] = json::array());
  EXPECT_REJECTED("category 'a' is listed twice", c(j)["categories"] = {"a", "b", "a"});
  EXPECT_REJECTED("fill 'z' is not one of the categories", c(j)["fill"] = "z");
  EXPECT_REJECTED("is not one of the categories", c(j)["fill"] = "A");
}

TEST(PreprocessorJsonTest, RejectsAFillThatDisagreesWithImpute) {
  EXPECT_REJECTED("fill must be given with impute 'mean'", x(j)["fill"] = nullptr);
  EXPECT_REJECTED("column 2 ('c'): fill must be given", c(j)["fill"] = nullptr);
  EXPECT_REJECTED_WITH("median", "fill must be given", x(j)["fill"] = nullptr);
  EXPECT_REJECTED_WITH("none", "fill must be null with impute 'none'", x(j)["fill"] = 0.25);
  EXPECT_REJECTED_WITH("none", "column 2 ('c'): fill must be null", c(j)["fill"] = "a");
}

}  // namespace
}  // namespace nnfit::io
