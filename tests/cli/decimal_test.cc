// `train --decimal ,`: a ';'-separated file with decimal commas trains on numbers, and predict
// reads such files with the model's decimal mark (issue 12 item 6).
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "cli_test_util.h"

namespace nnfit::cli::testing {
namespace {

class DecimalCliTest : public CliTest {
 protected:
  // iris.csv with ';' between fields, and ',' as the decimal mark if comma.
  std::string iris_copy(const std::string& name, bool comma) const {
    std::ifstream in(data_path("iris.csv"));
    std::ofstream out(path(name));
    std::string line;
    while (std::getline(in, line)) {
      for (char& c : line) c = c == ',' ? ';' : c == '.' && comma ? ',' : c;
      out << line << "\n";
    }
    return path(name);
  }
  CliResult train_on(const std::string& data, const std::string& model,
                     std::vector<std::string> extra) {
    std::vector<std::string> args{"train",     "--data",   data, "--target",
                                  "species",   "--epochs", "20", "--model",
                                  path(model), "--seed",   "1",  "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
};

TEST_F(DecimalCliTest, CommaDecimalsPredictLikeTheDotVersion) {
  const std::string comma = iris_copy("comma.csv", true);
  const std::string dot = iris_copy("dot.csv", false);
  ASSERT_EQ(train_on(comma, "c.nnfit", {"--decimal", ","}).code, 0);
  ASSERT_EQ(train_on(dot, "d.nnfit", {}).code, 0);
  const CliResult pc = run_cli({"predict", "--model", path("c.nnfit"), "--data", comma});
  const CliResult pd = run_cli({"predict", "--model", path("d.nnfit"), "--data", dot});
  ASSERT_EQ(pc.code, 0) << pc.err;
  ASSERT_EQ(pd.code, 0) << pd.err;
  EXPECT_EQ(pc.out, pd.out);
  EXPECT_FALSE(pc.out.empty());
  // Without --decimal the file is an error, not four one-hot columns.
  const CliResult plain = train_on(comma, "p.nnfit", {});
  EXPECT_EQ(plain.code, 1);
  EXPECT_NE(plain.err.find("--decimal ,"), std::string::npos) << plain.err;
}

TEST_F(DecimalCliTest, CommaDelimiterIsAnError) {
  const std::string comma = iris_copy("comma.csv", true);
  const CliResult r = train_on(comma, "c.nnfit", {"--decimal", ",", "--delimiter", ","});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--delimiter ';'"), std::string::npos) << r.err;
  const CliResult bad = train_on(comma, "c.nnfit", {"--decimal", "x"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("invalid --decimal 'x'"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace nnfit::cli::testing
