// Option validation and layer-list syntax.
#include "train/config.h"

#include <gtest/gtest.h>

#include <functional>
#include <utility>
#include <vector>

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
  expect_error([](TrainOptions& o) { o.optimizer = "adm"; }, "--optimizer");
  expect_error([](TrainOptions& o) { o.init = "xavier"; }, "--init");
  expect_error([](TrainOptions& o) { o.beta1 = 1.0; }, "--beta1");
  expect_error([](TrainOptions& o) { o.beta2 = -0.1; }, "--beta2");
  expect_error([](TrainOptions& o) { o.epsilon = 0; }, "--epsilon");
  expect_error([](TrainOptions& o) { o.weight_decay = -1; }, "--weight-decay");
  expect_error([](TrainOptions& o) { o.lbfgs_history = 0; }, "--lbfgs-history");
  expect_error([](TrainOptions& o) { o.tol = 0; }, "--tol");
  expect_error([](TrainOptions& o) { o.lr_schedule = "step"; }, "--lr-schedule");
  expect_error([](TrainOptions& o) { o.lr_unit = "batch"; }, "--lr-unit");
  expect_error([](TrainOptions& o) { o.lr_warmup_kind = "cubic"; }, "--lr-warmup-kind");
  expect_error(
      [](TrainOptions& o) {
        o.lr_schedule = "power";
        o.lr_decay = 0.5;
      },
      "--lr-decay");
  expect_error([](TrainOptions& o) { o.lr_decay = 0; }, "--lr-decay");
  expect_error([](TrainOptions& o) { o.lr_min = 1; }, "--lr-min");
  expect_error([](TrainOptions& o) { o.lr_factor = 1; }, "--lr-factor");
  expect_error([](TrainOptions& o) { o.lr_patience = 0; }, "--lr-patience");
  expect_error([](TrainOptions& o) { o.lr_warmup = -1; }, "--lr-warmup");
  expect_error([](TrainOptions& o) { o.max_norm = -1; }, "--max-norm");
  expect_error([](TrainOptions& o) { o.clip_norm = -1; }, "--clip-norm");
  expect_error([](TrainOptions& o) { o.dropout = {1.0}; }, "--dropout");
  expect_error(
      [](TrainOptions& o) {
        o.hidden = {8, 8, 8};
        o.dropout = {0.1, 0.2};
      },
      "--dropout");
  expect_error([](TrainOptions& o) { o.monitor = "loss"; }, "--monitor");
  expect_error([](TrainOptions& o) { o.min_epochs = -1; }, "--min-epochs");
  expect_error([](TrainOptions& o) { o.look_ahead = -1; }, "--look-ahead");
  expect_error([](TrainOptions& o) { o.max_recoveries = -1; }, "--max-recoveries");
  expect_error([](TrainOptions& o) { o.activation = {"swish"}; }, "swish");
  expect_error(
      [](TrainOptions& o) {
        o.hidden = {8, 8, 8};
        o.activation = {"relu", "tanh"};
      },
      "--activation");
}

// Full-batch optimizers refuse the mini-batch-only regularizers instead of ignoring them; the
// mini-batch ones accept them.
TEST(ConfigTest, FullBatchOptimizersRefuseDropoutMaxNormAndClipNorm) {
  const auto with = [](const std::string& optimizer, auto mutate) {
    TrainOptions o;
    o.optimizer = optimizer;
    mutate(o);
    return o;
  };
  const auto dropout = [](TrainOptions& o) { o.dropout = {0.2}; };
  const auto max_norm = [](TrainOptions& o) { o.max_norm = 1; };
  const auto clip_norm = [](TrainOptions& o) { o.clip_norm = 1; };
  for (const char* opt : {"lbfgs", "newton"}) {
    for (const auto& [mutate, flag] :
         std::vector<std::pair<std::function<void(TrainOptions&)>, std::string>>{
             {dropout, "--dropout"}, {max_norm, "--max-norm"}, {clip_norm, "--clip-norm"}}) {
      try {
        validate(with(opt, mutate));
        ADD_FAILURE() << opt << " accepted " << flag;
      } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find(flag + " applies to the mini-batch optimizers"),
                  std::string::npos)
            << e.what();
      }
    }
    EXPECT_NO_THROW(validate(with(opt, [](TrainOptions& o) { o.dropout = {0.0}; })));
  }
  for (const char* opt : {"sgd", "adam", "adamw"}) {
    EXPECT_NO_THROW(validate(with(opt, dropout)));
    EXPECT_NO_THROW(validate(with(opt, max_norm)));
    EXPECT_NO_THROW(validate(with(opt, clip_norm)));
  }
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
