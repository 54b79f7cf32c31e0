// Evaluation metrics against scikit-learn 1.2.1. The expected numbers come from:
//   import numpy as np; from sklearn import metrics as M
//   P = np.array([[.7,.2,.1],[.2,.5,.3],[.6,.3,.1],[.1,.8,.1],[.4,.4,.2],[.3,.3,.4],
//                 [.5,.25,.25],[.2,.6,.2]]); y = np.array([0,1,0,2,1,2,0,1]); pred = P.argmax(1)
//   M.accuracy_score(y, pred); M.log_loss(y, P)
//   M.precision_recall_fscore_support(y, pred, zero_division=0)
//   M.f1_score(y, pred, average="macro"|"weighted", zero_division=0); M.confusion_matrix(y, pred)
//   M.roc_auc_score(y, P, multi_class="ovr", average="macro"); M.roc_auc_score(y == k, P[:, k])
//   binary: p1 = [.9,.4,.4,.2,.8,.6], yb = [1,0,1,0,1,0]: M.roc_auc_score(yb, p1),
//           M.log_loss(yb, np.c_[1 - p1, p1])
//   regression: t = [3,-.5,2,7], p = [2.5,0,2,8]: mean_squared_error, mean_absolute_error, r2_score
#include "eval/report.h"

#include <gtest/gtest.h>

#include <limits>

#include "core/error.h"

namespace nnfit::eval {
namespace {

TEST(ReportTest, MulticlassMatchesScikitLearn) {
  Matrix p(3, 8);
  p << .7f, .2f, .6f, .1f, .4f, .3f, .5f, .2f,  //
      .2f, .5f, .3f, .8f, .4f, .3f, .25f, .6f,  //
      .1f, .3f, .1f, .1f, .2f, .4f, .25f, .2f;
  const std::vector<int> y{0, 1, 0, 2, 1, 2, 0, 1};
  const ClassificationReport r = classification_report(p, y, {"a", "b", "c"});
  EXPECT_EQ(r.rows, 8);
  EXPECT_DOUBLE_EQ(r.accuracy, 0.75);  // row 5 ties .4/.4: the first class wins, as argmax
  EXPECT_NEAR(r.log_loss, 0.8624733886666199, 1e-7);
  const double precision[] = {0.75, 2.0 / 3, 1.0}, recall[] = {1.0, 2.0 / 3, 0.5};
  const double f1[] = {0.85714286, 2.0 / 3, 2.0 / 3};
  const Index support[] = {3, 3, 2};
  const double auc[] = {1.0, 0.8, 0.5833333333333333};
  for (std::size_t k = 0; k < 3; ++k) {
    SCOPED_TRACE(k);
    EXPECT_NEAR(r.classes[k].precision, precision[k], 1e-8);
    EXPECT_NEAR(r.classes[k].recall, recall[k], 1e-8);
    EXPECT_NEAR(r.classes[k].f1, f1[k], 1e-8);
    EXPECT_EQ(r.classes[k].support, support[k]);
    ASSERT_TRUE(r.classes[k].auc.has_value());
    EXPECT_NEAR(*r.classes[k].auc, auc[k], 1e-12);
  }
  EXPECT_NEAR(r.macro_f1, 0.7301587301587301, 1e-8);
  EXPECT_NEAR(r.weighted_f1, 0.738095238095238, 1e-8);
  EXPECT_EQ(r.confusion, (std::vector<std::vector<Index>>{{3, 0, 0}, {1, 2, 0}, {0, 1, 1}}));
  ASSERT_TRUE(r.roc_auc.has_value());
  EXPECT_NEAR(*r.roc_auc, 0.7944444444444444, 1e-12);
}

TEST(ReportTest, BinaryUsesTheSecondClassProbabilityWithTiedScores) {
  Matrix p(1, 6);
  p << .9f, .4f, .4f, .2f, .8f, .6f;  // a tie at .4 between a positive and a negative
  const ClassificationReport r = classification_report(p, {1, 0, 1, 0, 1, 0}, {"no", "yes"});
  ASSERT_TRUE(r.roc_auc.has_value());
  EXPECT_NEAR(*r.roc_auc, 0.8333333333333333, 1e-12);
  EXPECT_NEAR(r.log_loss, 0.4825091176334244, 1e-7);
  EXPECT_NEAR(r.accuracy, 4.0 / 6, 1e-12);
}

TEST(ReportTest, ClassNeverPredictedOrAbsentHasZeroScoresAndNoAuc) {
  Matrix p(3, 3);
  p << .8f, .7f, .6f,  //
      .1f, .2f, .3f,   //
      .1f, .1f, .1f;
  // Everything predicted as class 0; class 2 has no rows.
  const ClassificationReport r = classification_report(p, {0, 1, 1}, {"a", "b", "c"});
  EXPECT_EQ(r.classes[1].precision, 0.0);  // never predicted: 0, not NaN
  EXPECT_EQ(r.classes[1].f1, 0.0);
  EXPECT_EQ(r.classes[2].support, 0);
  EXPECT_FALSE(r.classes[2].auc.has_value());  // no positives
  ASSERT_TRUE(r.roc_auc.has_value());          // the mean over the classes where it is defined
  EXPECT_NEAR(*r.roc_auc, (*r.classes[0].auc + *r.classes[1].auc) / 2, 1e-12);
}

// Issue 12 item 16: class "d" is absent from both the truth and the predictions, so macro F1
// averages over a, b and c only. Expected numbers from scikit-learn 1.2.1:
//   /usr/bin/python3 -c "from sklearn import metrics as M; y=[0,1,1,0,2]; p=[0,0,1,0,1];
//     print(M.f1_score(y, p, average='macro', zero_division=0),
//           M.f1_score(y, p, average='weighted', zero_division=0))"
//   -> 0.43333333333333335 0.52
TEST(ReportTest, MacroF1LeavesOutClassesAbsentFromTruthAndPredictions) {
  Matrix p(4, 5);
  p << .6f, .6f, .1f, .7f, .2f,   //
      .2f, .3f, .8f, .1f, .5f,    //
      .1f, .05f, .05f, .1f, .2f,  //
      .1f, .05f, .05f, .1f, .1f;
  const ClassificationReport r = classification_report(p, {0, 1, 1, 0, 2}, {"a", "b", "c", "d"});
  EXPECT_NEAR(r.macro_f1, 0.43333333333333335, 1e-12);
  EXPECT_NEAR(r.weighted_f1, 0.52, 1e-12);
  EXPECT_EQ(r.classes[3].f1, 0.0);  // still listed, with zero scores
}

TEST(ReportTest, RocAucEdgeCases) {
  EXPECT_FALSE(roc_auc({0.1, 0.2}, {true, true}).has_value());
  EXPECT_DOUBLE_EQ(*roc_auc({0.1, 0.9}, {false, true}), 1.0);
  EXPECT_DOUBLE_EQ(*roc_auc({0.9, 0.1}, {false, true}), 0.0);
  EXPECT_DOUBLE_EQ(*roc_auc({0.5, 0.5}, {false, true}), 0.5);
}

TEST(ReportTest, RegressionMatchesScikitLearn) {
  Matrix t(1, 4), p(1, 4);
  t << 3, -0.5f, 2, 7;
  p << 2.5f, 0, 2, 8;
  const RegressionReport r = regression_report(p, t);
  EXPECT_EQ(r.rows, 4);
  EXPECT_NEAR(r.mse, 0.375, 1e-12);
  EXPECT_NEAR(r.rmse, std::sqrt(0.375), 1e-12);
  EXPECT_NEAR(r.mae, 0.5, 1e-12);
  EXPECT_NEAR(r.r2, 0.9486081370449679, 1e-9);
}

TEST(ReportTest, NanScoresAreAnErrorNotAnEndlessLoop) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(roc_auc({0.2, nan, 0.7, nan}, {true, false, true, false}), Error);
  Matrix p(1, 2);
  p << 0.3f, std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(classification_report(p, {0, 1}, {"a", "b"}), Error);
}

}  // namespace
}  // namespace nnfit::eval
