// Every optimizer and schedule flag of `nnfit train` changes the trained weights, and the rate
// in effect is in each --history line (run in-process through cli::run, 4 epochs of iris).
#include <array>
#include <fstream>
#include <limits>

#include <cmath>
#include <sstream>

#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

using Flags = std::vector<std::string>;

class OptimizerFlagsTest : public CliTest {
 protected:
  Vector params_after(const Flags& flags) {
    const CliResult r = train("m.nnfit", flags);
    EXPECT_EQ(r.code, 0) << r.err;
    return load("m.nnfit").params;
  }
  // The flags in `with` change the weights relative to `base`.
  void expect_differ(const Flags& base, Flags with) {
    with.insert(with.begin(), base.begin(), base.end());
    const Vector a = params_after(base);
    const Vector b = params_after(with);
    ASSERT_EQ(a.size(), b.size());
    EXPECT_FALSE(a == b) << "no effect of " << with.back();
  }
  // The lr column of --history, with --lr 0.01 and one held-out part (the history is then the
  // early-stopped run's, not a refit's).
  std::vector<double> rates(const Flags& flags) {
    Flags f{"--lr", "0.01", "--refit-folds", "0"};
    f.insert(f.end(), flags.begin(), flags.end());
    f.insert(f.end(), {"--history", path("h.csv")});
    EXPECT_EQ(train("h.nnfit", f).code, 0);
    std::ifstream in(path("h.csv"));
    std::vector<double> out;
    std::string line;
    std::getline(in, line);  // epoch,train_loss,val_loss,val_acc,lr,seconds
    while (std::getline(in, line)) {
      std::stringstream ss(line);
      std::string cell;
      for (int i = 0; i < 5; ++i) std::getline(ss, cell, ',');
      out.push_back(std::stod(cell));
    }
    return out;
  }
};

TEST_F(OptimizerFlagsTest, EachOptimizerTrainsItsOwnWay) {
  const Vector sgd = params_after({"--optimizer", "sgd"});
  for (const char* o : {"adam", "adamw", "lbfgs", "newton"}) {
    const Vector w = params_after({"--optimizer", o, "--hidden", "4"});
    EXPECT_TRUE(w.allFinite()) << o;
    EXPECT_FALSE(w.size() == sgd.size() && w == sgd) << o;
  }
  expect_differ({"--optimizer", "adam"}, {"--optimizer", "adamw"});
  expect_differ({"--optimizer", "lbfgs", "--hidden", "4"}, {"--optimizer", "newton"});
}

TEST_F(OptimizerFlagsTest, SgdAndAdamHyperParametersChangeTheWeights) {
  expect_differ({"--optimizer", "sgd"}, {"--nesterov"});
  expect_differ({"--optimizer", "adam"}, {"--beta1", "0.5"});
  expect_differ({"--optimizer", "adam"}, {"--beta2", "0.9"});
  expect_differ({"--optimizer", "adam"}, {"--epsilon", "0.1"});
  expect_differ({"--optimizer", "adamw"}, {"--weight-decay", "0.5"});
}

TEST_F(OptimizerFlagsTest, FullBatchHyperParametersChangeTheWeights) {
  // Without validation the last iteration is kept, so an earlier convergence shows.
  const Flags lbfgs{"--optimizer", "lbfgs", "--epochs", "100", "--val-split", "0"};
  expect_differ(lbfgs, {"--lbfgs-history", "1"});
  expect_differ(lbfgs, {"--tol", "0.05"});
  expect_differ({"--optimizer", "newton", "--hidden", "3", "--epochs", "30", "--val-split", "0"},
                {"--tol", "0.05"});
}

TEST_F(OptimizerFlagsTest, NewtonRefusesALargeNetworkAndSuggestsLbfgs) {
  const CliResult r = train("n.nnfit", {"--optimizer", "newton", "--hidden", "256"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_HAS(r.err, "at most 1000 parameters");
  EXPECT_HAS(r.err, "use lbfgs");
}

TEST_F(OptimizerFlagsTest, ScheduleRatesAreInTheHistory) {
  EXPECT_EQ(rates({}), std::vector<double>(4, 0.01));
  const std::vector<double> inv = rates({"--lr-schedule", "inverse", "--lr-decay", "0.5"});
  ASSERT_EQ(inv.size(), 4u);
  for (int t = 0; t < 4; ++t) EXPECT_NEAR(inv[t], 0.01 / (1 + 0.5 * t), 1e-9) << t;
  const std::vector<double> warm = rates({"--lr-warmup", "2"});
  EXPECT_NEAR(warm[0], 0.005, 1e-12);
  EXPECT_NEAR(warm[1], 0.01, 1e-12);
  EXPECT_NEAR(warm[3], 0.01, 1e-12);
  const std::vector<double> cos = rates({"--lr-schedule", "cosine", "--lr-min", "0.001"});
  EXPECT_NEAR(cos[0], 0.01, 1e-12);
  EXPECT_NEAR(cos[2], 0.001 + 0.009 * 0.5 * (1 + std::cos(M_PI * 2 / 4)), 1e-9);
}

TEST_F(OptimizerFlagsTest, TheLogSaysWhatTheScheduleCounts) {
  const auto log_of = [&](const Flags& f) {
    Flags args{"train", "--data", data_path("iris.csv"), "--epochs", "4", "--no-progress",
               "--model", path("l.nnfit")};
    args.insert(args.end(), f.begin(), f.end());
    const CliResult r = run_cli(args);
    EXPECT_EQ(r.code, 0) << r.err;
    return r.err;
  };
  // --lr default is the optimizer's own: 0.001 for adam, 0.01 for sgd.
  EXPECT_HAS(log_of({}), "optimizer adam (beta1 0.9, beta2 0.999, epsilon 1e-08), lr 0.001 "
                         "constant (t counts epochs)");
  EXPECT_HAS(log_of({"--optimizer", "sgd"}),
             "optimizer sgd (momentum 0.9), lr 0.01 constant (t counts epochs)");
  // 120 training rows in batches of 32: 4 updates per epoch, 16 in 4 epochs, 6 of them warm-up.
  EXPECT_HAS(log_of({"--lr-schedule", "cosine", "--lr-unit", "update", "--lr-warmup", "6"}),
             "lr 0.001 cosine to 0 over 10 updates after a linear warm-up of 6 (t counts updates)");
  EXPECT_HAS(log_of({"--optimizer", "lbfgs"}), "optimizer lbfgs, full batch, at most 4 iterations");
}

TEST_F(OptimizerFlagsTest, ScheduleFlagsChangeTheWeights) {
  expect_differ({}, {"--lr-schedule", "power"});
  expect_differ({"--lr-schedule", "inverse"}, {"--lr-decay", "3"});
  expect_differ({"--lr-schedule", "inverse"}, {"--lr-unit", "update"});
  expect_differ({"--lr-schedule", "cosine"}, {"--lr-min", "0.0005"});
  expect_differ({"--lr-warmup", "3"}, {"--lr-warmup-kind", "constant"});
  // plateau: the rate drops after --lr-patience epochs without a better monitored loss (the
  // training loss without validation); with --min-delta 10 only the first epoch (better than
  // +inf) counts, so from epoch 3 on the rate falls by --lr-factor each epoch.
  const Flags plateau{"--lr-schedule", "plateau", "--lr-patience", "1", "--min-delta", "10",
                      "--val-split", "0"};
  const std::vector<double> p = rates(plateau);
  EXPECT_NEAR(p[1], 0.01, 1e-12);
  EXPECT_NEAR(p[2], 0.001, 1e-12);
  EXPECT_NEAR(p[3], 0.0001, 1e-12);
  expect_differ(plateau, {"--lr-factor", "2"});
  expect_differ(plateau, {"--lr-min", "0.0005"});
}

// plateau watches --monitor: with val_accuracy (maximised) the rate drops after each epoch
// whose accuracy is not above the best so far, which is not when the loss stops falling.
TEST_F(OptimizerFlagsTest, PlateauWatchesTheMonitor) {
  const auto history = [&](const std::string& monitor) {
    const Flags f{"--lr-schedule", "plateau", "--lr-patience", "1", "--lr-factor", "2",
                  "--monitor", monitor, "--epochs", "12", "--patience", "50",
                  "--refit-folds", "0", "--history", path("p.csv")};
    EXPECT_EQ(train("p.nnfit", f).code, 0);
    std::ifstream in(path("p.csv"));
    std::vector<std::array<double, 3>> rows;  // val_loss, val_acc, lr
    std::string line;
    std::getline(in, line);  // epoch,train_loss,val_loss,val_acc,lr,seconds
    while (std::getline(in, line)) {
      std::stringstream ss(line);
      std::vector<double> c;
      for (std::string cell; std::getline(ss, cell, ',');) c.push_back(std::stod(cell));
      rows.push_back({c[2], c[3], c[4]});
    }
    return rows;
  };
  // The rates the plateau rule gives when it watches column `col` (1: accuracy, maximised).
  const auto expected = [](const std::vector<std::array<double, 3>>& h, int col) {
    std::vector<double> lr{h[0][2]};
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t e = 0; e + 1 < h.size(); ++e) {
      const double v = col == 1 ? -h[e][1] : h[e][0];
      lr.push_back(v < best ? lr.back() : lr.back() / 2);
      best = std::min(best, v);
    }
    return lr;
  };
  const auto rates_of = [](const std::vector<std::array<double, 3>>& h) {
    std::vector<double> r;
    for (const auto& row : h) r.push_back(row[2]);
    return r;
  };
  const auto acc = history("val_accuracy");
  ASSERT_EQ(acc.size(), 12U);
  const std::vector<double> got = rates_of(acc);
  const std::vector<double> want = expected(acc, 1);
  for (std::size_t e = 0; e < got.size(); ++e) EXPECT_NEAR(got[e], want[e], 1e-9) << e;
  EXPECT_NE(want, expected(acc, 0)) << "iris should tell accuracy from loss here";
  const auto loss = history("val_loss");
  const std::vector<double> by_loss = expected(loss, 0);
  for (std::size_t e = 0; e < loss.size(); ++e) EXPECT_NEAR(loss[e][2], by_loss[e], 1e-9) << e;
}

}  // namespace
}  // namespace nnfit::cli::testing
