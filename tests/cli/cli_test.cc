// Exit codes, error messages, and train -> predict through the in-process CLI.
#include <algorithm>

#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

using CliRunTest = CliTest;

TEST_F(CliRunTest, HelpAndVersionExitZero) {
  const CliResult help = run_cli({"train", "--help"});
  EXPECT_EQ(help.code, 0);
  for (const char* flag : {"--data", "--target", "--val-data", "--val-split", "--task", "--hidden",
                           "--activation", "--optimizer", "--lr", "--momentum", "--batch-size",
                           "--epochs", "--l1", "--l2", "--patience", "--min-delta", "--seed",
                           "--threads", "--model", "--history", "--json", "--quiet", "--log-level",
                           "--config", "--delimiter", "--no-header", "--ignore", "--categorical",
                           "--max-categories", "--na-values", "--impute", "--print-config"}) {
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag;
  }
  // Defaults are shown, and examples and exit codes close every help text.
  EXPECT_NE(help.out.find("--lr FLOAT=default"), std::string::npos) << help.out;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"train", "--help"}, {"predict", "--help"}}) {
    const std::string out = run_cli(args).out;
    EXPECT_NE(out.find("Examples:\n  nnfit "), std::string::npos) << out;
    EXPECT_NE(out.find("Exit codes: 0 success"), std::string::npos) << out;
  }
  EXPECT_EQ(run_cli({"--version"}).code, 0);
}

TEST_F(CliRunTest, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cli({}).code, 2);
  EXPECT_EQ(run_cli({"fly"}).code, 2);
  EXPECT_EQ(run_cli({"train", "--data", data_path("iris.csv"), "--no-such-flag"}).code, 2);
  EXPECT_EQ(run_cli({"train"}).code, 2);  // --data is required
  const CliResult lr = run_cli({"train", "--data", data_path("iris.csv"), "--lr", "-1",
                                "--model", path("m.nnfit")});
  EXPECT_EQ(lr.code, 2);
  EXPECT_NE(lr.err.find("--lr"), std::string::npos) << lr.err;
  EXPECT_EQ(run_cli({"train", "--data", data_path("iris.csv"), "--hidden", "8,x"}).code, 2);
  EXPECT_EQ(run_cli({"train", "--data", data_path("iris.csv"), "--task", "ranking"}).code, 2);
  EXPECT_FALSE(std::filesystem::exists(path("m.nnfit")));
}

TEST_F(CliRunTest, DataErrorsExitOneNamingTheCellAndWriteNothing) {
  std::ofstream(path("bad.csv")) << "a,b,y\n1,2,x\n3,oops,y\n5,6,x\n7,8,y\n";
  std::ofstream(path("m.nnfit")) << "previous model";
  const CliResult r = run_cli({"train", "--data", path("bad.csv"), "--model", path("m.nnfit")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("bad.csv:3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'b'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("oops"), std::string::npos) << r.err;
  EXPECT_EQ(read_text(path("m.nnfit")), "previous model");
  EXPECT_EQ(run_cli({"train", "--data", path("missing.csv"), "--model", path("n.nnfit")}).code, 1);
  EXPECT_FALSE(std::filesystem::exists(path("n.nnfit")));
}

TEST_F(CliRunTest, UnwritableOutputsFailBeforeTraining) {
  // A missing folder for --model or --history: exit 1 at once, before any epoch, nothing written.
  const CliResult model = train("nowhere/m.nnfit", {"--epochs", "100000", "--patience", "100000"});
  EXPECT_EQ(model.code, 1);
  EXPECT_HAS(model.err, "nowhere/m.nnfit");
  const CliResult history = train("m.nnfit", {"--history", path("nowhere/h.csv"), "--epochs",
                                              "100000", "--patience", "100000"});
  EXPECT_EQ(history.code, 1);
  EXPECT_HAS(history.err, "nowhere/h.csv");
  EXPECT_FALSE(std::filesystem::exists(path("m.nnfit")));
  const CliResult search = run_cli({"gridsearch", "--data", data_path("iris.csv"), "--grid",
                                    "lr=0.1,0.01", "--model", path("nowhere/b.nnfit")});
  EXPECT_EQ(search.code, 1);
  EXPECT_EQ(search.err.find("trial"), std::string::npos) << "no trial should run: " << search.err;
}

// The network's size is logged at the start; one that cannot fit in memory is refused with the
// numbers (exit 2) at once, instead of std::bad_alloc or minutes of swapping.
TEST_F(CliRunTest, NetworkSizeIsLoggedAndAHugeNetworkRefused) {
  const CliResult ok = run_cli({"train", "--data", data_path("iris.csv"), "--target", "species",
                                "--epochs", "1", "--model", path("m.nnfit")});
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_HAS(ok.err, "info: network 4-64-3, 515 parameters, about ");
  for (const char* hidden : {"3000000000", "50000,50000"}) {
    const CliResult r = run_cli({"train", "--data", data_path("iris.csv"), "--target", "species",
                                 "--hidden", hidden, "--model", path("big.nnfit")});
    EXPECT_EQ(r.code, 2) << hidden;
    EXPECT_HAS(r.err, "parameters and needs about ");
    EXPECT_HAS(r.err, "of memory is available; reduce --hidden (or --batch-size)");
    EXPECT_FALSE(std::filesystem::exists(path("big.nnfit")));
  }
}

TEST_F(CliRunTest, PrintConfigAndSeedRejectInvalidValues) {
  EXPECT_EQ(train("m.nnfit", {"--epochs", "-3", "--print-config"}).code, 2);
  EXPECT_EQ(train("m.nnfit", {"--hidden", "0,x", "--print-config"}).code, 2);
  EXPECT_EQ(train("m.nnfit", {"--seed", "-1"}).code, 2);
  EXPECT_EQ(train("m.nnfit", {"--max-categories", "-1"}).code, 2);
  EXPECT_FALSE(std::filesystem::exists(path("m.nnfit")));
}

TEST_F(CliRunTest, DivergedTrainingExitsThree) {
  const CliResult r = run_cli({"train", "--data", data_path("diabetes.csv"), "--lr", "1e6",
                               "--epochs", "20", "--model", path("m.nnfit")});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("diverged"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(path("m.nnfit")));
}

TEST_F(CliRunTest, PredictWritesOneLabelPerRowInOrder) {
  ASSERT_EQ(run_cli({"train", "--data", data_path("iris.train.csv"), "--target", "species",
                     "--model", path("m.nnfit"), "--quiet"}).code, 0);
  const CliResult r = run_cli({"predict", "--model", path("m.nnfit"), "--data",
                               data_path("iris.test.csv")});
  ASSERT_EQ(r.code, 0) << r.err;
  const data::Dataset test = data::read_dataset(data_path("iris.test.csv"), "species");
  std::istringstream lines(r.out);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "prediction");
  std::size_t n = 0, hits = 0;
  while (std::getline(lines, line)) hits += line == test.target[n++];
  EXPECT_EQ(n, test.target.size());
  EXPECT_GE(static_cast<double>(hits) / static_cast<double>(n), 0.9);

  ASSERT_EQ(run_cli({"predict", "--model", path("m.nnfit"), "--data", data_path("iris.test.csv"),
                     "--output", path("p.csv")}).code, 0);
  EXPECT_EQ(read_text(path("p.csv")), r.out);
}

TEST_F(CliRunTest, PredictReadsHeaderlessAndOtherDelimiters) {
  std::string text = read_text(data_path("iris.csv"));
  text = text.substr(text.find('\n') + 1);
  std::ofstream(path("train.csv")) << text;
  std::replace(text.begin(), text.end(), ',', '|');
  std::ofstream(path("test.txt")) << text;
  ASSERT_EQ(run_cli({"train", "--data", path("train.csv"), "--no-header", "--target", "4",
                     "--model", path("m.nnfit"), "--quiet"}).code, 0);
  const CliResult r = run_cli({"predict", "--model", path("m.nnfit"), "--data", path("test.txt"),
                               "--no-header", "--delimiter", "|"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 151);
  EXPECT_EQ(run_cli({"predict", "--model", path("m.nnfit"), "--data", path("test.txt"),
                     "--no-header", "--delimiter", ","}).code, 1);  // one column, not four
}

TEST_F(CliRunTest, PredictRegressionIsInTargetUnits) {
  ASSERT_EQ(run_cli({"train", "--data", data_path("diabetes.train.csv"), "--model",
                     path("m.nnfit"), "--quiet"}).code, 0);
  const CliResult r = run_cli({"predict", "--model", path("m.nnfit"), "--data",
                               data_path("diabetes.test.csv")});
  ASSERT_EQ(r.code, 0);
  std::istringstream lines(r.out);
  std::string line;
  std::getline(lines, line);
  double sum = 0;
  int n = 0;
  while (std::getline(lines, line)) {
    sum += std::stod(line);
    ++n;
  }
  EXPECT_EQ(n, 89);
  EXPECT_GT(sum / n, 100.0);  // the target is 25..346: predictions were mapped back
  EXPECT_LT(sum / n, 200.0);
}

TEST_F(CliRunTest, PredictWithMissingColumnOrBadModelExitsOne) {
  ASSERT_EQ(run_cli({"train", "--data", data_path("iris.csv"), "--model", path("m.nnfit"),
                     "--epochs", "2", "--quiet"}).code, 0);
  const CliResult r = run_cli({"predict", "--model", path("m.nnfit"), "--data",
                               data_path("diabetes.csv"), "--output", path("p.csv")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("sepal length (cm)"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(path("p.csv")));
  std::ofstream(path("junk.nnfit")) << "{ not a model";
  EXPECT_EQ(run_cli({"predict", "--model", path("junk.nnfit"), "--data", data_path("iris.csv")}).code, 1);
}

}  // namespace
}  // namespace nnfit::cli::testing
