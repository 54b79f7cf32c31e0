// The progress line: durations for humans, and what an epoch line says.
#include "progress.h"

#include <gtest/gtest.h>

#include <cmath>

namespace nnfit::cli {
namespace {

TEST(ProgressTest, FormatDuration) {
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(12.4), "12s");
  EXPECT_EQ(format_duration(185), "3m05s");
  EXPECT_EQ(format_duration(3720), "1h02m");
  EXPECT_EQ(format_duration(-1), "0s");
}

TEST(ProgressTest, EpochLineHasLossesMetricAndEta) {
  train::EpochReport r;
  r.epoch = 10;
  r.train_loss = 0.5;
  r.val_loss = 0.25;
  r.val_metric = 0.875;
  r.lr = 0.01;
  r.seconds = 1.5;
  r.improved = true;
  // 10 of 100 epochs in 20 s: 90 more at 2 s each.
  EXPECT_EQ(epoch_line(r, 100, 20.0),
            "epoch   10/100  train_loss 0.50000  val_loss 0.25000  val_acc 0.8750  lr 0.01  "
            "1.500s  eta 3m00s  *");
  r.classification = false;
  r.improved = false;
  EXPECT_EQ(epoch_line(r, 10, 20.0),
            "epoch   10/10  train_loss 0.50000  val_loss 0.25000  val_rmse 0.8750  lr 0.01  "
            "1.500s  eta 0s");
  r.val_loss = std::nan("");
  EXPECT_EQ(epoch_line(r, 20, 10.0), "epoch   10/20  train_loss 0.50000  lr 0.01  1.500s  eta 10s");
}

}  // namespace
}  // namespace nnfit::cli
