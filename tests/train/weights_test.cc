// Sample and class weights: a weighted loss equals duplicated rows, its gradient matches finite
// differences, and --class-weight balanced raises the rare class's recall.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <sstream>

#include "core/error.h"
#include "core/rng.h"
#include "data/dataset.h"
#include "model/model.h"
#include "testing/grad_check.h"
#include "train/class_weight.h"
#include "train/objective.h"
#include "train/pipeline.h"
#include "train/trainer.h"

namespace nnfit::train {
namespace {

using test::kTolerance;

struct Problem {
  nn::NetworkSpec spec;
  Matrix x, y;
};

// Five columns for each loss: softmax (3 classes), sigmoid (2 classes), squared error (2 outputs).
Problem make_problem(nn::LossKind loss) {
  Rng rng(7);
  Problem p;
  p.spec.inputs = 3;
  p.spec.hidden = {4};
  p.spec.activations = {nn::Activation::kTanh};
  p.spec.loss = loss;
  p.spec.outputs = loss == nn::LossKind::kSoftmaxNll   ? 3
                   : loss == nn::LossKind::kSigmoidBce ? 1
                                                       : 2;
  p.x = test::random_matrix(3, 5, rng);
  if (loss == nn::LossKind::kSquaredError) {
    p.y = test::random_matrix(2, 5, rng);
  } else {
    p.y.resize(1, 5);
    const Index k = loss == nn::LossKind::kSoftmaxNll ? 3 : 2;
    for (Index j = 0; j < 5; ++j) p.y(0, j) = static_cast<Scalar>(j % k);
  }
  return p;
}

// x and y with column `col` appended once more.
Matrix with_duplicate(const Matrix& m, Index col) {
  Matrix out(m.rows(), m.cols() + 1);
  out << m, m.col(col);
  return out;
}

// A network of spec initialised from seed.
nn::Network initialised(const nn::NetworkSpec& spec, std::uint64_t seed) {
  Rng rng(seed);
  nn::Network net(spec);
  net.init_params(rng);
  return net;
}

constexpr nn::LossKind kLosses[] = {nn::LossKind::kSoftmaxNll, nn::LossKind::kSigmoidBce,
                                    nn::LossKind::kSquaredError};

TEST(WeightsTest, WeightTwoEqualsTheRowDuplicated) {
  for (nn::LossKind kind : kLosses) {
    const Problem p = make_problem(kind);
    nn::Network a = initialised(p.spec, 3);
    nn::Network b(a);
    Vector w = Vector::Ones(5);
    w[1] = 2;
    NetworkObjective weighted(a, p.x, p.y, 0.0, 0.01, 5, &w);
    const Matrix x2 = with_duplicate(p.x, 1), y2 = with_duplicate(p.y, 1);
    NetworkObjective duplicated(b, x2, y2, 0.0, 0.01, 6);
    Vector ga, gb;
    const double fa = weighted.full(a.params(), &ga);
    const double fb = duplicated.full(b.params(), &gb);
    EXPECT_NEAR(fa, fb, 1e-6 * std::abs(fb)) << nn::loss_name(kind);
    EXPECT_LT((ga - gb).norm(), 1e-5 * gb.norm()) << nn::loss_name(kind);
    EXPECT_NEAR(weighted.full(a.params(), nullptr), fb, 1e-6 * std::abs(fb));
    // A batch of all rows is the same estimate: (1/B) sum w'_b loss_b with w' of mean 1.
    const Index rows5[] = {0, 1, 2, 3, 4}, rows6[] = {0, 1, 2, 3, 4, 5};
    const double ba = weighted.batch(a.params(), rows5, 5).loss;
    const Vector bga = *weighted.batch(a.params(), rows5, 5).grad;
    const optim::BatchEval eb = duplicated.batch(b.params(), rows6, 6);
    EXPECT_NEAR(ba, eb.loss, 1e-6 * std::abs(eb.loss));
    EXPECT_LT((bga - *eb.grad).norm(), 1e-5 * eb.grad->norm());
    // And the weight matters: unweighted differs.
    nn::Network c(a);
    NetworkObjective plain(c, p.x, p.y, 0.0, 0.01, 5);
    EXPECT_GT(std::abs(plain.full(c.params(), nullptr) - fb), 1e-6);
  }
}

TEST(WeightsTest, AllOnesWeightsEqualTheUnweightedLoss) {
  for (nn::LossKind kind : kLosses) {
    const Problem p = make_problem(kind);
    nn::Network a = initialised(p.spec, 5);
    nn::Network b(a);
    const Vector ones = Vector::Ones(5);
    NetworkObjective weighted(a, p.x, p.y, 0.0, 0.0, 2, &ones);
    NetworkObjective plain(b, p.x, p.y, 0.0, 0.0, 2);
    Vector ga, gb;
    EXPECT_NEAR(weighted.full(a.params(), &ga), plain.full(b.params(), &gb), 1e-7);
    EXPECT_LT((ga - gb).norm(), 1e-6 * gb.norm());
  }
}

TEST(WeightsTest, WeightedObjectiveGradientMatchesFiniteDifferences) {
  for (nn::LossKind kind : kLosses) {
    const Problem p = make_problem(kind);
    nn::Network net = initialised(p.spec, 11);
    Vector w(5);
    w << 0.5f, 3.0f, 0.0f, 1.5f, 2.0f;
    NetworkObjective obj(net, p.x, p.y, 0.0, 0.0, 2, &w);  // chunks of 2: 2 + 2 + 1
    Vector g;
    obj.full(net.params(), &g);
    const Eigen::VectorXd analytic = g.cast<double>();
    const Eigen::VectorXd numeric = test::numeric_gradient(
        net.params().data(), net.param_count(), [&] { return obj.full(net.params(), nullptr); });
    EXPECT_LT(test::relative_error(analytic, numeric), kTolerance) << nn::loss_name(kind);
    // The unweighted gradient is far from it: the check can tell weights from none.
    nn::Network other(net);
    NetworkObjective plain(other, p.x, p.y, 0.0, 0.0, 2);
    Vector gp;
    plain.full(other.params(), &gp);
    EXPECT_GT(test::relative_error(gp.cast<double>(), numeric), 5 * kTolerance);
  }
}

TEST(WeightsTest, WeightedLossGradientMatchesFiniteDifferences) {
  for (nn::LossKind kind : kLosses) {
    const Problem p = make_problem(kind);
    const auto loss = nn::make_loss(kind);
    Rng rng(13);
    Matrix z = test::random_matrix(p.spec.outputs, 5, rng, -2, 2);
    const Scalar w[] = {0.5f, 3.0f, 0.0f, 1.5f, 2.0f};
    Matrix dz(z.rows(), z.cols());
    const double mean = loss->weighted_gradient(z, p.y, w, dz);
    EXPECT_NEAR(mean, loss->weighted_sum(z, p.y, w) / 5, 1e-6);
    const Eigen::VectorXd numeric = test::numeric_gradient(
        z.data(), z.size(), [&] { return loss->weighted_sum(z, p.y, w) / 5; });
    const Eigen::VectorXd analytic = Eigen::Map<const Vector>(dz.data(), dz.size()).cast<double>();
    EXPECT_LT(test::relative_error(analytic, numeric), kTolerance) << nn::loss_name(kind);
    EXPECT_TRUE(dz.col(2).isZero()) << "a zero weight contributes no gradient";
  }
}

TEST(WeightsTest, FullBatchTrainingWithWeightTwoEqualsDuplicatedRow) {
  const Problem p = make_problem(nn::LossKind::kSoftmaxNll);
  TrainOptions opt;
  opt.batch_size = 64;  // one batch per epoch: shuffles only reorder a sum
  opt.epochs = 15;
  opt.lr = 0.5;
  nn::Network a = initialised(p.spec, 17);
  nn::Network b(a);
  Vector w = Vector::Ones(5);
  w[3] = 2;
  const Matrix x2 = with_duplicate(p.x, 3), y2 = with_duplicate(p.y, 3);
  FitData da{&p.x, &p.y, nullptr, nullptr};
  da.w_train = &w;
  FitData db{&x2, &y2, nullptr, nullptr};
  Rng ra(1), rb(1);
  fit(a, opt, da, ra);
  fit(b, opt, db, rb);
  EXPECT_LT((a.params() - b.params()).norm(), 1e-4 * b.params().norm());
  nn::Network u = initialised(p.spec, 17);
  FitData du{&p.x, &p.y, nullptr, nullptr};
  Rng ru(1);
  fit(u, opt, du, ru);
  EXPECT_GT((u.params() - b.params()).norm(), 1e-3 * b.params().norm()) << "weights ignored";
}

TEST(WeightsTest, ValidationLossAndAccuracyAreWeightedMeans) {
  const Problem p = make_problem(nn::LossKind::kSoftmaxNll);
  TrainOptions opt;
  opt.epochs = 1;
  nn::Network net = initialised(p.spec, 19);
  Vector w_val(5);
  w_val << 3, 0, 1, 0.5f, 2;
  FitData data{&p.x, &p.y, &p.x, &p.y};
  data.w_val = &w_val;
  Rng rng(1);
  const FitResult r = fit(net, opt, data, rng);
  double loss = 0, hits = 0;
  Matrix out;
  for (Index j = 0; j < 5; ++j) {
    loss += w_val[j] * net.loss_sum(p.x.col(j), p.y.col(j));
    net.predict(p.x.col(j), out);
    Index k = 0;
    out.col(0).maxCoeff(&k);
    hits += static_cast<Scalar>(k) == p.y(0, j) ? w_val[j] : 0;
  }
  EXPECT_NEAR(r.history.at(0).val_loss, loss / 6.5, 1e-6);
  EXPECT_NEAR(r.history.at(0).val_metric, hits / 6.5, 1e-12);
  const double plain = net.loss_sum(p.x, p.y) / 5;
  EXPECT_GT(std::abs(plain - loss / 6.5), 1e-4) << "the weights must matter here";
}

TEST(WeightsTest, BalancedClassWeightsAsScikitLearn) {
  Matrix y(1, 4);
  y << 0, 0, 0, 1;
  const std::vector<double> f = class_weights("balanced", {"a", "b", "c"}, y);
  ASSERT_EQ(f.size(), 3u);
  EXPECT_DOUBLE_EQ(f[0], 4.0 / (2 * 3));  // two classes present
  EXPECT_DOUBLE_EQ(f[1], 4.0 / (2 * 1));
  EXPECT_DOUBLE_EQ(f[2], 1.0);  // absent from the training part
  const std::vector<double> g = class_weights("b=2.5", {"a", "b"}, y);
  EXPECT_EQ(g, (std::vector<double>{1.0, 2.5}));
  const Vector rows = row_weights(Vector::Constant(4, 2.0f), g, y);
  EXPECT_EQ(rows, (Vector(4) << 2, 2, 2, 5).finished());
  EXPECT_TRUE(class_weights("", {"a", "b"}, y).empty());
}

TEST(WeightsTest, BadClassWeightsAreConfigErrors) {
  Matrix y(1, 2);
  y << 0, 1;
  try {
    class_weights("rose=2", {"setosa", "virginica"}, y);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("'rose'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'setosa', 'virginica'"), std::string::npos) << e.what();
  }
  for (const char* bad : {"a=0", "a=-1", "a=x", "a=inf", "a", "=2", "a=1,a=2", "a=nan"}) {
    try {
      check_class_weight(bad);
      FAIL() << bad;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("--class-weight"), std::string::npos) << e.what();
    }
  }
  EXPECT_NO_THROW(check_class_weight("balanced"));
  EXPECT_NO_THROW(check_class_weight("a=1.5, b = 2"));
  TrainOptions opt;
  opt.class_weight = "a=0";
  EXPECT_THROW(validate(opt), ConfigError);
}

// 190 rows of class "common" and 10 of "rare", overlapping: unweighted, a linear model rarely
// predicts "rare".
std::string imbalanced_csv() {
  Rng rng(21);
  std::ostringstream os;
  os << "x1,x2,label\n";
  for (int i = 0; i < 200; ++i) {
    const bool rare = i % 20 == 0;
    const double c = rare ? 1.0 : 0.0;
    const double a = rng.uniform(-1, 1) + rng.uniform(-1, 1);
    const double b = rng.uniform(-1, 1) + rng.uniform(-1, 1);
    os << c + a << "," << c + b << "," << (rare ? "rare" : "common") << "\n";
  }
  return os.str();
}

double rare_recall(const std::string& class_weight) {
  std::istringstream in(imbalanced_csv());
  const data::Dataset d = data::read_dataset("imbalanced.csv", in, "label");
  DataOptions data;
  data.val_split = 0;
  TrainOptions opt;
  opt.optimizer = "sgd";  // 30 epochs of SGD at 0.01: without weights the rare class is missed
  opt.hidden = {};
  opt.epochs = 30;
  opt.class_weight = class_weight;
  const TrainRun run = train_datasets(d, nullptr, data, opt);
  const Matrix out = model::predict_outputs(run.model, d);
  const std::vector<std::string> labels = model::prediction_labels(run.model, out);
  int hits = 0, rare = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (d.target[i] != "rare") continue;
    ++rare;
    hits += labels[i] == "rare";
  }
  return static_cast<double>(hits) / rare;
}

TEST(WeightsTest, BalancedClassWeightsRaiseTheRareClassRecall) {
  const double none = rare_recall("");
  const double balanced = rare_recall("balanced");
  EXPECT_LE(none, 0.2);
  EXPECT_GE(balanced, 0.6);
  EXPECT_GT(rare_recall("rare=19"), none);
}

TEST(WeightsTest, SplitKeepsEachWeightWithItsRow) {
  std::ostringstream csv;
  csv << "f,w,y\n";  // f = w on every row, so a weight that moves to another row shows
  for (int i = 1; i <= 40; ++i) csv << i << "," << i << "," << (i % 2 ? "a" : "b") << "\n";
  std::istringstream in(csv.str());
  data::CsvOptions read;
  read.weight_column = "w";
  const data::Dataset d = data::read_dataset("w.csv", in, "y", read);
  ASSERT_EQ(d.feature_names, std::vector<std::string>{"f"});
  DataOptions opts;
  opts.val_split = 0.25;
  Rng rng(4);
  const PreparedData p = prepare_data(d, nullptr, opts, rng);
  EXPECT_EQ(p.model.weight_column, "w");
  ASSERT_EQ(p.w_train.size(), 30);
  ASSERT_EQ(p.w_val.size(), 10);
  const data::FeatureColumn& f = p.model.features.columns.at(0);
  const auto raw = [&](const Matrix& x, Index j) { return x(0, j) * f.scale + f.mean; };
  for (Index j = 0; j < 30; ++j) EXPECT_NEAR(raw(p.x_train, j), p.w_train[j], 1e-4);
  for (Index j = 0; j < 10; ++j) EXPECT_NEAR(raw(p.x_val, j), p.w_val[j], 1e-4);
}

TEST(WeightsTest, ClassWeightOnARegressionTargetIsAConfigError) {
  std::istringstream in("x,y\n1,2\n2,4\n3,5\n4,8\n");
  const data::Dataset d = data::read_dataset("r.csv", in, "y");
  DataOptions data;
  data.val_split = 0;
  TrainOptions opt;
  opt.class_weight = "balanced";
  try {
    train_datasets(d, nullptr, data, opt);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("regression"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nnfit::train
