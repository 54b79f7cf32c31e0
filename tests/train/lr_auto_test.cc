// --lr auto: the rate is exactly 1 / lambda_max from a direct optim::lambda_max call at the
// initial weights, the model records it, and training with it equals training with --lr set to
// that number; the spectrum's ends match a dense eigen-decomposition for a linear model.
#include "train/lr_auto.h"

#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>

#include "optim/curvature.h"
#include "testing/grad_check.h"
#include "testing/paths.h"
#include "train/objective.h"
#include "train/pipeline.h"

namespace nnfit::train {
namespace {

PreparedData iris(Rng& rng) {
  DataOptions d;
  d.data = test::data_path("iris.csv");
  d.target = "species";
  return prepare_data(data::read_dataset(d.data, d.target), nullptr, d, rng);
}

TEST(LrAutoTest, RateIsOneOverLambdaMaxOfTheInitialWeightsAndTrainsLikeThatRate) {
  TrainOptions opt;
  opt.lr_auto = true;
  opt.epochs = 5;
  opt.l2 = 0.01;
  opt.hidden = {8};
  Rng rng(opt.seed);
  const PreparedData p = iris(rng);
  PreparedFit fit(p, opt, rng);
  ASSERT_TRUE(fit.lr_auto().has_value());
  const LrAuto a = *fit.lr_auto();
  // The direct call: the same initial weights, all 120 training rows, L2 in, L1 out.
  Rng init = rng;
  nn::Network net = initial_network(p, opt, init);
  NetworkObjective f(net, p.x_train, p.y_train, 0.0, opt.l2, 256);
  Vector w = net.params();
  Rng power(opt.seed);
  const double lambda = optim::lambda_max(f, w, power).lambda;
  EXPECT_EQ(a.lambda_max, lambda);
  EXPECT_EQ(a.rate, optim::rate_from_curvature(lambda));
  EXPECT_EQ(a.rows, 120);
  EXPECT_GT(a.lambda_max, 0);
  fit.run_to(opt.epochs);
  const TrainRun run = fit.run();
  EXPECT_EQ(run.model.options.lr, a.rate);
  EXPECT_TRUE(run.model.options.lr_auto);
  ASSERT_TRUE(run.lr_auto.has_value());
  // --lr <that number> trains the same weights; the default rate trains others.
  TrainOptions fixed = opt;
  fixed.lr_auto = false;
  fixed.lr = a.rate;
  Rng r2 = rng;
  EXPECT_TRUE(fit_prepared(p, fixed, r2).model.params == run.model.params);
  fixed.lr = TrainOptions{}.lr;
  Rng r3 = rng;
  EXPECT_FALSE(fit_prepared(p, fixed, r3).model.params == run.model.params);
  EXPECT_FALSE(fit_prepared(p, fixed, r3).lr_auto.has_value());
}

TEST(LrAutoTest, LargeSetsAreSampledToAThousandRows) {
  nn::NetworkSpec spec;
  spec.inputs = 3;
  spec.outputs = 1;
  nn::Network net(spec);
  Rng rng(2);
  net.init_params(rng);
  const Matrix x = test::random_matrix(3, 1500, rng), y = test::random_matrix(1, 1500, rng);
  EXPECT_EQ(choose_rate(net, x, y, TrainOptions{}).rows, kLrAutoRows);
  EXPECT_EQ(choose_rate(net, x.leftCols(40), y.leftCols(40), TrainOptions{}).rows, 40);
}

// A linear model with squared error: H = [x; 1][x; 1]' / N + l2 on the weight entries, exactly.
TEST(LrAutoTest, SpectrumOfALinearModelMatchesTheExactEigenvalues) {
  nn::NetworkSpec spec;
  spec.inputs = 3;
  spec.outputs = 1;
  nn::Network net(spec);
  Rng rng(3);
  net.init_params(rng);
  Matrix x = test::random_matrix(3, 50, rng);
  x.row(1) = 0.3f * x.row(1);  // a spread of curvatures
  const Matrix y = test::random_matrix(1, 50, rng);
  const double l2 = 0.05;
  Eigen::MatrixXd a(4, 50);
  a.topRows(3) = x.cast<double>();
  a.row(3).setOnes();
  Eigen::MatrixXd h = a * a.transpose() / 50.0;
  for (int i = 0; i < 3; ++i) h(i, i) += l2;
  const Eigen::VectorXd eig = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(h).eigenvalues();
  const Spectrum s = spectrum(net, x, y, l2, 1);
  EXPECT_NEAR(s.lambda_max, eig.maxCoeff(), 1e-3 * eig.maxCoeff());
  EXPECT_NEAR(s.lambda_min, eig.minCoeff(), 2e-2 * eig.minCoeff());
  EXPECT_FALSE(s.indefinite());
  EXPECT_DOUBLE_EQ(s.condition(), s.lambda_max / s.lambda_min);
  Spectrum saddle = s;
  saddle.lambda_min = -0.1;
  EXPECT_TRUE(saddle.indefinite());
  EXPECT_TRUE(std::isnan(saddle.condition()));
}

}  // namespace
}  // namespace nnfit::train
