// Categorical columns and missing values through the CLI: --categorical, --na-values, --impute,
// and what predict does with the stored preprocessing (penguins has both).
#include <algorithm>
#include <fstream>

#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

class ColumnsTest : public CliTest {
 protected:
  // Trains on penguins.train.csv with extra flags into `model_name`.
  CliResult train_penguins(const std::string& model_name, std::vector<std::string> extra) {
    std::vector<std::string> args{"train", "--data", data_path("penguins.train.csv"),
                                  "--target", "Species", "--epochs", "3",
                                  "--model", path(model_name), "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  CliResult predict(const std::string& model_name, const std::string& data,
                    std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"predict", "--model", path(model_name), "--data", data};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name), std::ios::binary) << text;
  }
  // The header line of penguins.csv.
  static std::string header() {
    const std::string text = read_text(data_path("penguins.csv"));
    return text.substr(0, text.find('\n') + 1);
  }
};

const data::FeatureColumn& column(const model::Model& m, const std::string& name) {
  const auto& cols = m.features.columns;
  const auto it = std::find_if(cols.begin(), cols.end(),
                               [&](const data::FeatureColumn& c) { return c.name == name; });
  if (it == cols.end()) throw std::runtime_error("no column " + name);
  return *it;
}

TEST_F(ColumnsTest, MissingFeatureIsAnErrorSuggestingImpute) {
  const CliResult r = train_penguins("m.nnfit", {});
  EXPECT_EQ(r.code, 1);
  // The first row with empty measurements (line 4 of the training file).
  EXPECT_HAS(r.err, "penguins.train.csv:");
  EXPECT_HAS(r.err, "missing value (empty cell)");
  EXPECT_HAS(r.err, "--impute");
  EXPECT_FALSE(std::filesystem::exists(path("m.nnfit")));
}

TEST_F(ColumnsTest, ImputeFillsWithTheTrainingStatisticAndPredictAppliesIt) {
  ASSERT_EQ(train_penguins("median.nnfit", {"--impute", "median"}).code, 0);
  ASSERT_EQ(train_penguins("mean.nnfit", {"--impute", "mean"}).code, 0);
  const model::Model med = load("median.nnfit"), mean = load("mean.nnfit");
  EXPECT_EQ(med.features.impute, data::Impute::kMedian);
  // Body mass is skewed: its mean and median differ, and the stored fills show which was used.
  const auto& mass_med = column(med, "Body Mass (g)");
  const auto& mass_mean = column(mean, "Body Mass (g)");
  EXPECT_NE(mass_med.fill, mass_mean.fill);
  EXPECT_FLOAT_EQ(static_cast<float>(mass_mean.fill), mass_mean.mean);
  // Categorical columns: one-hot, filled with the most frequent category.
  const auto& island = column(med, "Island");
  EXPECT_TRUE(island.categorical);
  EXPECT_EQ(island.categories, (std::vector<std::string>{"Biscoe", "Dream", "Torgersen"}));
  EXPECT_EQ(med.spec.inputs, 4 + 3 + static_cast<Index>(column(med, "Sex").categories.size()));
  // Predict fills the missing cells of the test file the same way.
  const CliResult p = predict("median.nnfit", data_path("penguins.test.csv"));
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(std::count(p.out.begin(), p.out.end(), '\n'), 1 + 69);
}

TEST_F(ColumnsTest, NaValuesMarksTokensMissing) {
  // penguins has one literal '.' in Sex: a category unless declared missing.
  ASSERT_EQ(train_penguins("dot.nnfit", {"--impute", "mode"}).code, 0);
  ASSERT_EQ(train_penguins("na.nnfit", {"--impute", "mode", "--na-values", "NA,."}).code, 0);
  EXPECT_EQ(column(load("dot.nnfit"), "Sex").categories,
            (std::vector<std::string>{".", "FEMALE", "MALE"}));
  EXPECT_EQ(column(load("na.nnfit"), "Sex").categories,
            (std::vector<std::string>{"FEMALE", "MALE"}));
  EXPECT_EQ(load("na.nnfit").na_values, (std::vector<std::string>{"NA", "."}));
  // Predict uses the model's tokens and its own --na-values.
  write("p.csv", header() + "Adelie,Dream,NA,18,190,3500,.\nAdelie,Dream,?,18,190,3500,MALE\n");
  const CliResult no_flag = predict("na.nnfit", path("p.csv"));
  EXPECT_EQ(no_flag.code, 1);
  EXPECT_HAS(no_flag.err, "p.csv:3: column 'Beak Length (mm)' (3): '?' is not a number");
  const CliResult flag = predict("na.nnfit", path("p.csv"), {"--na-values", "?"});
  ASSERT_EQ(flag.code, 0) << flag.err;
  EXPECT_EQ(std::count(flag.out.begin(), flag.out.end(), '\n'), 3);
}

TEST_F(ColumnsTest, CategoricalForcesNumericCodesToCategories) {
  const auto train_diabetes = [&](const std::string& name, std::vector<std::string> extra) {
    std::vector<std::string> args{"train", "--data", data_path("diabetes.csv"), "--epochs", "2",
                                  "--model", path(name), "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  };
  ASSERT_EQ(train_diabetes("num.nnfit", {}).code, 0);
  ASSERT_EQ(train_diabetes("cat.nnfit", {"--categorical", "sex"}).code, 0);
  EXPECT_FALSE(column(load("num.nnfit"), "sex").categorical);
  EXPECT_EQ(column(load("cat.nnfit"), "sex").categories, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(load("cat.nnfit").spec.inputs, load("num.nnfit").spec.inputs + 1);
  const CliResult unknown = train_diabetes("x.nnfit", {"--categorical", "sexx"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_HAS(unknown.err, "sexx");
}

TEST_F(ColumnsTest, MixedColumnNamesTheMinorityCell) {
  write("mixed.csv", "a,b,y\n1,2,p\n3,4,q\n5,x7,p\n6,8,q\n");
  const CliResult r = run_cli({"train", "--data", path("mixed.csv"), "--model", path("m.nnfit")});
  EXPECT_EQ(r.code, 1);
  EXPECT_HAS(r.err, "mixed.csv:4: column 'b' (2): 'x7' is not a number");
  EXPECT_HAS(r.err, "--categorical");
  EXPECT_FALSE(std::filesystem::exists(path("m.nnfit")));
}

TEST_F(ColumnsTest, PredictWarnsOnceAboutUnseenCategoriesAndMatchesColumnsByName) {
  ASSERT_EQ(train_penguins("m.nnfit", {"--impute", "median"}).code, 0);
  // Columns reordered, the target absent, an island never seen in training (twice).
  write("p.csv",
        "Sex,Body Mass (g),Flipper Length (mm),Beak Depth (mm),Beak Length (mm),Island\n"
        "MALE,3500,190,18,40,Atlantis\nFEMALE,5000,220,15,48,Biscoe\nMALE,3600,191,18,41,Atlantis\n");
  const CliResult r = predict("m.nnfit", path("p.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_HAS(r.err, "p.csv:2: column 'Island' (6): category 'Atlantis' was not seen in training");
  EXPECT_HAS(r.err, "(2 rows with unseen categories)");
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 4);
  // The same rows in the training column order give the same predictions.
  write("q.csv",
        "Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex\n"
        "Atlantis,40,18,190,3500,MALE\nBiscoe,48,15,220,5000,FEMALE\nAtlantis,41,18,191,3600,MALE\n");
  EXPECT_EQ(predict("m.nnfit", path("q.csv")).out, r.out);
}

TEST_F(ColumnsTest, PredictMissingCellWithoutImputeIsAnError) {
  ASSERT_EQ(run_cli({"train", "--data", data_path("iris.csv"), "--epochs", "2", "--model",
                     path("iris.nnfit"), "--quiet"}).code, 0);
  write("p.csv", "sepal length (cm),sepal width (cm),petal length (cm),petal width (cm)\n"
                 "5.1,3.5,1.4,0.2\n5.0,,1.4,0.2\n");
  const CliResult r = predict("iris.nnfit", path("p.csv"), {"--output", path("out.csv")});
  EXPECT_EQ(r.code, 1);
  EXPECT_HAS(r.err, "p.csv:3: column 'sepal width (cm)' (2): missing value");
  EXPECT_FALSE(std::filesystem::exists(path("out.csv")));
}

TEST_F(ColumnsTest, IntegerClassLabelsStayLabelsAndCollidingSpellingsWarn) {
  std::string text = "x,label\n";
  for (int i = 0; i < 12; ++i) text += std::to_string(i) + "," + (i % 2 ? "1" : "0") + "\n";
  text += "12,01\n13,01\n";
  write("labels.csv", text);
  const CliResult r = run_cli({"train", "--data", path("labels.csv"), "--task", "classification",
                               "--epochs", "2", "--model", path("m.nnfit")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(load("m.nnfit").target.classes, (std::vector<std::string>{"0", "01", "1"}));
  EXPECT_HAS(r.err, "'01' (line 14) and '1' (line 3) are different classes although they are "
                    "the same number");
  const CliResult p = predict("m.nnfit", path("labels.csv"));
  ASSERT_EQ(p.code, 0) << p.err;
  // Every prediction is one of the classes, in its training spelling.
  std::istringstream lines(p.out);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "prediction");
  int rows = 0;
  for (; std::getline(lines, line); ++rows) {
    EXPECT_TRUE(line == "0" || line == "1" || line == "01") << line;
  }
  EXPECT_EQ(rows, 14);
}

// Issue 12 item 9: --na-values tokens are trimmed like cells, so 'NA, .' marks '.' missing.
TEST_F(ColumnsTest, NaValuesTokensAreTrimmed) {
  ASSERT_EQ(train_penguins("na.nnfit", {"--impute", "mode", "--na-values", "NA, ."}).code, 0);
  EXPECT_EQ(load("na.nnfit").na_values, (std::vector<std::string>{"NA", "."}));
  EXPECT_EQ(column(load("na.nnfit"), "Sex").categories,
            (std::vector<std::string>{"FEMALE", "MALE"}));
}

// Issue 12 item 7: --ignore '' names no column; it must not be accepted and do nothing.
TEST_F(ColumnsTest, EmptyIgnoreIsAnError) {
  const CliResult r = train_penguins("m.nnfit", {"--ignore", ""});
  EXPECT_EQ(r.code, 2);
  EXPECT_HAS(r.err, "--ignore '' names no column");
  EXPECT_FALSE(std::filesystem::exists(path("m.nnfit")));
}

}  // namespace
}  // namespace nnfit::cli::testing
