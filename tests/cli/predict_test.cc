// `nnfit predict` output: --keep columns, --proba columns, quoting, streaming over chunks.
#include <cmath>
#include <fstream>

#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS
#include "data/dataset.h"

namespace nnfit::cli::testing {
namespace {

class PredictTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(train("iris.nnfit", {"--epochs", "20"}).code, 0);
  }
  // The output CSV read back with nnfit's own reader (RFC 4180), all columns as features.
  data::Dataset read_output(const std::string& text, const std::vector<std::string>& columns,
                            const std::vector<std::string>& text_columns) {
    std::istringstream in(text);
    data::CsvOptions o;
    o.categorical = text_columns;
    return data::read_features("out.csv", in, columns, o);
  }
};

TEST_F(PredictTest, ProbaAddsOneColumnPerClassSummingToOne) {
  const CliResult r = run_cli({"predict", "--model", path("iris.nnfit"), "--data",
                               data_path("iris.test.csv"), "--proba"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "prediction,p_setosa,p_versicolor,p_virginica");
  const data::Dataset d = read_output(r.out, {"prediction", "p_setosa", "p_versicolor", "p_virginica"},
                                      {"prediction"});
  ASSERT_EQ(d.x.cols(), 30);
  for (Index j = 0; j < d.x.cols(); ++j) {
    EXPECT_NEAR(d.x(1, j) + d.x(2, j) + d.x(3, j), 1.0, 1e-5) << j;
    // The prediction is the most probable class.
    Index best = 0;
    d.x.col(j).tail(3).maxCoeff(&best);
    EXPECT_EQ(d.categories[0][static_cast<std::size_t>(d.x(0, j))],
              std::vector<std::string>({"setosa", "versicolor", "virginica"})[static_cast<std::size_t>(best)]);
  }
  // Without --proba: only the prediction, the same labels.
  const CliResult plain = run_cli({"predict", "--model", path("iris.nnfit"), "--data",
                                   data_path("iris.test.csv")});
  EXPECT_EQ(plain.out.substr(0, plain.out.find('\n') + 1), "prediction\n");
  EXPECT_EQ(std::count(plain.out.begin(), plain.out.end(), '\n'), 31);
}

TEST_F(PredictTest, ProbaForTwoClassesAndRegressionIsAUsageError) {
  std::string text = "a,b,y\n";
  for (int i = 0; i < 40; ++i) text += std::to_string(i) + "," + std::to_string(i % 7) + "," + (i < 20 ? "no" : "yes") + "\n";
  std::ofstream(path("two.csv")) << text;
  ASSERT_EQ(run_cli({"train", "--data", path("two.csv"), "--epochs", "5", "--model", path("two.nnfit"), "--quiet"}).code, 0);
  const CliResult r = run_cli({"predict", "--model", path("two.nnfit"), "--data", path("two.csv"), "--proba"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "prediction,p_no,p_yes");
  const data::Dataset d = read_output(r.out, {"p_no", "p_yes"}, {});
  for (Index j = 0; j < d.x.cols(); ++j) EXPECT_NEAR(d.x(0, j) + d.x(1, j), 1.0, 1e-6);
  ASSERT_EQ(run_cli({"train", "--data", data_path("diabetes.csv"), "--epochs", "2", "--model", path("reg.nnfit"), "--quiet"}).code, 0);
  const CliResult reg = run_cli({"predict", "--model", path("reg.nnfit"), "--data",
                                 data_path("diabetes.test.csv"), "--proba", "--output", path("o.csv")});
  EXPECT_EQ(reg.code, 2);
  EXPECT_HAS(reg.err, "--proba needs a classifier");
  EXPECT_FALSE(std::filesystem::exists(path("o.csv")));
}

TEST_F(PredictTest, KeepPassesColumnsThroughAndQuotesThem) {
  std::ofstream(path("p.csv"), std::ios::binary)
      << "id,note,sepal length (cm),sepal width (cm),petal length (cm),petal width (cm)\n"
         "\"a,\"\"1\"\"\",\"two\nlines\",5.1,3.5,1.4,0.2\n"
         "b,plain,6.5,3,5.5,1.8\n";
  const CliResult r = run_cli({"predict", "--model", path("iris.nnfit"), "--data", path("p.csv"),
                               "--keep", "id,note"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;  // kept columns are not "ignored"
  const data::Dataset d = read_output(r.out, {"id", "note", "prediction"}, {"id", "note", "prediction"});
  ASSERT_EQ(d.x.cols(), 2);
  EXPECT_EQ(d.categories[0][static_cast<std::size_t>(d.x(0, 0))], "a,\"1\"");
  EXPECT_EQ(d.categories[1][static_cast<std::size_t>(d.x(1, 0))], "two\nlines");
  EXPECT_EQ(d.categories[0][static_cast<std::size_t>(d.x(0, 1))], "b");
  const CliResult bad = run_cli({"predict", "--model", path("iris.nnfit"), "--data", path("p.csv"),
                                 "--keep", "nope"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_HAS(bad.err, "column 'nope' not found (asked for by --keep");
  // --keep may repeat: the same as one comma-separated list.
  const CliResult twice = run_cli({"predict", "--model", path("iris.nnfit"), "--data",
                                   path("p.csv"), "--keep", "id", "--keep", "note"});
  ASSERT_EQ(twice.code, 0) << twice.err;
  EXPECT_EQ(twice.out, r.out);
}

TEST_F(PredictTest, LargeInputIsStreamedWithOneWarningPerColumn) {
  // 10000 rows (three chunks) from stdin-like file input, with a column the model does not use.
  std::string text = "extra,sepal length (cm),sepal width (cm),petal length (cm),petal width (cm)\n";
  for (int i = 0; i < 10000; ++i) text += "e,5.1,3.5,1.4,0.2\n";
  std::ofstream(path("big.csv")) << text;
  const CliResult r = run_cli({"predict", "--model", path("iris.nnfit"), "--data", path("big.csv"),
                               "--output", path("out.csv")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;  // the extra column, once
  const std::string out = read_text(path("out.csv"));
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 10001);
}

TEST_F(PredictTest, HeaderOnlyInputGivesTheHeaderAndAnErrorGivesNothing) {
  const std::string header = "sepal length (cm),sepal width (cm),petal length (cm),petal width (cm)\n";
  std::ofstream(path("empty.csv")) << header;
  const CliResult empty = run_cli({"predict", "--model", path("iris.nnfit"), "--data",
                                   path("empty.csv"), "--proba"});
  ASSERT_EQ(empty.code, 0) << empty.err;
  EXPECT_EQ(empty.out, "prediction,p_setosa,p_versicolor,p_virginica\n");
  EXPECT_HAS(empty.err, "no data rows after the header; wrote the header only");
  // A bad cell in the first chunk: nothing on stdout, not even the header.
  std::ofstream(path("bad.csv")) << header << "1,x,2,3\n";
  const CliResult bad = run_cli({"predict", "--model", path("iris.nnfit"), "--data", path("bad.csv")});
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(bad.out, "");
  EXPECT_HAS(bad.err, "or train with --categorical 'sepal width (cm)'");
}

TEST_F(PredictTest, OutputThroughASymlinkKeepsTheLinkAndThePermissions) {
  std::ofstream(path("real.csv")) << "old\n";
  std::filesystem::permissions(path("real.csv"), std::filesystem::perms::owner_read |
                                                     std::filesystem::perms::owner_write);
  std::filesystem::create_symlink(path("real.csv"), path("link.csv"));
  ASSERT_EQ(run_cli({"predict", "--model", path("iris.nnfit"), "--data", data_path("iris.test.csv"),
                     "--output", path("link.csv")}).code, 0);
  EXPECT_TRUE(std::filesystem::is_symlink(path("link.csv")));
  EXPECT_EQ(read_text(path("real.csv")).substr(0, 11), "prediction\n");
  EXPECT_EQ(std::filesystem::status(path("real.csv")).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

}  // namespace
}  // namespace nnfit::cli::testing
