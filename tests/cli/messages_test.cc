// The CLI's messages in nnfit's one-line format, `error: <what> (<where>); <what to do>`:
// CLI11's parse errors translated, config values naming FILE:LINE:COLUMN, the help texts of
// each command, and the silent cases (both validation sources, two configs, repeated grid
// values) made errors.
#include <fstream>

#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

class MessagesTest : public CliTest {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(path(name)) << text;
    return path(name);
  }
  // train on iris with extra flags, nothing written.
  CliResult train_args(std::vector<std::string> extra) {
    std::vector<std::string> args{"train", "--data", data_path("iris.csv"), "--model",
                                  path("m.nnfit")};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
};

// Exactly one line on stderr, starting with "error: ".
void expect_one_error_line(const CliResult& r) {
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(MessagesTest, NegativeSeedNamesTheRangeNotA300DigitNumber) {
  const CliResult r = train_args({"--seed", "-1"});
  expect_one_error_line(r);
  EXPECT_HAS(r.err,
             "error: invalid --seed '-1': not an integer in [0, 18446744073709551615] "
             "(nnfit train); see nnfit train --help");
  EXPECT_LT(r.err.size(), 200u);
}

TEST_F(MessagesTest, SeedAboveTheMaximumIsAnErrorNotAClamp) {
  const CliResult r = train_args({"--seed", "18446744073709551616", "--print-config"});
  expect_one_error_line(r);
  EXPECT_HAS(r.err, "invalid --seed '18446744073709551616'");
  const CliResult max = train_args({"--seed", "18446744073709551615", "--print-config"});
  EXPECT_EQ(max.code, 0) << max.err;
  EXPECT_HAS(max.out, "seed = \"18446744073709551615\"\n");  // a string: TOML has int64
  // Decimal, not octal: 010 is ten.
  EXPECT_HAS(train_args({"--seed", "010", "--print-config"}).out, "seed = 10\n");
}

TEST_F(MessagesTest, ConversionErrorsNameTheOptionAndWhatItTakes) {
  const CliResult lr = train_args({"--lr", "abc"});
  expect_one_error_line(lr);
  EXPECT_HAS(lr.err,
             "error: invalid --lr 'abc': not a number (nnfit train); see nnfit train --help");
  EXPECT_HAS(train_args({"--epochs", "1.5"}).err, "invalid --epochs '1.5': not a whole number");
  EXPECT_HAS(train_args({"--epochs", "99999999999999"}).err,
             "invalid --epochs '99999999999999': out of range");
  const CliResult missing = train_args({"--lr"});
  expect_one_error_line(missing);
  EXPECT_HAS(missing.err, "error: --lr needs a value (nnfit train); give --lr FLOAT");
}

TEST_F(MessagesTest, UnknownFlagSuggestsTheClosestOption) {
  const CliResult r = train_args({"--lrr", "0.1"});
  expect_one_error_line(r);
  EXPECT_HAS(r.err, "error: unknown option --lrr (nnfit train); did you mean --lr?");
  const CliResult far = run_cli({"predict", "--model", "m", "--data", "d", "--zzzzzzzz"});
  expect_one_error_line(far);
  EXPECT_HAS(far.err, "unknown option --zzzzzzzz (nnfit predict); nnfit predict --help lists");
  EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;
  const CliResult merge = run_cli({"gridsearch", "merge", "a", "--reslts", "r.csv"});
  EXPECT_HAS(merge.err,
             "unknown option --reslts (nnfit gridsearch merge); did you mean --results?");
}

TEST_F(MessagesTest, UnknownCommandAndValuesAreNamed) {
  const CliResult cmd = run_cli({"trian", "--data", "x.csv"});
  expect_one_error_line(cmd);
  EXPECT_HAS(cmd.err, "error: unknown command 'trian' (nnfit); did you mean train?");
  const CliResult none = run_cli({});
  expect_one_error_line(none);
  EXPECT_HAS(none.err, "error: no command given (nnfit); give one of train, predict");
  const CliResult extra = run_cli({"inspect", "a.nnfit", "b.nnfit"});
  expect_one_error_line(extra);
  EXPECT_HAS(extra.err, "error: unexpected argument 'b.nnfit' (nnfit inspect)");
  const CliResult task = train_args({"--task", "clasification"});
  expect_one_error_line(task);
  EXPECT_HAS(task.err,
             "error: invalid --task 'clasification': not one of auto, classification, "
             "regression (nnfit train); did you mean classification?");
  const CliResult required = run_cli({"predict", "--model", "m.nnfit"});
  expect_one_error_line(required);
  EXPECT_HAS(required.err, "error: --data is required (nnfit predict); give --data");
}

TEST_F(MessagesTest, ConfigTypeErrorsNameFileLineAndColumn) {
  const std::string toml = write("c.toml", "epochs = 3\nlr = \"abc\"\n");
  const CliResult r = train_args({"--config", toml});
  expect_one_error_line(r);
  EXPECT_HAS(r.err, "error: " + toml + ":2:6: 'lr' = 'abc': not a number; see nnfit train --help");
  const CliResult epochs = train_args({"--config", write("e.toml", "epochs = 1e10\n")});
  EXPECT_HAS(epochs.err, "e.toml:1:10: 'epochs' = '1e10': not a whole number");
}

TEST_F(MessagesTest, ConfigOutOfRangeValuesNameTheFile) {
  const CliResult seed = train_args({"--config", write("s.toml", "\nseed = -1\n")});
  expect_one_error_line(seed);
  EXPECT_HAS(seed.err, "s.toml:2:8: 'seed' = '-1': not an integer in [0, 18446744073709551615]");
  const CliResult big = train_args({"--config", write("b.toml", "epochs = 99999999999\n")});
  EXPECT_HAS(big.err, "b.toml:1:10: 'epochs' = '99999999999': out of range");
  const CliResult task = train_args({"--config", write("t.toml", "task = \"regresion\"\n")});
  EXPECT_HAS(task.err,
             "t.toml:1:8: 'task' = 'regresion': not one of auto, classification, "
             "regression; did you mean regression?");
}

TEST_F(MessagesTest, TinyLearningRateWarns) {
  const CliResult r = train_args({"--lr", "1e-300", "--print-config"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_HAS(r.err, "warning: --lr 1e-300 is so small");
  EXPECT_HAS(r.err, "nothing will be learned");
  EXPECT_EQ(train_args({"--lr", "1e-4", "--print-config"}).err, "");
}

TEST_F(MessagesTest, ValSplitWithValDataIsAnError) {
  const CliResult r = train_args({"--val-data", data_path("iris.test.csv"), "--val-split", "0.3"});
  expect_one_error_line(r);
  EXPECT_HAS(r.err, "--val-split and --val-data are both given");
  EXPECT_FALSE(std::filesystem::exists(path("m.nnfit")));
  // A config holding both (as --print-config writes them) still reads back.
  const CliResult printed =
      train_args({"--val-data", data_path("iris.test.csv"), "--epochs", "2", "--print-config"});
  ASSERT_EQ(printed.code, 0) << printed.err;
  const std::string toml = write("run.toml", printed.out);
  EXPECT_EQ(run_cli({"train", "--config", toml, "--quiet"}).code, 0);
}

TEST_F(MessagesTest, TwoConfigFilesAreAnError) {
  const std::string a = write("a.toml", "epochs = 2\n");
  const std::string b = write("b.toml", "lr = 0.1\n");
  const CliResult r = train_args({"--config", a, "--config", b});
  expect_one_error_line(r);
  EXPECT_HAS(r.err, "--config is given 2 times (" + a + ", " + b + "); give one config file");
  EXPECT_FALSE(std::filesystem::exists(path("m.nnfit")));
}

TEST_F(MessagesTest, RepeatedGridValuesAreAnError) {
  const CliResult r = run_cli({"gridsearch", "--data", data_path("iris.csv"), "--grid",
                               "lr=0.1,0.03,0.10", "--model", path("m.nnfit")});
  expect_one_error_line(r);
  EXPECT_HAS(r.err, "invalid --grid 'lr=0.1,0.03,0.10': '0.10' repeats '0.1'");
  const CliResult hidden = run_cli({"gridsearch", "--data", data_path("iris.csv"), "--grid",
                                    "hidden=8|16,8|8", "--model", path("m.nnfit")});
  EXPECT_HAS(hidden.err, "'8' repeats '8'");
}

TEST_F(MessagesTest, ActivationCountMessage) {
  const CliResult r = train_args({"--hidden", "8", "--activation", "relu,tanh"});
  expect_one_error_line(r);
  EXPECT_HAS(r.err,
             "error: --activation gives 2 activations for 1 hidden layer; give one, or "
             "one per layer");
}

TEST_F(MessagesTest, ReadingCommandsHelpHasNoTrainingExitCodes) {
  for (const char* command : {"predict", "evaluate", "inspect"}) {
    const CliResult r = run_cli({command, "--help"});
    EXPECT_EQ(r.code, 0);
    EXPECT_HAS(r.out, "Exit codes: 0 success");
    EXPECT_EQ(r.out.find("diverged"), std::string::npos) << command << r.out;
    EXPECT_EQ(r.out.find("Ctrl-C"), std::string::npos) << command << r.out;
    EXPECT_EQ(r.out.find("model so far"), std::string::npos) << command << r.out;
  }
  for (const char* command : {"train", "gridsearch"}) {
    EXPECT_HAS(run_cli({command, "--help"}).out, "3 training diverged (no model saved); 130 interrupted");
  }
}

TEST_F(MessagesTest, NoHeaderHelpMentionsTargetOnlyWhereThereIsOne) {
  for (const char* command : {"predict", "evaluate"}) {
    const std::string out = run_cli({command, "--help"}).out;
    EXPECT_HAS(out, "--no-header");
    EXPECT_EQ(out.find("--target"), std::string::npos) << command << out;
  }
  EXPECT_HAS(run_cli({"train", "--help"}).out, "(give --target by index)");
}

TEST_F(MessagesTest, EvaluateMissingTargetDoesNotMentionKeep) {
  ASSERT_EQ(train("m.nnfit", {}).code, 0);
  const std::string noy = write("noy.csv",
                                "sepal length (cm),sepal width (cm),petal length (cm),"
                                "petal width (cm)\n5.0,3.4,1.5,0.2\n");
  const CliResult r = run_cli({"evaluate", "--model", path("m.nnfit"), "--data", noy});
  EXPECT_EQ(r.code, 1);
  EXPECT_HAS(r.err, "column 'species' not found (the model's target");
  EXPECT_EQ(r.err.find("--keep"), std::string::npos) << r.err;
}

TEST_F(MessagesTest, GridsearchMergeHelpHasAnExample) {
  const CliResult r = run_cli({"gridsearch", "merge", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_HAS(r.out, "Examples:\n  nnfit gridsearch");
  EXPECT_HAS(r.out, "--shard 1/2");
  EXPECT_HAS(r.out, "nnfit gridsearch merge s1 s2");
}

TEST_F(MessagesTest, MissingRelativePathFromAConfigSaysWhereItIsReadFrom) {
  std::filesystem::create_directories(path("cfg"));
  std::filesystem::copy_file(data_path("iris.csv"), path("cfg/iris.csv"));
  const std::string toml = write("cfg/run.toml", "epochs = 2\ndata = \"iris.csv\"\n");
  const CliResult r = run_cli({"train", "--config", toml, "--model", path("m.nnfit")});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_HAS(r.err, "error: " + toml +
                        ":2:8: 'data' = 'iris.csv': no such file (relative paths "
                        "in a config file are read from the current folder");
  EXPECT_HAS(r.err, "did you mean '" + path("cfg/iris.csv") + "'?");
  const std::string out = write("out.toml", "model = \"nowhere/m.nnfit\"\n");
  const CliResult o = run_cli({"train", "--data", data_path("iris.csv"), "--config", out});
  EXPECT_EQ(o.code, 1) << o.err;
  EXPECT_HAS(o.err, "out.toml:1:9: 'model' = 'nowhere/m.nnfit': no folder 'nowhere'");
}

}  // namespace
}  // namespace nnfit::cli::testing
