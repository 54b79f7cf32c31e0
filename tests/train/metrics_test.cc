// Metrics on hand-made outputs.
#include "train/metrics.h"

#include <gtest/gtest.h>

namespace nnfit::train {
namespace {

TEST(MetricsTest, AccuracyFromProbabilitiesAndBinaryOutputs) {
  Matrix probs(3, 4);
  probs << 0.7f, 0.1f, 0.2f, 0.3f,  //
      0.2f, 0.8f, 0.2f, 0.3f,       //
      0.1f, 0.1f, 0.6f, 0.4f;
  Matrix t(1, 4);
  t << 0, 1, 2, 0;
  EXPECT_DOUBLE_EQ(accuracy(probs, t), 0.75);
  Matrix p(1, 3);
  p << 0.9f, 0.2f, 0.5f;
  Matrix tb(1, 3);
  tb << 1, 0, 0;
  EXPECT_NEAR(accuracy(p, tb), 2.0 / 3.0, 1e-12);
}

TEST(MetricsTest, RmseAndR2) {
  Matrix y(1, 4), t(1, 4);
  t << 1, 2, 3, 4;
  y << 1, 2, 3, 6;
  EXPECT_NEAR(rmse(y, t), 1.0, 1e-7);
  EXPECT_NEAR(r2(y, t), 1.0 - 4.0 / 5.0, 1e-7);
  EXPECT_NEAR(r2(t, t), 1.0, 1e-12);
}

}  // namespace
}  // namespace nnfit::train
