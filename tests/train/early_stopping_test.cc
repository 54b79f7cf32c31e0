// Early stopping: patience counting, min-delta, best epoch tracking.
#include "train/early_stopping.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "core/error.h"

namespace nnfit::train {
namespace {

TEST(EarlyStoppingTest, StopsAfterPatienceEpochsWithoutImprovement) {
  EarlyStopping es(3, 0.0);
  EXPECT_TRUE(es.update(1, 1.0));
  EXPECT_TRUE(es.update(2, 0.5));
  EXPECT_FALSE(es.update(3, 0.6));
  EXPECT_FALSE(es.should_stop());
  EXPECT_FALSE(es.update(4, 0.5));  // equal is not an improvement
  EXPECT_FALSE(es.should_stop());
  EXPECT_FALSE(es.update(5, 0.7));
  EXPECT_TRUE(es.should_stop());
  EXPECT_EQ(es.best_epoch(), 2);
  EXPECT_DOUBLE_EQ(es.best_value(), 0.5);
}

TEST(EarlyStoppingTest, ImprovementResetsPatience) {
  EarlyStopping es(2, 0.0);
  es.update(1, 1.0);
  es.update(2, 1.1);
  EXPECT_TRUE(es.update(3, 0.9));
  es.update(4, 1.0);
  EXPECT_FALSE(es.should_stop());
  es.update(5, 1.0);
  EXPECT_TRUE(es.should_stop());
  EXPECT_EQ(es.best_epoch(), 3);
}

TEST(EarlyStoppingTest, MinDeltaIgnoresTinyImprovements) {
  EarlyStopping es(1, 0.1);
  es.update(1, 1.0);
  EXPECT_FALSE(es.update(2, 0.95));
  EXPECT_TRUE(es.should_stop());
  EarlyStopping loose(1, 0.0);
  loose.update(1, 1.0);
  EXPECT_TRUE(loose.update(2, 0.95));
}

TEST(EarlyStoppingTest, NanIsNeverAnImprovement) {
  EarlyStopping es(5, 0.0);
  es.update(1, 1.0);
  EXPECT_FALSE(es.update(2, std::numeric_limits<double>::quiet_NaN()));
  EXPECT_EQ(es.best_epoch(), 1);
}

TEST(EarlyStoppingTest, ANonFiniteFirstEpochIsNotTheBest) {
  EarlyStopping es(5, 0.0);
  EXPECT_FALSE(es.update(1, std::numeric_limits<double>::quiet_NaN()));
  EXPECT_FALSE(es.update(2, std::numeric_limits<double>::infinity()));
  EXPECT_EQ(es.best_epoch(), 0);
  EXPECT_TRUE(es.update(3, 2.0));
  EXPECT_EQ(es.best_epoch(), 3);
}

TEST(EarlyStoppingTest, TheMonitoredQuantityPicksTheBestEpoch) {
  // A crafted run: the validation loss is lowest at epoch 2, the accuracy highest at epoch 4
  // (the loss rises as the network grows confident while more rows come out right).
  const double loss[] = {0.60, 0.40, 0.45, 0.50, 0.55};
  const double acc[] = {0.70, 0.80, 0.80, 0.90, 0.85};
  EarlyStopping by_loss(StoppingRule{10, 0.0});
  EarlyStopping by_acc(StoppingRule{10, 0.0, true});
  for (int e = 1; e <= 5; ++e) {
    by_loss.update(e, loss[e - 1]);
    by_acc.update(e, acc[e - 1]);
  }
  EXPECT_EQ(by_loss.best_epoch(), 2);
  EXPECT_EQ(by_acc.best_epoch(), 4);  // epoch 3 ties epoch 2 and does not replace it
  EXPECT_DOUBLE_EQ(by_acc.best_value(), 0.90);
}

TEST(EarlyStoppingTest, MaximisedMinDeltaIsInTheMetricsUnits) {
  EarlyStopping es(StoppingRule{5, 0.05, true});
  EXPECT_TRUE(es.update(1, 0.80));
  EXPECT_FALSE(es.update(2, 0.84));  // +0.04 <= min_delta
  EXPECT_TRUE(es.update(3, 0.86));
  EXPECT_EQ(es.best_epoch(), 3);
}

TEST(EarlyStoppingTest, MinEpochsPreventsAnEarlyStop) {
  StoppingRule rule{2, 0.0};
  rule.min_epochs = 6;
  EarlyStopping es(rule);
  EarlyStopping plain(StoppingRule{2, 0.0});
  es.update(1, 1.0);
  plain.update(1, 1.0);
  for (int e = 2; e <= 5; ++e) {
    es.update(e, 2.0);
    plain.update(e, 2.0);
    EXPECT_FALSE(es.should_stop()) << "epoch " << e;
  }
  EXPECT_TRUE(plain.should_stop());
  es.update(6, 2.0);
  EXPECT_TRUE(es.should_stop());
  EXPECT_EQ(es.best_epoch(), 1);  // the best may be earlier than min_epochs
}

TEST(EarlyStoppingTest, LookAheadGrowsPatienceAndNeverShrinksIt) {
  // Improvements at epochs 1..10, then none: patience 3 would stop at epoch 13; with
  // look-ahead 0.5 the improvement at epoch 10 raises patience to 5, so the stop is at 15.
  StoppingRule rule{3, 0.0};
  rule.look_ahead = 0.5;
  EarlyStopping es(rule);
  for (int e = 1; e <= 10; ++e) EXPECT_TRUE(es.update(e, 1.0 / e));
  EXPECT_DOUBLE_EQ(es.patience(), 5.0);
  int stopped = 0;
  for (int e = 11; e <= 30 && stopped == 0; ++e) {
    es.update(e, 1.0);
    if (es.should_stop()) stopped = e;
  }
  EXPECT_EQ(stopped, 15);
  // An improvement at epoch 2 (2 * 0.5 = 1 < 3) leaves patience at 3.
  EarlyStopping early(rule);
  early.update(1, 1.0);
  early.update(2, 0.5);
  EXPECT_DOUBLE_EQ(early.patience(), 3.0);
}

TEST(EarlyStoppingTest, MonitorNamesAndTheTaskTheyNeed) {
  EXPECT_EQ(parse_monitor("val_f1", true), Monitor::kValF1);
  EXPECT_TRUE(maximised(parse_monitor("val_accuracy", true)));
  EXPECT_FALSE(maximised(parse_monitor("val_rmse", false)));
  EXPECT_THROW(parse_monitor("val_accuracy", false), ConfigError);
  EXPECT_THROW(parse_monitor("val_f1", false), ConfigError);
  EXPECT_THROW(parse_monitor("val_rmse", true), ConfigError);
  try {
    parse_monitor("val_f1", false);
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("--monitor val_f1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("val_rmse"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nnfit::train
