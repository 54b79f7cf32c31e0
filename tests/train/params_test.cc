// The hyper-parameter table: every row converts to and from text and the model's JSON, a
// value that does not parse names its flag, and a model written before a row existed loads
// with that row's default.
#include "train/params.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "io/model_io.h"
#include "testing/paths.h"

namespace nnfit::train {
namespace {

// A value of p's type that differs from its default, as text.
std::string other_value(const Param& p) {
  const TrainOptions d;
  if (!p.choices.empty()) {
    for (auto it = p.choices.rbegin(); it != p.choices.rend(); ++it) {
      TrainOptions o;
      set_text(p, o, *it);
      if (!same_value(p, o, d)) return *it;
    }
  }
  struct Pick {
    std::string operator()(double TrainOptions::*) const { return "0.375"; }
    std::string operator()(int TrainOptions::*) const { return "7"; }
    std::string operator()(Index TrainOptions::*) const { return "9"; }
    std::string operator()(std::uint64_t TrainOptions::*) const { return "18446744073709551615"; }
    std::string operator()(bool TrainOptions::*) const { return "true"; }
    std::string operator()(std::string TrainOptions::*) const { return "balanced"; }
    std::string operator()(std::vector<Index> TrainOptions::*) const { return "5,3"; }
    std::string operator()(std::vector<std::string> TrainOptions::*) const { return "tanh"; }
    std::string operator()(std::vector<double> TrainOptions::*) const { return "0.25,0.5"; }
  };
  return std::visit(Pick{}, p.field);
}

TEST(ParamsTest, EveryRowRoundTripsThroughTextAndJson) {
  ASSERT_GE(params().size(), 30u);
  for (const Param& p : params()) {
    const std::string text = other_value(p);
    TrainOptions o;
    set_text(p, o, text);
    EXPECT_FALSE(same_value(p, o, TrainOptions())) << p.name << " = " << text;
    TrainOptions back;
    set_text(p, back, get_text(p, o));
    EXPECT_TRUE(same_value(p, o, back)) << p.name << ": " << get_text(p, o);
    const TrainOptions read = io::options_from_json(io::options_to_json(o));
    EXPECT_TRUE(same_value(p, o, read)) << p.name << " through JSON";
    EXPECT_EQ(find_param(p.name), &p);
    EXPECT_FALSE(p.doc.empty()) << p.name;
  }
  EXPECT_NE(find_param("batch_size"), nullptr);  // the JSON spelling finds the row too
  EXPECT_EQ(find_param("no-such-option"), nullptr);
}

// A model whose hyper-parameters lack "lr" loads with the optimizer's default (NaN inside),
// which is written as "default", not as null: it saves and loads again (fuzz/model_fuzz found
// the null, which did not load).
TEST(ParamsTest, TheDefaultRateRoundTripsThroughJson) {
  nlohmann::json j = io::options_to_json(TrainOptions{});
  j.erase("lr");
  const TrainOptions read = io::options_from_json(j);
  EXPECT_TRUE(std::isnan(read.lr));
  const nlohmann::json again = nlohmann::json::parse(io::options_to_json(read).dump());
  EXPECT_EQ(again["lr"], "default");
  EXPECT_TRUE(std::isnan(io::options_from_json(again).lr));
}

TEST(ParamsTest, TextThatDoesNotParseNamesTheFlag) {
  TrainOptions o;
  try {
    set_text(*find_param("beta1"), o, "high");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("invalid --beta1 'high': not a number", 0), 0u)
        << e.what();
  }
  EXPECT_THROW(set_text(*find_param("lr-schedule"), o, "linear"), ConfigError);
  EXPECT_THROW(set_text(*find_param("epochs"), o, "1.5"), ConfigError);
  EXPECT_THROW(set_text(*find_param("seed"), o, "18446744073709551616"), ConfigError);
  EXPECT_NE(value_problem(*find_param("optimizer"), "adm").find("adam"), std::string::npos);
  set_text(*find_param("lr"), o, "auto");
  EXPECT_TRUE(o.lr_auto);
}

TEST(ParamsTest, AModelWrittenBeforeTheNewRowsLoadsWithTheirDefaults) {
  // penguins-v2.nnfit was written before the optimization toolbox's rows existed.
  const model::Model m = io::load_model(test::fixture_path("penguins-v2.nnfit"));
  const TrainOptions d;
  for (const char* name : {"beta1", "lr-schedule", "dropout", "monitor", "max-recoveries",
                           "class-weight", "lr-warmup"}) {
    EXPECT_TRUE(same_value(*find_param(name), m.options, d)) << name;
  }
  EXPECT_FALSE(m.options.lr_auto);
  // Except init: the default is glorot since 2026-12-04, but a model that has no init key was
  // initialised the way `auto` is now.
  EXPECT_EQ(m.options.init, "auto");
  EXPECT_EQ(d.init, "glorot");
}

}  // namespace
}  // namespace nnfit::train
