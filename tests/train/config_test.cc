// Option validation and layer-list syntax.
#include "train/config.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace nnfit::train {
namespace {

TEST(ConfigTest, DefaultsAreValid) { EXPECT_NO_THROW(validate(TrainOptions{})); }

TEST(ConfigTest, RejectsOutOfRangeValuesNamingTheOption) {
  const auto expect_error = [](auto mutate, const std::string& flag) {
    TrainOptions o;
    mutate(o);
    try {
      validate(o);
      FAIL() << "no error for " << flag;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(flag), std::string::npos) << e.what();
    }
  };
  expect_error([](TrainOptions& o) { o.lr = -0.1; }, "--lr");
  expect_error([](TrainOptions& o) { o.lr = 0; }, "--lr");
  expect_error([](TrainOptions& o) { o.momentum = 1.0; }, "--momentum");
  expect_error([](TrainOptions& o) { o.batch_size = 0; }, "--batch-size");
  expect_error([](TrainOptions& o) { o.epochs = 0; }, "--epochs");
  expect_error([](TrainOptions& o) { o.l1 = -1; }, "--l1");
  expect_error([](TrainOptions& o) { o.l2 = -1; }, "--l2");
  expect_error([](TrainOptions& o) { o.patience = 0; }, "--patience");
  expect_error([](TrainOptions& o) { o.min_delta = -1; }, "--min-delta");
  expect_error([](TrainOptions& o) { o.optimizer = "adam"; }, "--optimizer");
  expect_error([](TrainOptions& o) { o.activation = {"swish"}; }, "swish");
  expect_error(
      [](TrainOptions& o) {
        o.hidden = {8, 8, 8};
        o.activation = {"relu", "tanh"};
      },
      "--activation");
}

TEST(ConfigTest, ParsesHiddenLayerLists) {
  EXPECT_EQ(parse_hidden("256,128"), (std::vector<Index>{256, 128}));
  EXPECT_EQ(parse_hidden("8"), (std::vector<Index>{8}));
  EXPECT_TRUE(parse_hidden("0").empty());
  EXPECT_TRUE(parse_hidden("").empty());
  EXPECT_THROW(parse_hidden("64,"), ConfigError);
  EXPECT_THROW(parse_hidden("a"), ConfigError);
  EXPECT_THROW(parse_hidden("-3"), ConfigError);
  EXPECT_THROW(parse_hidden("8,0"), ConfigError);
}

}  // namespace
}  // namespace nnfit::train
