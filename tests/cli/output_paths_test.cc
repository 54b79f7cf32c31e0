// An output that is the same file as an input (or as another output) is refused before
// anything is read or written, and an unwritable output before any training.
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

namespace fs = std::filesystem;

class OutputPathsTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    fs::copy_file(data_path("iris.csv"), path("v.csv"));
    original_ = read_text(path("v.csv"));
  }
  // Runs args; expects exit 2 naming both flags, and v.csv untouched.
  void expect_refused(std::vector<std::string> args, const std::string& out_flag,
                      const std::string& in_flag) {
    const CliResult r = run_cli(args);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_HAS(r.err, out_flag + " '");
    EXPECT_HAS(r.err, "is the same file as " + in_flag + " '");
    EXPECT_EQ(read_text(path("v.csv")), original_);
  }
  std::vector<std::string> train_args(std::vector<std::string> extra) const {
    std::vector<std::string> args{"train",   "--data",   path("v.csv"), "--target",
                                  "species", "--epochs", "1",           "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  std::string original_;
};

TEST_F(OutputPathsTest, TrainRefusesToOverwriteItsData) {
  expect_refused(train_args({"--model", path("v.csv")}), "--model", "--data");
  expect_refused(train_args({"--model", path("m.nnfit"), "--history", dir_.string() + "/./v.csv"}),
                 "--history", "--data");
  fs::create_hard_link(path("v.csv"), path("hard.csv"));
  expect_refused(train_args({"--model", path("hard.csv")}), "--model", "--data");
  fs::create_symlink(path("v.csv"), path("link.csv"));
  expect_refused(train_args({"--model", path("link.csv")}), "--model", "--data");
  EXPECT_FALSE(fs::exists(path("m.nnfit")));
}

TEST_F(OutputPathsTest, TrainRefusesValDataConfigAndTwoOutputsInOneFile) {
  fs::copy_file(path("v.csv"), path("w.csv"));
  expect_refused(train_args({"--val-data", path("w.csv"), "--model", path("w.csv")}), "--model",
                 "--val-data");
  std::ofstream(path("c.toml")) << "epochs = 1\n";
  expect_refused(train_args({"--config", path("c.toml"), "--model", path("c.toml")}), "--model",
                 "--config");
  expect_refused(train_args({"--model", path("m.nnfit"), "--history", path("m.nnfit")}),
                 "--history", "--model");
  EXPECT_FALSE(fs::exists(path("m.nnfit")));
}

TEST_F(OutputPathsTest, PredictRefusesToOverwriteItsDataOrModel) {
  ASSERT_EQ(train("m.nnfit", {}).code, 0);
  const std::string model = read_text(path("m.nnfit"));
  expect_refused(
      {"predict", "--model", path("m.nnfit"), "--data", path("v.csv"), "--output", path("v.csv")},
      "--output", "--data");
  expect_refused(
      {"predict", "--model", path("m.nnfit"), "--data", path("v.csv"), "--output", path("m.nnfit")},
      "--output", "--model");
  EXPECT_EQ(read_text(path("m.nnfit")), model);
}

TEST_F(OutputPathsTest, PredictRefusesStdinAndStdoutThatAreItsDataFile) {
  ASSERT_EQ(train("m.nnfit", {}).code, 0);
  // `predict --data - < v.csv --output /dev/stdin` and `predict --data v.csv >> v.csv`: the
  // standard streams are v.csv itself.
  const int saved_in = ::dup(STDIN_FILENO), saved_out = ::dup(STDOUT_FILENO);
  const int fd = ::open(path("v.csv").c_str(), O_RDWR | O_APPEND);
  ASSERT_GE(fd, 0);
  ::dup2(fd, STDIN_FILENO);
  const CliResult in =
      run_cli({"predict", "--model", path("m.nnfit"), "--data", "-", "--output", "/dev/stdin"});
  ::dup2(saved_in, STDIN_FILENO);
  EXPECT_EQ(in.code, 2) << in.err;
  EXPECT_HAS(in.err, "is the same file as --data '-' (standard input), which is read");
  ::dup2(fd, STDOUT_FILENO);
  const std::string model = path("m.nnfit"), data = path("v.csv");
  const char* argv[] = {"nnfit", "predict", "--model", model.c_str(), "--data", data.c_str()};
  const int out = run(6, argv);  // not run_cli: that captures stdout
  ::dup2(saved_out, STDOUT_FILENO);
  for (int f : {fd, saved_in, saved_out}) ::close(f);
  EXPECT_EQ(out, 2);
  EXPECT_EQ(read_text(path("v.csv")), original_);
}

TEST_F(OutputPathsTest, GridsearchRefusesOutputsThatAreInputsOrEachOther) {
  const std::vector<std::string> search{"gridsearch", "--data",   path("v.csv"), "--target",
                                        "species",    "--epochs", "1",           "--grid",
                                        "lr=0.1",     "--quiet"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = search;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  expect_refused(with({"--results", path("v.csv")}), "--results", "--data");
  expect_refused(with({"--model", path("v.csv")}), "--model", "--data");
  fs::create_directories(path("d"));
  std::ofstream(path("d/config.toml")) << "epochs = 1\n";
  expect_refused(with({"--config", path("d/config.toml"), "--out-dir", path("d")}),
                 "--out-dir (config.toml)", "--config");
  expect_refused(with({"--model", path("m.nnfit"), "--out-dir", path("d"), "--results",
                       path("d/results.csv")}),
                 "--out-dir (results.csv)", "--results");
  EXPECT_FALSE(fs::exists(path("d/journal.jsonl")));
}

TEST_F(OutputPathsTest, UnwritableOutputsAreFoundBeforeTraining) {
  for (const char* bad : {"/proc/nnfit-x", "/sys/nnfit-x", "/dev/full"}) {
    const CliResult r =
        run_cli(train_args({"--epochs", "100000", "--patience", "100000", "--model", bad}));
    EXPECT_EQ(r.code, 1) << bad;
    EXPECT_HAS(r.err, std::string("--model: cannot write '") + bad);
  }
  const CliResult r = run_cli(train_args({"--model", path("m.nnfit"), "--history", "/dev/full"}));
  EXPECT_EQ(r.code, 1);
  EXPECT_HAS(r.err, "--history: cannot write '/dev/full'");
  EXPECT_FALSE(fs::exists(path("m.nnfit")));
  // /dev/null and stdout stay usable outputs.
  EXPECT_EQ(run_cli(train_args({"--model", "/dev/null", "--history", "-"})).code, 0);
}

}  // namespace
}  // namespace nnfit::cli::testing
