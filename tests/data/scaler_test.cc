// Tests for the per-feature Standardizer.
#include "data/scaler.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace nnfit::data {
namespace {

Matrix sample() {
  Matrix x(3, 5);
  x << 1, 2, 3, 4, 5,           // varying
      7, 7, 7, 7, 7,            // constant
      -100, 0, 50, 250, 1000;   // large spread
  return x;
}

TEST(StandardizerTest, FitsMeanAndPopulationStd) {
  Standardizer s;
  s.fit(sample());
  ASSERT_EQ(s.mean.size(), 3);
  EXPECT_FLOAT_EQ(s.mean(0), 3.0f);
  EXPECT_FLOAT_EQ(s.scale(0), std::sqrt(2.0f));  // population variance 10/5
  EXPECT_FLOAT_EQ(s.mean(1), 7.0f);
}

TEST(StandardizerTest, ConstantRowMapsToZeroNotNan) {
  Standardizer s;
  Matrix x = sample();
  s.fit(x);
  EXPECT_FLOAT_EQ(s.scale(1), 1.0f);
  s.transform(x);
  EXPECT_TRUE(x.allFinite());
  EXPECT_EQ(x.row(1), RowVector::Zero(5));
}

TEST(StandardizerTest, TransformGivesMeanZeroStdOne) {
  Standardizer s;
  Matrix x = sample();
  s.fit(x);
  s.transform(x);
  for (Index f : {0, 2}) {
    const double mean = x.row(f).cast<double>().mean();
    const double var = (x.row(f).cast<double>().array() - mean).square().mean();
    EXPECT_NEAR(mean, 0.0, 1e-6);
    EXPECT_NEAR(var, 1.0, 1e-5);
  }
}

TEST(StandardizerTest, AppliesTrainingStatisticsToOtherData) {
  Standardizer s;
  s.fit(sample());
  Matrix other = Matrix::Constant(3, 1, 3.0f);
  s.transform(other);
  EXPECT_FLOAT_EQ(other(0, 0), 0.0f);
  EXPECT_FLOAT_EQ(other(1, 0), -4.0f);
}

TEST(StandardizerTest, ShapeMismatchAndEmptyFitThrow) {
  Standardizer s;
  s.fit(sample());
  Matrix wrong(2, 4);
  wrong.setZero();
  EXPECT_THROW(s.transform(wrong), DataError);
  EXPECT_THROW(s.fit(Matrix(3, 0)), DataError);
}

}  // namespace
}  // namespace nnfit::data
