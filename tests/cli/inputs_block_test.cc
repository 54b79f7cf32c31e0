// What train and gridsearch say on stderr before training (the inputs block), --no-progress,
// and NO_COLOR.
#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

using InputsBlockTest = CliTest;

TEST_F(InputsBlockTest, TrainLogsTheInputsBeforeTheFirstEpoch) {
  const CliResult r = run_cli({"train", "--data", data_path("iris.csv"), "--target", "species",
                               "--epochs", "3", "--model", path("m.nnfit")});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string block =
      "info: target 'species' (named): classification, 3 classes (text values)\n"
      "info: columns: 4 numeric\n"
      "info: input width 4; 150 rows, 5-fold cross-validation\n"  // --refit-folds auto
      "info: network 4-64-3, 515 parameters, about ";  // then the epochs
  EXPECT_EQ(r.err.substr(0, block.size()), block) << r.err;
  EXPECT_EQ(r.err.find("debug:"), std::string::npos);
  const CliResult held = run_cli({"train", "--data", data_path("iris.csv"), "--epochs", "1",
                                  "--refit-folds", "0", "--model", path("h.nnfit")});
  EXPECT_HAS(held.err, "info: input width 4; 120 training rows, 30 validation rows "
                       "(--val-split 0.2)\n");
  // The default target says so, with the flag that chooses another.
  const CliResult last = run_cli(
      {"train", "--data", data_path("iris.csv"), "--epochs", "1", "--model", path("n.nnfit")});
  EXPECT_HAS(last.err, "info: target 'species' (last column; --target NAME to choose)");
  // --log-level debug adds one line per column.
  const CliResult debug = run_cli({"train", "--data", data_path("iris.csv"), "--epochs", "1",
                                   "--model", path("d.nnfit"), "--log-level", "debug"});
  EXPECT_HAS(debug.err,
             "debug: column 'sepal length (cm)': numeric, min 4.3, mean 5.84333, max "
             "7.9, 0 missing\n");
}

TEST_F(InputsBlockTest, NoProgressDropsTheEpochLinesOnly) {
  const std::vector<std::string> args{"train",    "--data",  data_path("iris.csv"),
                                      "--target", "species", "--epochs",
                                      "3",        "--model", path("m.nnfit")};
  const CliResult with = run_cli(args);
  std::vector<std::string> quiet_args = args;
  quiet_args.push_back("--no-progress");
  const CliResult without = run_cli(quiet_args);
  ASSERT_EQ(without.code, 0) << without.err;
  EXPECT_HAS(with.err, "info: epoch 3/3 ");
  EXPECT_EQ(without.err.find("info: epoch "), std::string::npos) << without.err;
  EXPECT_HAS(without.err, "info: input width 4;");
  EXPECT_HAS(without.err, "info: refit: 3 epochs on all 150 rows (the folds' mean best epoch; "
                          "theirs: 3 3 3 3 3)");
  EXPECT_HAS(without.err, "info: held-out accuracy ");
  quiet_args.insert(quiet_args.end(), {"--refit-folds", "0"});  // one run: its best epoch
  EXPECT_HAS(run_cli(quiet_args).err, "info: best epoch 3 of 3 by val_loss");
}

TEST_F(InputsBlockTest, GridsearchLogsTheInputsAndNoProgressDropsTheTrialLines) {
  std::vector<std::string> args{
      "gridsearch", "--data", data_path("iris.csv"), "--target", "species",       "--epochs",
      "3",          "--grid", "lr=0.1,0.05",         "--model",  path("s.nnfit"), "--results",
      path("s.csv"), "--folds",      "0",          "--no-baseline"};
  const CliResult with = run_cli(args);
  ASSERT_EQ(with.code, 0) << with.err;
  EXPECT_HAS(with.err,
             "info: target 'species' (named): classification, 3 classes (text values)\n"
             "info: columns: 4 numeric\n"
             "info: input width 4; 120 training rows, 30 validation rows "
             "(--val-split 0.2)\n"
             "info: 2 trials on 150 rows, scored by one validation split of 30 rows");
  EXPECT_HAS(with.err, "info: trial 2/2: ");
  args.push_back("--no-progress");
  const CliResult without = run_cli(args);
  ASSERT_EQ(without.code, 0) << without.err;
  EXPECT_EQ(without.err.find("info: trial "), std::string::npos) << without.err;
  EXPECT_HAS(without.err, "refit the best configuration");
}

TEST(NoColorTest, AnyNonEmptyValueTurnsColourOff) {
  EXPECT_FALSE(no_color(nullptr));
  EXPECT_FALSE(no_color(""));
  EXPECT_TRUE(no_color("1"));
  EXPECT_TRUE(no_color("0"));  // https://no-color.org: any value, even "0"
}

}  // namespace
}  // namespace nnfit::cli::testing
