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

train::EpochReport report() {
  train::EpochReport r;
  r.epoch = 10;
  r.train_loss = 0.5;
  r.val_loss = 0.25;
  r.val_metric = 0.875;
  r.lr = 0.01;
  r.seconds = 1.5;
  r.improved = true;
  return r;
}

TEST(ProgressTest, EpochLineHasLossesMetricAndEta) {
  train::EpochReport r = report();
  // 10 of 100 epochs in 20 s: 90 more at 2 s each.
  EXPECT_EQ(epoch_line(r, 100, 20.0),
            "epoch  10/100 loss 0.50000 val 0.25000 acc 0.8750 lr 0.01 1.500s eta 3m00s *");
  r.classification = false;
  r.improved = false;
  r.val_metric = 12.345678;
  EXPECT_EQ(epoch_line(r, 10, 20.0),
            "epoch 10/10 loss 0.50000 val 0.25000 rmse 12.346 lr 0.01 1.500s eta 0s");
  r.val_loss = std::nan("");
  EXPECT_EQ(epoch_line(r, 20, 10.0), "epoch 10/20 loss 0.50000 lr 0.01 1.500s eta 10s");
}

// A log line is at most 80 characters with its "info: " prefix, even with 5-digit epochs, a long
// ETA and a small learning rate; on a narrow terminal the seconds, the learning rate and the ETA
// are left out in that order.
TEST(ProgressTest, EpochLineFitsTheWidth) {
  train::EpochReport r = report();
  r.epoch = 12345;
  r.train_loss = 12.345678;
  r.lr = 0.000123456;
  // 12345 epochs in 100000 s: 87654 more take 710036 s.
  const std::string all = "epoch 12345/99999 loss 12.34568 val 0.25000 acc 0.8750";
  EXPECT_EQ(epoch_line(r, 99999, 100000.0, 1000), all + " lr 0.000123456 1.500s eta 197h13m *");
  const std::string log_line = epoch_line(r, 99999, 100000.0, progress_width(false));
  EXPECT_LE(log_line.size() + std::string("info: ").size(), 80u) << log_line;
  EXPECT_EQ(log_line, all + " eta 197h13m *");  // without seconds, which is too long, and lr
  EXPECT_EQ(epoch_line(r, 99999, 100000.0, 83), all + " lr 0.000123456 eta 197h13m *");
  EXPECT_EQ(epoch_line(r, 99999, 100000.0, 60), all + " *");
  EXPECT_EQ(epoch_line(r, 99999, 100000.0, 10), all + " *");  // never less than the essentials
  // The README's iris line fits a log line.
  EXPECT_EQ(epoch_line(report(), 200, 1.0, progress_width(false)),
            "epoch  10/200 loss 0.50000 val 0.25000 acc 0.8750 lr 0.01 1.500s eta 19s *");
}

// On a terminal the width comes from the terminal (ioctl), else $COLUMNS, else 80, less one
// column; a log line has 74 (80 less "info: ").
TEST(ProgressTest, ProgressWidth) {
  EXPECT_EQ(progress_width(false, 200, "120"), 74u);
  EXPECT_EQ(progress_width(true, 200, "120"), 199u);
  EXPECT_EQ(progress_width(true, 0, "120"), 119u);
  EXPECT_EQ(progress_width(true, 0, nullptr), 79u);
  EXPECT_EQ(progress_width(true, 0, "wide"), 79u);
  EXPECT_EQ(progress_width(true, 0, "0"), 79u);
}

}  // namespace
}  // namespace nnfit::cli
