// Config files (TOML through toml++): escapes, arrays, sections, duplicate keys, syntax errors
// with their line, and --print-config reading back to the same run.
#include <fstream>

#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

class ConfigFileTest : public CliTest {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(path(name)) << text;
    return path(name);
  }
};

TEST_F(ConfigFileTest, EscapedStringsRoundTripThroughPrintConfig) {
  // A data file and a model name with a quote, a backslash and a tab in them.
  const std::string data = path("we\"ird\\x.csv");
  std::filesystem::copy_file(data_path("iris.csv"), data);
  const std::string model = path("a\tb.nnfit");
  const CliResult printed = run_cli({"train", "--data", data, "--target", "species", "--epochs",
                                     "3", "--min-delta", "1e-4", "--model", model,
                                     "--print-config"});
  ASSERT_EQ(printed.code, 0) << printed.err;
  EXPECT_HAS(printed.out, "model = \"" + path("a\\tb.nnfit") + "\"");
  EXPECT_HAS(printed.out, "min-delta = 1e-4");
  const std::string toml = write("run.toml", printed.out);
  const CliResult back = run_cli({"train", "--config", toml, "--print-config"});
  ASSERT_EQ(back.code, 0) << back.err;
  EXPECT_EQ(back.out, printed.out);  // the same text, number spellings included
  ASSERT_EQ(run_cli({"train", "--config", toml, "--quiet"}).code, 0);
  EXPECT_TRUE(std::filesystem::exists(model));
}

TEST_F(ConfigFileTest, ArraysSectionsAndUnicodeEscapes) {
  const std::string toml = write("a.toml", "# comment\n[train]\nhidden = [12, 5]\n"
                                           "target = \"sp\\u0065cies\"\nepochs = 2\n");
  ASSERT_EQ(train("a.nnfit", {"--config", toml}).code, 0);
  const model::Model m = load("a.nnfit");
  EXPECT_EQ(m.options.hidden, (std::vector<Index>{12, 5}));
  EXPECT_EQ(m.target_name, "species");
  const std::string grid = write("g.toml", "grid = [\"lr=0.1,0.05\", \"hidden=4|8,4\"]\n");
  const CliResult g = run_cli({"gridsearch", "--data", data_path("iris.csv"), "--config", grid,
                               "--epochs", "3", "--model", path("g.nnfit"), "--quiet"});
  ASSERT_EQ(g.code, 0) << g.err;
  EXPECT_EQ(std::count(g.out.begin(), g.out.end(), '\n'), 6);  // header + 2 x 2 + the baseline
}

TEST_F(ConfigFileTest, BadFilesAreUsageErrorsNamingTheLine) {
  const CliResult dup = train("x.nnfit", {"--config", write("d.toml", "lr = 0.1\nlr = 0.2\n")});
  EXPECT_EQ(dup.code, 2);
  EXPECT_HAS(dup.err, "d.toml:2:");
  const CliResult twice =
      train("x.nnfit", {"--config", write("t.toml", "lr = 0.1\n[train]\nlr = 0.2\n")});
  EXPECT_EQ(twice.code, 2);
  EXPECT_HAS(twice.err, "t.toml:3:1: 'lr' is set twice");
  const CliResult syntax = train("x.nnfit", {"--config", write("s.toml", "epochs = 3\nlr = \n")});
  EXPECT_EQ(syntax.code, 2);
  EXPECT_HAS(syntax.err, "s.toml:2:");
  const CliResult section =
      train("x.nnfit", {"--config", write("p.toml", "[predict]\nproba = true\n")});
  EXPECT_EQ(section.code, 2);
  EXPECT_HAS(section.err, "section [predict] is not for nnfit train");
  const CliResult unknown = train("x.nnfit", {"--config", write("u.toml", "\n\nlearning-rate = 1\n")});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_HAS(unknown.err, "u.toml:3:1: 'learning-rate' is not an option of nnfit train");
  EXPECT_EQ(train("x.nnfit", {"--config", path("missing.toml")}).code, 2);
  EXPECT_FALSE(std::filesystem::exists(path("x.nnfit")));
}

}  // namespace
}  // namespace nnfit::cli::testing
