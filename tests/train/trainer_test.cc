// train::fit on small problems: XOR, linear regression, early stopping, determinism.
#include "train/trainer.h"

#include <gtest/gtest.h>

#include <atomic>

#include "core/error.h"
#include "train/metrics.h"

namespace nnfit::train {
namespace {

nn::Network make_net(Index in, std::vector<Index> hidden, nn::Activation act, Index out,
                     nn::LossKind loss, std::uint64_t seed) {
  nn::NetworkSpec spec;
  spec.inputs = in;
  spec.hidden = std::move(hidden);
  spec.activations.assign(spec.hidden.size(), act);
  spec.outputs = out;
  spec.loss = loss;
  nn::Network net(spec);
  Rng rng(seed);
  net.init_params(rng);
  return net;
}

TEST(TrainerTest, LearnsXorWithTanhHiddenLayer) {
  Matrix x(2, 4), y(1, 4);
  x << 0, 0, 1, 1,  //
      0, 1, 0, 1;
  y << 0, 1, 1, 0;
  nn::Network net = make_net(2, {8}, nn::Activation::kTanh, 1, nn::LossKind::kSigmoidBce, 1);
  TrainOptions opt;
  opt.lr = 0.1;
  opt.batch_size = 4;
  opt.epochs = 2000;
  Rng rng(1);
  const FitResult r = fit(net, opt, {&x, &y, nullptr, nullptr, true, 1.0}, rng);
  Matrix out;
  net.predict(x, out);
  EXPECT_DOUBLE_EQ(accuracy(out, y), 1.0);
  EXPECT_LT(r.history.back().train_loss, 0.05);
  EXPECT_EQ(r.epochs_run, 2000);
}

TEST(TrainerTest, LinearRegressionRecoversCoefficients) {
  Rng rng(7);
  const Index n = 400;
  Matrix x(3, n), y(1, n);
  for (Index j = 0; j < n; ++j) {
    for (Index i = 0; i < 3; ++i) x(i, j) = static_cast<Scalar>(rng.uniform(-1, 1));
    y(0, j) = 2 * x(0, j) - 3 * x(1, j) + 0.5f * x(2, j) + 1;
  }
  nn::Network net = make_net(3, {}, nn::Activation::kIdentity, 1, nn::LossKind::kSquaredError, 3);
  TrainOptions opt;
  opt.hidden = {};
  opt.lr = 0.05;
  opt.batch_size = 16;
  opt.epochs = 200;
  fit(net, opt, {&x, &y, nullptr, nullptr, false, 1.0}, rng);
  const Vector& p = net.params();  // W (1, 3) then b
  ASSERT_EQ(p.size(), 4);
  EXPECT_NEAR(p[0], 2.0, 1e-3);
  EXPECT_NEAR(p[1], -3.0, 1e-3);
  EXPECT_NEAR(p[2], 0.5, 1e-3);
  EXPECT_NEAR(p[3], 1.0, 1e-3);
}

TEST(TrainerTest, PerExampleSgdLearnsTheSameProblem) {
  Rng rng(11);
  const Index n = 200;
  Matrix x(2, n), y(1, n);
  for (Index j = 0; j < n; ++j) {
    x(0, j) = static_cast<Scalar>(rng.uniform(-1, 1));
    x(1, j) = static_cast<Scalar>(rng.uniform(-1, 1));
    y(0, j) = x(0, j) - x(1, j);
  }
  nn::Network net = make_net(2, {}, nn::Activation::kIdentity, 1, nn::LossKind::kSquaredError, 5);
  TrainOptions opt;
  opt.hidden = {};
  opt.batch_size = 1;
  opt.epochs = 30;
  const FitResult r = fit(net, opt, {&x, &y, nullptr, nullptr, false, 1.0}, rng);
  EXPECT_LT(r.history.back().train_loss, 1e-6);
  EXPECT_NEAR(net.params()[0], 1.0, 1e-3);
  EXPECT_NEAR(net.params()[1], -1.0, 1e-3);
}

// Validation targets are the negation of the training targets, so the validation loss gets
// worse as the network fits the training data: early stopping must fire `patience` epochs after
// the best epoch and hand back exactly the best epoch's weights.
TEST(TrainerTest, EarlyStoppingRestoresBestWeights) {
  Rng data_rng(3);
  const Index n = 64;
  Matrix x(2, n), y(1, n);
  for (Index j = 0; j < n; ++j) {
    x(0, j) = static_cast<Scalar>(data_rng.uniform(-1, 1));
    x(1, j) = static_cast<Scalar>(data_rng.uniform(-1, 1));
    y(0, j) = x(0, j) + x(1, j);
  }
  const Matrix y_val = -y;
  nn::Network net = make_net(2, {4}, nn::Activation::kTanh, 1, nn::LossKind::kSquaredError, 9);
  TrainOptions opt;
  opt.epochs = 100;
  opt.patience = 4;
  opt.min_delta = 0;
  std::vector<Vector> snapshots;
  Rng rng(3);
  const FitResult r = fit(net, opt, {&x, &y, &x, &y_val, false, 1.0}, rng,
                          [&](const EpochReport&) { snapshots.push_back(net.params()); });
  ASSERT_TRUE(r.stopped_early);
  EXPECT_EQ(r.epochs_run, r.best_epoch + opt.patience);
  double best = 1e300;
  int best_epoch = 0;
  for (const auto& e : r.history) {
    if (e.val_loss < best) {
      best = e.val_loss;
      best_epoch = e.epoch;
    }
  }
  EXPECT_EQ(r.best_epoch, best_epoch);
  EXPECT_TRUE(net.params() == snapshots[static_cast<std::size_t>(best_epoch - 1)]);
  EXPECT_FALSE(net.params() == snapshots.back());
}

TEST(TrainerTest, BestEpochIsKeptWhenEpochLimitComesFirst) {
  Matrix x(1, 8), y(1, 8);
  x << 1, 2, 3, 4, 5, 6, 7, 8;
  y = x;
  const Matrix y_val = -y;
  nn::Network net = make_net(1, {}, nn::Activation::kIdentity, 1, nn::LossKind::kSquaredError, 1);
  TrainOptions opt;
  opt.optimizer = "sgd";  // plain gradient steps: every epoch moves towards y
  opt.hidden = {};
  opt.lr = 0.001;
  opt.epochs = 5;
  opt.patience = 50;
  std::vector<Vector> snapshots;
  Rng rng(1);
  const FitResult r = fit(net, opt, {&x, &y, &x, &y_val, false, 1.0}, rng,
                          [&](const EpochReport&) { snapshots.push_back(net.params()); });
  EXPECT_FALSE(r.stopped_early);
  EXPECT_EQ(r.epochs_run, 5);
  EXPECT_LT(r.best_epoch, 5);
  EXPECT_TRUE(net.params() == snapshots[static_cast<std::size_t>(r.best_epoch - 1)]);
}

TEST(TrainerTest, InterruptStopsAfterTheCurrentBatchAndKeepsTheBestWeights) {
  Matrix x(1, 64), y(1, 64);
  for (Index j = 0; j < 64; ++j) x(0, j) = static_cast<Scalar>(j) / 64;
  y = 3 * x;
  nn::Network net = make_net(1, {}, nn::Activation::kIdentity, 1, nn::LossKind::kSquaredError, 1);
  TrainOptions opt;
  opt.hidden = {};
  opt.batch_size = 8;
  opt.epochs = 100;
  std::atomic<bool> stop{false};
  FitData data{&x, &y, &x, &y, false, 1.0, &stop};
  int epochs_reported = 0;
  Rng rng(1);
  // Interrupt after epoch 2 (as a Ctrl-C during its validation): no epoch 3 starts.
  const FitResult r = fit(net, opt, data, rng, [&](const EpochReport& e) {
    ++epochs_reported;
    if (e.epoch == 2) stop = true;
  });
  EXPECT_TRUE(r.interrupted);
  EXPECT_FALSE(r.stopped_early);
  EXPECT_EQ(r.epochs_run, 2);
  EXPECT_EQ(epochs_reported, 2);
  EXPECT_LE(r.best_epoch, 2);
  // Interrupted before training began (Ctrl-C while the data loaded): no epoch at all, the
  // weights untouched.
  nn::Network net0 = make_net(1, {}, nn::Activation::kIdentity, 1, nn::LossKind::kSquaredError, 1);
  const Vector initial = net0.params();
  Rng rng0(1);
  const FitResult none = fit(net0, opt, data, rng0);
  EXPECT_TRUE(none.interrupted);
  EXPECT_EQ(none.epochs_run, 0);
  EXPECT_TRUE(net0.params() == initial);
  // Not interrupted: runs every epoch.
  std::atomic<bool> never{false};
  nn::Network net2 = make_net(1, {}, nn::Activation::kIdentity, 1, nn::LossKind::kSquaredError, 1);
  opt.epochs = 4;
  Rng rng2(1);
  const FitResult full = fit(net2, opt, {&x, &y, &x, &y, false, 1.0, &never}, rng2);
  EXPECT_FALSE(full.interrupted);
  EXPECT_EQ(full.epochs_run, 4);
}

TEST(TrainerTest, SameSeedGivesBitIdenticalWeights) {
  Matrix x(2, 4), y(1, 4);
  x << 0, 0, 1, 1, 0, 1, 0, 1;
  y << 0, 1, 1, 0;
  const auto train = [&](std::uint64_t seed) {
    nn::Network net = make_net(2, {8}, nn::Activation::kTanh, 1, nn::LossKind::kSigmoidBce, seed);
    TrainOptions opt;
    opt.batch_size = 2;
    opt.epochs = 50;
    Rng rng(seed);
    fit(net, opt, {&x, &y, nullptr, nullptr, true, 1.0}, rng);
    return Vector(net.params());
  };
  EXPECT_TRUE(train(5) == train(5));
  EXPECT_FALSE(train(5) == train(6));
}

// Successive halving continues a promoted trial: training in steps (to 7, past the best epoch,
// then to the end) must give the weights, best epoch and history of one uninterrupted fit.
TEST(TrainerTest, ContinuingInStepsEqualsOneFit) {
  Rng data_rng(5);
  const Index n = 120;
  Matrix x(3, n), y(1, n), x_val(3, 40), y_val(1, 40);
  for (Index j = 0; j < n; ++j) {
    for (Index i = 0; i < 3; ++i) x(i, j) = static_cast<Scalar>(data_rng.uniform(-1, 1));
    y(0, j) = x(0, j) * x(1, j) - x(2, j) + static_cast<Scalar>(data_rng.uniform(-0.3, 0.3));
  }
  for (Index j = 0; j < 40; ++j) {  // fresh draws: the network overfits, early stopping fires
    for (Index i = 0; i < 3; ++i) x_val(i, j) = static_cast<Scalar>(data_rng.uniform(-1, 1));
    y_val(0, j) = x_val(0, j) * x_val(1, j) - x_val(2, j);
  }
  TrainOptions opt;
  opt.hidden = {6};
  opt.lr = 0.01;
  opt.batch_size = 8;
  opt.epochs = 300;
  opt.patience = 5;
  const FitData data{&x, &y, &x_val, &y_val, false, 1.0};
  nn::Network once = make_net(3, {6}, nn::Activation::kRelu, 1, nn::LossKind::kSquaredError, 9);
  nn::Network steps = once;
  Rng rng_once(3), rng_steps(3);
  const FitResult a = fit(once, opt, data, rng_once);
  ASSERT_TRUE(a.stopped_early);
  ASSERT_GT(a.best_epoch, 7) << "the test needs a run whose best epoch comes after the first step";
  Trainer t(steps, opt, data, rng_steps);
  t.run_to(7);
  EXPECT_EQ(t.epochs_run(), 7);
  EXPECT_FALSE(t.finished());
  t.run_to(a.best_epoch + 2);  // a step after the best epoch: the patience count carries over
  EXPECT_EQ(t.epochs_run(), a.best_epoch + 2);
  t.run_to(opt.epochs);
  EXPECT_TRUE(t.finished());
  const FitResult b = t.result();
  EXPECT_EQ(b.epochs_run, a.epochs_run);
  EXPECT_EQ(b.best_epoch, a.best_epoch);
  EXPECT_EQ(b.stopped_early, a.stopped_early);
  ASSERT_EQ(b.history.size(), a.history.size());
  for (std::size_t e = 0; e < a.history.size(); ++e) {
    EXPECT_EQ(b.history[e].val_loss, a.history[e].val_loss) << "epoch " << e + 1;
  }
  EXPECT_TRUE(t.best_params() == once.params());
  t.run_to(opt.epochs + 10);  // a finished run does not train on
  EXPECT_EQ(t.epochs_run(), a.epochs_run);
}

TEST(TrainerTest, RunToStopsAtTheEpochLimit) {
  Matrix x(1, 8), y(1, 8);
  x << 0, 1, 2, 3, 4, 5, 6, 7;
  y = 2 * x;
  nn::Network net = make_net(1, {}, nn::Activation::kIdentity, 1, nn::LossKind::kSquaredError, 1);
  TrainOptions opt;
  opt.hidden = {};
  opt.epochs = 4;
  Rng rng(1);
  Trainer t(net, opt, {&x, &y, nullptr, nullptr, false, 1.0}, rng);
  t.run_to(3);
  EXPECT_FALSE(t.finished());
  t.run_to(100);
  EXPECT_EQ(t.epochs_run(), 4);
  EXPECT_TRUE(t.finished());
  EXPECT_EQ(t.result().best_epoch, 4);  // without validation the last epoch is kept
}

TEST(TrainerTest, DivergenceIsAnErrorNotASilentNan) {
  Matrix x(1, 4), y(1, 4);
  x << 1e3f, -1e3f, 2e3f, -2e3f;
  y << 1e3f, -1e3f, 2e3f, -2e3f;
  nn::Network net = make_net(1, {}, nn::Activation::kIdentity, 1, nn::LossKind::kSquaredError, 1);
  TrainOptions opt;
  opt.hidden = {};
  opt.lr = 10.0;
  opt.epochs = 100;
  Rng rng(1);
  EXPECT_THROW(fit(net, opt, {&x, &y, nullptr, nullptr, false, 1.0}, rng), TrainingDiverged);
}

TEST(TrainerTest, OneHugeStepDivergesWithAndWithoutValidation) {
  // The loss before the only step is finite; the step makes the weights infinite. That is a
  // divergence, never a kept model (with validation: not a NaN best epoch either).
  Matrix x(1, 4), y(1, 4);
  x << 1e3f, -1e3f, 2e3f, -2e3f;
  y << 1e3f, -1e3f, 2e3f, -2e3f;
  TrainOptions opt;
  opt.hidden = {};
  opt.lr = 1e36;
  opt.momentum = 0;
  opt.batch_size = 1000;
  opt.epochs = 1;
  const Matrix* const none = nullptr;
  for (const Matrix* val : {none, static_cast<const Matrix*>(&x)}) {
    nn::Network net = make_net(1, {}, nn::Activation::kIdentity, 1, nn::LossKind::kSquaredError, 1);
    Rng rng(1);
    EXPECT_THROW(fit(net, opt, {&x, &y, val, val ? &y : nullptr, false, 1.0}, rng),
                 TrainingDiverged)
        << (val ? "with" : "without") << " validation";
  }
}

}  // namespace
}  // namespace nnfit::train
