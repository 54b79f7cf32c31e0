// Each learning-rate schedule against its formula, step by step, warm-up included.
#include "optim/schedule.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"

namespace nnfit::optim {
namespace {

ScheduleOptions opts(ScheduleKind k) {
  ScheduleOptions o;
  o.kind = k;
  o.alpha = 0.2;
  return o;
}

TEST(ScheduleTest, EachDecayMatchesItsFormula) {
  ScheduleOptions inv = opts(ScheduleKind::kInverse), pw = opts(ScheduleKind::kPower),
                  cos = opts(ScheduleKind::kCosine);
  inv.delta = 0.3;
  pw.delta = 0.75;
  cos.horizon = 10;
  cos.floor = 0.01;
  const Schedule c(opts(ScheduleKind::kConstant)), i(inv), p(pw), k(cos);
  for (long t = 0; t < 15; ++t) {
    EXPECT_DOUBLE_EQ(c.rate(t), 0.2);
    EXPECT_DOUBLE_EQ(i.rate(t), 0.2 / (1 + 0.3 * t));
    EXPECT_DOUBLE_EQ(p.rate(t), 0.2 / std::pow(t + 1, 0.75));
    const double frac = std::min<double>(t, 10) / 10;
    EXPECT_NEAR(k.rate(t), 0.01 + 0.19 * 0.5 * (1 + std::cos(M_PI * frac)), 1e-15);
  }
  EXPECT_DOUBLE_EQ(k.rate(0), 0.2);
  EXPECT_DOUBLE_EQ(k.rate(10), 0.01);
}

TEST(ScheduleTest, PlateauDividesAfterPatienceEpochsDownToTheFloor) {
  ScheduleOptions o = opts(ScheduleKind::kPlateau);
  o.factor = 4;
  o.patience = 2;
  o.floor = 0.01;
  Schedule s(o);
  const double losses[] = {1.0, 0.9, 0.95, 0.92, 0.91, 0.93, 0.8, 0.85, 0.85, 0.9, 0.9};
  const double rates[] = {0.2, 0.2, 0.2, 0.05, 0.05, 0.0125, 0.0125, 0.0125, 0.01, 0.01, 0.01};
  for (int e = 0; e < 11; ++e) {
    s.observe(losses[e]);
    EXPECT_DOUBLE_EQ(s.rate(e), rates[e]) << "after epoch " << e + 1;
  }
  EXPECT_EQ(s.unit(), ScheduleUnit::kEpoch);
}

TEST(ScheduleTest, WarmupRampsThenStartsTheDecay) {
  ScheduleOptions o = opts(ScheduleKind::kInverse);
  o.delta = 0.5;
  o.warmup = 4;
  const Schedule lin(o);
  o.warmup_kind = WarmupKind::kConstant;
  const Schedule flat(o);
  for (long t = 0; t < 4; ++t) {
    EXPECT_DOUBLE_EQ(lin.rate(t), 0.2 * static_cast<double>(t + 1) / 4);
    EXPECT_DOUBLE_EQ(flat.rate(t), 0.2);
  }
  for (long t = 4; t < 10; ++t) {
    EXPECT_DOUBLE_EQ(lin.rate(t), 0.2 / (1 + 0.5 * static_cast<double>(t - 4)));
    EXPECT_DOUBLE_EQ(flat.rate(t), lin.rate(t));
  }
}

TEST(ScheduleTest, InvalidOptionsAreRejected) {
  ScheduleOptions o = opts(ScheduleKind::kPower);
  o.delta = 0.5;  // the convergence conditions need delta > 0.5
  EXPECT_THROW(Schedule{o}, ConfigError);
  o = opts(ScheduleKind::kCosine);  // no horizon
  EXPECT_THROW(Schedule{o}, ConfigError);
  EXPECT_THROW(parse_schedule("step"), ConfigError);
  EXPECT_EQ(parse_schedule("cosine"), ScheduleKind::kCosine);
}

}  // namespace
}  // namespace nnfit::optim
