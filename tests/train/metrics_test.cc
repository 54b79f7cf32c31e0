// Metrics on hand-made outputs.
#include "train/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

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

// One-hot style probabilities (K, N) whose argmax is pred.
Matrix outputs_for(const std::vector<int>& pred, Index k) {
  Matrix out = Matrix::Constant(k, static_cast<Index>(pred.size()), 0.1f);
  for (std::size_t j = 0; j < pred.size(); ++j) out(pred[j], static_cast<Index>(j)) = 0.8f;
  return out;
}

TEST(MetricsTest, MacroF1ByHand) {
  Matrix t(1, 6);
  t << 0, 0, 1, 1, 2, 0;
  const std::vector<int> pred{0, 1, 1, 1, 0, 0};
  // class 0: TP 2, FP 1, FN 1 -> 4/6; class 1: TP 2, FP 1 -> 4/5; class 2: FN 1 -> 0.
  const double expected = (4.0 / 6.0 + 4.0 / 5.0 + 0.0) / 3.0;
  EXPECT_NEAR(macro_f1(outputs_for(pred, 3), t), expected, 1e-12);
  // A fourth class that is neither a target nor a prediction does not count.
  EXPECT_NEAR(macro_f1(outputs_for(pred, 4), t), expected, 1e-12);
  // Accuracy would not tell these apart: 4 of 6 right either way.
  EXPECT_NEAR(accuracy(outputs_for(pred, 3), t), 4.0 / 6.0, 1e-12);
  // Binary: one probability row. Class 1: TP 1, FP 1, FN 1 -> 1/2; class 0: TP 1, FP 1,
  // FN 1 -> 1/2.
  Matrix p(1, 4), tb(1, 4);
  p << 0.9f, 0.8f, 0.1f, 0.2f;
  tb << 1, 0, 1, 0;
  EXPECT_NEAR(macro_f1(p, tb), 0.5, 1e-12);
  EXPECT_NEAR(macro_f1(Matrix(3, 0), Matrix(1, 0)), 0.0, 1e-12);
}

// Weighted F1 counts each row by its weight: integer weights equal repeating the rows, and a
// weight of 0 removes the row.
TEST(MetricsTest, WeightedMacroF1EqualsRepeatedRows) {
  Matrix t(1, 6);
  t << 0, 0, 1, 1, 2, 0;
  const std::vector<int> pred{0, 1, 1, 1, 0, 0};
  Vector w(6);
  w << 3, 1, 0, 2, 1, 1;
  Matrix tr(1, 8);  // rows 0,0,0, 1, 3,3, 4, 5
  tr << 0, 0, 0, 0, 1, 1, 2, 0;
  const std::vector<int> pr{0, 0, 0, 1, 1, 1, 0, 0};
  const double repeated = macro_f1(outputs_for(pr, 3), tr);
  EXPECT_NEAR(macro_f1(outputs_for(pred, 3), t, &w), repeated, 1e-12);
  EXPECT_GT(std::abs(macro_f1(outputs_for(pred, 3), t) - repeated), 1e-3);  // weights matter
  const Vector ones = Vector::Ones(6);
  EXPECT_NEAR(macro_f1(outputs_for(pred, 3), t, &ones), macro_f1(outputs_for(pred, 3), t), 1e-12);
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
