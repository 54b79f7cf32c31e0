// `nnfit plot` and `nnfit train --plot` through the CLI: each flag changes the drawing, the
// plot fits the width, and bad input is a clear error.
#include <fstream>

#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing::plot_test {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Display columns of a UTF-8 line (every character here is one column wide).
std::size_t columns(const std::string& line) {
  std::size_t n = 0;
  for (char c : line) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool has_non_ascii(const std::string& s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

class PlotCliTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(
        train("iris.nnfit", {"--epochs", "30", "--refit-folds", "0", "--history", path("h.csv")})
            .code,
        0);
  }
  CliResult plot(std::vector<std::string> extra) {
    std::vector<std::string> args{"plot", path("h.csv")};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
};

TEST_F(PlotCliTest, DrawsBothCurvesWithinTheWidth) {
  for (const char* width : {"40", "100"}) {
    const CliResult r = plot({"--width", width});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto lines = lines_of(r.out);
    EXPECT_EQ(columns(lines[1]), std::stoul(width));
    for (const std::string& line : lines) EXPECT_LE(columns(line), std::stoul(width)) << line;
    EXPECT_HAS(r.out, "training loss");
    EXPECT_HAS(r.out, "validation loss");
    EXPECT_HAS(r.out, "lowest validation loss: epoch");
  }
}

TEST_F(PlotCliTest, WidthDefaultsToColumnsOfTheEnvironment) {
  setenv("COLUMNS", "57", 1);
  const CliResult r = plot({});
  unsetenv("COLUMNS");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(columns(lines_of(r.out)[1]), 57u);
  const CliResult plain = plot({});  // not a terminal, no COLUMNS: 80
  EXPECT_EQ(columns(lines_of(plain.out)[1]), 80u);
}

TEST_F(PlotCliTest, HeightLogAndAsciiFlags) {
  const CliResult base = plot({"--width", "60"});
  const CliResult tall = plot({"--width", "60", "--height", "20"});
  EXPECT_EQ(lines_of(tall.out).size(), lines_of(base.out).size() + 8);  // default 12 rows
  const CliResult log = plot({"--width", "60", "--log"});
  EXPECT_HAS(log.out, "loss by epoch (log scale)");
  EXPECT_NE(lines_of(log.out)[5], lines_of(base.out)[5]);  // another tick value mid-axis
  EXPECT_TRUE(has_non_ascii(base.out));
  const CliResult ascii = plot({"--width", "60", "--ascii"});
  EXPECT_FALSE(has_non_ascii(ascii.out)) << ascii.out;
  EXPECT_HAS(ascii.out, ". training loss  * validation loss");
}

TEST_F(PlotCliTest, BadInputIsAClearError) {
  const CliResult missing = run_cli({"plot", path("none.csv")});
  EXPECT_EQ(missing.code, 1);
  EXPECT_HAS(missing.err, "none.csv");
  const CliResult model = run_cli({"plot", data_path("iris.csv")});  // not a history
  EXPECT_EQ(model.code, 1);
  EXPECT_HAS(model.err, "no 'epoch' column; expected the CSV that nnfit train --history writes");
  const CliResult narrow = plot({"--width", "10"});
  EXPECT_EQ(narrow.code, 2);
  EXPECT_HAS(narrow.err, "invalid --width 10: a plot needs at least 30 columns");
  std::ofstream(path("empty.csv")) << "epoch,train_loss,val_loss,val_acc,lr,seconds\n";
  const CliResult empty = run_cli({"plot", path("empty.csv")});
  EXPECT_EQ(empty.code, 1);
  EXPECT_HAS(empty.err, "empty.csv: no epochs, only a header");
}

TEST_F(PlotCliTest, TrainPlotFlag) {
  const CliResult always = train("a.nnfit", {"--refit-folds", "0", "--plot", "always"});
  ASSERT_EQ(always.code, 0) << always.err;
  EXPECT_HAS(always.err, "loss by epoch");
  EXPECT_HAS(always.err, "best epoch");
  EXPECT_HAS(always.err, "(saved)");
  // auto: only when stderr is a terminal (here it is a file); never is the default.
  const CliResult automatic = train("b.nnfit", {"--refit-folds", "0", "--plot", "auto"});
  ASSERT_EQ(automatic.code, 0) << automatic.err;
  EXPECT_EQ(automatic.err.find("loss by epoch"), std::string::npos);
  EXPECT_EQ(train("c.nnfit", {}).err.find("loss by epoch"), std::string::npos);
  EXPECT_EQ(train("d.nnfit", {"--plot", "sometimes"}).code, 2);
  // A bare --plot is auto: the next option is not taken as its value.
  const CliResult bare = train("e.nnfit", {"--plot", "--refit-folds", "0"});
  ASSERT_EQ(bare.code, 0) << bare.err;
  EXPECT_EQ(bare.err.find("loss by epoch"), std::string::npos);
  // --print-config repeats a bare --plot, and leaves it out when not given (never).
  const CliResult given = train("f.nnfit", {"--plot", "--print-config"});
  EXPECT_HAS(given.out, "plot = \"\"");
  const CliResult absent = train("g.nnfit", {"--print-config"});
  ASSERT_EQ(absent.code, 0) << absent.err;
  EXPECT_EQ(absent.out.find("plot ="), std::string::npos);
}

}  // namespace
}  // namespace nnfit::cli::testing::plot_test
