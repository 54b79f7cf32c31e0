// Early stopping: patience counting, min-delta, best epoch tracking.
#include "train/early_stopping.h"

#include <gtest/gtest.h>

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
  EXPECT_DOUBLE_EQ(es.best_loss(), 0.5);
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

}  // namespace
}  // namespace nnfit::train
