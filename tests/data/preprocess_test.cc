// Tests for the Preprocessor: imputation, standardisation and one-hot encoding fitted on the
// training rows (fit_preprocessor) and applied to another file (Preprocessor::transform).
// Expected statistics are computed here independently of the code under test.
#include "data/preprocess.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "data/dataset.h"
#include "testing/feature_columns.h"

namespace nnfit::data {
namespace {

using test::categorical_column;
using test::kNoFill;
using test::numeric_column;

constexpr float kNA = std::numeric_limits<float>::quiet_NaN();

#define EXPECT_HAS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

// Builds a Dataset column by column, as the reader would: feature f is file column f (0-based,
// so messages show it as f + 1) and sample j is on file line j + 2 (after the header).
class DatasetBuilder {
 public:
  explicit DatasetBuilder(std::string source = "train.csv") { d_.source = std::move(source); }

  DatasetBuilder& numeric(const std::string& name, std::vector<float> values) {
    add(name, false, {}, std::move(values));
    return *this;
  }

  // cells: one category name per row, "" for a missing cell. categories: the reader's list
  // (the cells index into it); by default the distinct cells in byte order, as the reader does.
  DatasetBuilder& categorical(const std::string& name, const std::vector<std::string>& cells,
                              std::vector<std::string> categories = {}) {
    if (categories.empty()) {
      for (const std::string& c : cells) {
        if (!c.empty()) categories.push_back(c);
      }
      std::sort(categories.begin(), categories.end());
      categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
    }
    std::vector<float> index;
    for (const std::string& c : cells) {
      const auto it = std::find(categories.begin(), categories.end(), c);
      index.push_back(c.empty() ? kNA : static_cast<float>(it - categories.begin()));
    }
    add(name, true, std::move(categories), std::move(index));
    return *this;
  }

  // Raw category indexes (for invalid datasets).
  DatasetBuilder& categorical_raw(const std::string& name, std::vector<std::string> categories,
                                  std::vector<float> index) {
    add(name, true, std::move(categories), std::move(index));
    return *this;
  }

  Dataset build() const {
    Dataset d = d_;
    const std::size_t n = columns_.empty() ? 0 : columns_[0].size();
    d.x.resize(static_cast<Index>(columns_.size()), static_cast<Index>(n));
    for (std::size_t f = 0; f < columns_.size(); ++f) {
      EXPECT_EQ(columns_[f].size(), n) << "column " << d.feature_names[f];
      for (std::size_t j = 0; j < n; ++j) {
        d.x(static_cast<Index>(f), static_cast<Index>(j)) = columns_[f][j];
      }
    }
    for (std::size_t j = 0; j < n; ++j) d.lines.push_back(static_cast<unsigned>(j + 2));
    for (std::size_t j = 0; j < n; ++j) d.target.push_back("0");
    return d;
  }

 private:
  void add(const std::string& name, bool categorical, std::vector<std::string> categories,
           std::vector<float> values) {
    d_.feature_columns.push_back(d_.feature_names.size());
    d_.feature_names.push_back(name);
    d_.categorical.push_back(categorical);
    d_.categories.push_back(std::move(categories));
    columns_.push_back(std::move(values));
  }

  Dataset d_;
  std::vector<std::vector<float>> columns_;
};

// A warning sink appending to *out.
WarningSink collect(std::vector<std::string>* out) {
  return [out](const std::string& message) { out->push_back(message); };
}

// The DataError message of f(), or "" (and a test failure) if it throws none.
std::string data_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const DataError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no DataError";
  return "";
}

std::string fit_error(const Dataset& d, Impute impute) {
  return data_error([&] { fit_preprocessor(d, impute, {}); });
}

std::string transform_error(const Preprocessor& p, const Dataset& d) {
  return data_error([&] { p.transform(d, {}); });
}

// The fitted column of a training set with the single numeric column `values`.
FeatureColumn fit_numeric(const std::vector<float>& values, Impute impute) {
  const Preprocessor p =
      fit_preprocessor(DatasetBuilder().numeric("x", values).build(), impute, {});
  EXPECT_EQ(p.columns.size(), 1u);
  return p.columns.at(0);
}

FeatureColumn fit_categorical(const std::vector<std::string>& cells, Impute impute,
                              const std::vector<std::string>& categories = {}) {
  const Preprocessor p =
      fit_preprocessor(DatasetBuilder().categorical("c", cells, categories).build(), impute, {});
  EXPECT_EQ(p.columns.size(), 1u);
  return p.columns.at(0);
}

// The category a categorical column's fill stands for.
std::string fill_category(const FeatureColumn& c) {
  EXPECT_TRUE(c.fill >= 0 && c.fill < static_cast<double>(c.categories.size())) << c.fill;
  return c.categories.at(static_cast<std::size_t>(c.fill));
}

// Independent reference statistics.
std::vector<double> present(const std::vector<float>& values) {
  std::vector<double> out;
  for (float v : values) {
    if (!std::isnan(v)) out.push_back(v);
  }
  return out;
}

double reference_mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

double reference_median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double population_std(const std::vector<double>& v) {
  const double m = reference_mean(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size()));
}

std::vector<double> imputed(const std::vector<float>& values, double fill) {
  std::vector<double> out;
  for (float v : values) out.push_back(std::isnan(v) ? fill : static_cast<double>(v));
  return out;
}

// The double a fill must be: the nearest float.
double as_float(double v) { return static_cast<double>(static_cast<float>(v)); }

// Checks `actual` against `rows` (one initializer per output row), to float precision.
void expect_matrix(const Matrix& actual, const std::vector<std::vector<float>>& rows) {
  ASSERT_EQ(actual.rows(), static_cast<Index>(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    ASSERT_EQ(actual.cols(), static_cast<Index>(rows[r].size()));
    for (std::size_t j = 0; j < rows[r].size(); ++j) {
      EXPECT_FLOAT_EQ(actual(static_cast<Index>(r), static_cast<Index>(j)), rows[r][j])
          << "row " << r << ", sample " << j;
    }
  }
}

// Bit-for-bit equality (NaN-free matrices).
void expect_identical(const Matrix& a, const Matrix& b) {
  ASSERT_EQ(a.rows(), b.rows());
  ASSERT_EQ(a.cols(), b.cols());
  for (Index r = 0; r < a.rows(); ++r) {
    for (Index j = 0; j < a.cols(); ++j) {
      EXPECT_EQ(a(r, j), b(r, j)) << "row " << r << ", sample " << j;
      EXPECT_EQ(std::signbit(a(r, j)), std::signbit(b(r, j))) << "row " << r << ", sample " << j;
    }
  }
}

// A hand-made model: a (mean 1, scale 2, fill 3), color (blue, green, red; fill red),
// b (mean -1, scale 0.5, no fill). Output rows: a, blue, green, red, b.
Preprocessor three_columns() {
  Preprocessor p;
  p.impute = Impute::kMean;
  p.columns = {numeric_column("a", 1, 2, 3),
               categorical_column("color", {"blue", "green", "red"}, 2),
               numeric_column("b", -1, 0.5f)};
  return p;
}

// ---------------------------------------------------------------------------------------------
// Impute names.

TEST(ImputeTest, NamesAndParseAreInverse) {
  const std::vector<std::pair<Impute, std::string>> all = {{Impute::kNone, "none"},
                                                           {Impute::kMean, "mean"},
                                                           {Impute::kMedian, "median"},
                                                           {Impute::kMode, "mode"}};
  for (const auto& [impute, name] : all) {
    EXPECT_EQ(impute_name(impute), name);
    EXPECT_EQ(parse_impute(name), impute) << name;
  }
}

TEST(ImputeTest, ParseRejectsAnythingElseListingTheChoices) {
  for (const std::string bad : {"", "Mean", "average", " mean", "most_frequent"}) {
    try {
      parse_impute(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const ConfigError& e) {
      EXPECT_HAS(e.what(), "'" + bad + "'");
      EXPECT_HAS(e.what(), "none, mean, median or mode");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// FeatureColumn and Preprocessor accessors.

TEST(PreprocessorTest, WidthsOutputSizeAndNames) {
  Preprocessor p = three_columns();
  p.columns.push_back(categorical_column("size", {"L", "S"}));
  EXPECT_EQ(p.columns[0].width(), 1);
  EXPECT_EQ(p.columns[1].width(), 3);
  EXPECT_EQ(p.columns[3].width(), 2);
  EXPECT_EQ(p.output_size(), 1 + 3 + 1 + 2);
  EXPECT_EQ(p.names(), (std::vector<std::string>{"a", "color", "b", "size"}));
  EXPECT_EQ(p.categorical_names(), (std::vector<std::string>{"color", "size"}));
  EXPECT_EQ(Preprocessor{}.output_size(), 0);
  EXPECT_TRUE(Preprocessor{}.names().empty());
  EXPECT_TRUE(three_columns().categorical_names() == std::vector<std::string>{"color"});
}

// ---------------------------------------------------------------------------------------------
// Numeric fills.

TEST(PreprocessFitNumericTest, MeanFillIsTheMeanOfTheValuesPresent) {
  const std::vector<float> values = {0.1f, kNA, 0.7f, 1.3f, kNA};
  const FeatureColumn c = fit_numeric(values, Impute::kMean);
  EXPECT_EQ(c.fill, as_float(reference_mean(present(values))));
  EXPECT_EQ(fit_numeric({2, kNA, 4, kNA, kNA, kNA}, Impute::kMean).fill, 3.0);
}

TEST(PreprocessFitNumericTest, MedianOfAnOddCountIsTheMiddleValue) {
  EXPECT_EQ(fit_numeric({5, kNA, 1, 3, 9, -2}, Impute::kMedian).fill, 3.0);
  EXPECT_EQ(fit_numeric({kNA, 7}, Impute::kMedian).fill, 7.0);
}

TEST(PreprocessFitNumericTest, MedianOfAnEvenCountIsTheMeanOfTheMiddleTwo) {
  EXPECT_EQ(fit_numeric({4, 1, kNA, 10, 3}, Impute::kMedian).fill, 3.5);
  EXPECT_EQ(fit_numeric({0.1f, 0.2f}, Impute::kMedian).fill,
            as_float((static_cast<double>(0.1f) + static_cast<double>(0.2f)) / 2));
}

TEST(PreprocessFitNumericTest, MedianOfManyUnorderedValues) {
  for (const std::size_t n : {100u, 101u}) {
    std::vector<float> values;
    for (std::size_t i = 0; i < n; ++i) {
      values.push_back(static_cast<float>((i * 37) % 101) * 0.25f - 3);
      if (i % 7 == 0) values.push_back(kNA);
    }
    EXPECT_EQ(fit_numeric(values, Impute::kMedian).fill,
              as_float(reference_median(present(values))))
        << n;
  }
}

// More numeric median columns than are buffered in one pass over the samples.
TEST(PreprocessFitNumericTest, MedianOfManyColumns) {
  DatasetBuilder b;
  std::vector<std::vector<float>> columns;
  for (int f = 0; f < 37; ++f) {
    std::vector<float> values;
    for (int j = 0; j < 9; ++j)
      values.push_back((j + f) % 4 == 0 ? kNA : float((j * 5 + f) % 9 + f));
    b.numeric("x" + std::to_string(f), values);
    columns.push_back(values);
  }
  const Preprocessor p = fit_preprocessor(b.build(), Impute::kMedian, {});
  ASSERT_EQ(p.columns.size(), columns.size());
  for (std::size_t f = 0; f < columns.size(); ++f) {
    EXPECT_EQ(p.columns[f].fill, as_float(reference_median(present(columns[f])))) << f;
  }
}

TEST(PreprocessFitNumericTest, ModeIsTheMostFrequentValueTiesToTheSmallest) {
  EXPECT_EQ(fit_numeric({2, 5, kNA, 5, 7}, Impute::kMode).fill, 5.0);
  // 1 and 3 twice each; the three missing cells do not count as a value.
  EXPECT_EQ(fit_numeric({3, 1, kNA, 3, 1, 2, kNA, kNA}, Impute::kMode).fill, 1.0);
  EXPECT_EQ(fit_numeric({4, 4, -1, -1}, Impute::kMode).fill, -1.0);
  EXPECT_EQ(fit_numeric({9, 8, 7}, Impute::kMode).fill, 7.0);  // all once: the smallest
}

TEST(PreprocessFitNumericTest, ZeroFillHasNoSign) {
  const FeatureColumn mode = fit_numeric({-0.0f, -0.0f, 1, 0.0f}, Impute::kMode);
  EXPECT_EQ(mode.fill, 0.0);
  EXPECT_FALSE(std::signbit(mode.fill));
  const FeatureColumn median = fit_numeric({-0.0f, 3, -0.0f}, Impute::kMedian);
  EXPECT_EQ(median.fill, 0.0);
  EXPECT_FALSE(std::signbit(median.fill));
}

TEST(PreprocessFitNumericTest, NoFillWithoutImputation) {
  const Preprocessor p =
      fit_preprocessor(DatasetBuilder().numeric("x", {1, 2}).categorical("c", {"a", "b"}).build(),
                       Impute::kNone, {});
  EXPECT_EQ(p.impute, Impute::kNone);
  for (const FeatureColumn& c : p.columns) EXPECT_TRUE(std::isnan(c.fill)) << c.name;
}

// A fill is exactly a float, so a filled cell is the same as a cell holding that value.
TEST(PreprocessFitNumericTest, FillIsExactlyAFloat) {
  const std::vector<float> values = {0.1f, 0.2f, 0.4f, kNA, 1e-3f};
  for (Impute impute : {Impute::kMean, Impute::kMedian, Impute::kMode}) {
    const Preprocessor p =
        fit_preprocessor(DatasetBuilder().numeric("x", values).build(), impute, {});
    const double fill = p.columns[0].fill;
    EXPECT_EQ(fill, as_float(fill)) << impute_name(impute);
    const Matrix filled = p.transform(DatasetBuilder().numeric("x", {kNA}).build(), {});
    const Matrix held =
        p.transform(DatasetBuilder().numeric("x", {static_cast<float>(fill)}).build(), {});
    expect_identical(filled, held);
  }
  EXPECT_EQ(
      fit_numeric({0.1f, 0.2f, 0.4f}, Impute::kMean).fill,
      as_float((static_cast<double>(0.1f) + static_cast<double>(0.2f) + static_cast<double>(0.4f)) /
               3));
}

// ---------------------------------------------------------------------------------------------
// Standardisation statistics.

TEST(PreprocessFitNumericTest, StatisticsAreOfTheImputedColumn) {
  const std::vector<float> values = {1, kNA, 2, 6, 2, kNA, 0.3f};
  for (Impute impute : {Impute::kMean, Impute::kMedian, Impute::kMode}) {
    SCOPED_TRACE(impute_name(impute));
    const std::vector<double> seen = present(values);
    const double fill = impute == Impute::kMean     ? reference_mean(seen)
                        : impute == Impute::kMedian ? reference_median(seen)
                                                    : 2.0;
    const FeatureColumn c = fit_numeric(values, impute);
    EXPECT_EQ(c.fill, as_float(fill));
    const std::vector<double> full = imputed(values, as_float(fill));
    EXPECT_FLOAT_EQ(c.mean, static_cast<float>(reference_mean(full)));
    EXPECT_FLOAT_EQ(c.scale, static_cast<float>(population_std(full)));
  }
}

TEST(PreprocessFitNumericTest, ScaleIsThePopulationStd) {
  const FeatureColumn c = fit_numeric({1, 3}, Impute::kNone);
  EXPECT_EQ(c.mean, 2.0f);
  EXPECT_EQ(c.scale, 1.0f);  // the sample std would be sqrt(2)
  const std::vector<float> values = {0.1f, 0.2f, 0.7f, 100.0f, -3.5f};
  const FeatureColumn d = fit_numeric(values, Impute::kNone);
  EXPECT_FLOAT_EQ(d.mean, static_cast<float>(reference_mean(present(values))));
  EXPECT_FLOAT_EQ(d.scale, static_cast<float>(population_std(present(values))));
}

TEST(PreprocessFitNumericTest, ConstantColumnGetsScaleOneMapsToZeroAndWarns) {
  // Constant as read, after imputation, and of a value that is not a short double.
  const std::vector<std::pair<std::vector<float>, Impute>> cases = {
      {{2.5f, 2.5f, 2.5f}, Impute::kNone},
      {{5, kNA, 5}, Impute::kMean},
      {{0.1f, 0.1f, 0.1f}, Impute::kNone}};
  for (const auto& [values, impute] : cases) {
    SCOPED_TRACE(testing::PrintToString(values));
    std::vector<std::string> warnings;
    const Preprocessor p =
        fit_preprocessor(DatasetBuilder().numeric("x", values).build(), impute, collect(&warnings));
    EXPECT_EQ(p.columns[0].scale, 1.0f);
    EXPECT_EQ(warnings, std::vector<std::string>{
                            "train.csv: column 'x' is constant in the training rows; it carries no "
                            "information (kept, maps to 0)"});
    const Matrix out = p.transform(DatasetBuilder().numeric("x", values).build(), {});
    for (Index j = 0; j < out.cols(); ++j) EXPECT_EQ(out(0, j), 0.0f) << j;
  }
}

TEST(PreprocessFitNumericTest, NoWarningForAVaryingColumnAndAnEmptySinkIsFine) {
  std::vector<std::string> warnings;
  fit_preprocessor(DatasetBuilder().numeric("x", {1, 2}).categorical("c", {"a", "b"}).build(),
                   Impute::kNone, collect(&warnings));
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  const Preprocessor p =
      fit_preprocessor(DatasetBuilder().numeric("x", {1, 1}).build(), Impute::kNone, {});
  EXPECT_EQ(p.columns[0].scale, 1.0f);
}

// ---------------------------------------------------------------------------------------------
// Categorical columns.

TEST(PreprocessFitCategoricalTest, CategoriesInByteOrder) {
  // The reader's list is given out of order: the preprocessor sorts it itself.
  const FeatureColumn c = fit_categorical({"red", "Blue", "green", "blue", "red"}, Impute::kNone,
                                          {"red", "green", "blue", "Blue"});
  EXPECT_TRUE(c.categorical);
  EXPECT_EQ(c.categories, (std::vector<std::string>{"Blue", "blue", "green", "red"}));
  EXPECT_EQ(c.width(), 4);
}

TEST(PreprocessFitCategoricalTest, OnlyCategoriesOfTheTrainingRows) {
  const FeatureColumn c = fit_categorical({"d", "a", "d", ""}, Impute::kMode, {"a", "b", "c", "d"});
  EXPECT_EQ(c.categories, (std::vector<std::string>{"a", "d"}));
  EXPECT_EQ(fill_category(c), "d");
}

TEST(PreprocessFitCategoricalTest, ModeFillTiesToTheFirstInByteOrder) {
  for (Impute impute : {Impute::kMean, Impute::kMedian, Impute::kMode}) {
    SCOPED_TRACE(impute_name(impute));
    EXPECT_EQ(fill_category(fit_categorical({"x", "y", "y", ""}, impute)), "y");
    // "b" first in the reader's list and in the rows; "a" first in byte order.
    EXPECT_EQ(fill_category(fit_categorical({"b", "a", "", "b", "a"}, impute, {"b", "a"})), "a");
    EXPECT_EQ(fill_category(fit_categorical({"z", "m", "q"}, impute, {"z", "q", "m"})), "m");
  }
  EXPECT_TRUE(std::isnan(fit_categorical({"x", "y"}, Impute::kNone).fill));
}

TEST(PreprocessFitCategoricalTest, SingleCategoryWarns) {
  std::vector<std::string> warnings;
  const Preprocessor p =
      fit_preprocessor(DatasetBuilder().categorical("c", {"a", "", "a"}, {"a", "b"}).build(),
                       Impute::kMode, collect(&warnings));
  EXPECT_EQ(p.columns[0].categories, std::vector<std::string>{"a"});
  EXPECT_EQ(warnings, std::vector<std::string>{
                          "train.csv: column 'c' is constant in the training rows (every row is "
                          "'a'); it carries no information (kept, encoded as one slot that is 1)"});
}

TEST(PreprocessFitTest, ColumnsInTrainingOrder) {
  const Preprocessor p = fit_preprocessor(DatasetBuilder()
                                              .numeric("z", {1, 2})
                                              .categorical("a", {"p", "q"})
                                              .numeric("m", {3, 5})
                                              .build(),
                                          Impute::kNone, {});
  EXPECT_EQ(p.names(), (std::vector<std::string>{"z", "a", "m"}));
  EXPECT_EQ(p.categorical_names(), std::vector<std::string>{"a"});
  EXPECT_EQ(p.output_size(), 4);
}

// ---------------------------------------------------------------------------------------------
// Fit errors.

TEST(PreprocessFitErrorTest, NoTrainingRows) {
  EXPECT_HAS(fit_error(DatasetBuilder().numeric("x", {}).build(), Impute::kMean),
             "train.csv: no training rows");
}

TEST(PreprocessFitErrorTest, ColumnWithoutValuesSuggestsIgnore) {
  const Dataset plain = DatasetBuilder().numeric("a", {1, 2}).numeric("x", {kNA, kNA}).build();
  EXPECT_EQ(fit_error(plain, Impute::kMean),
            "train.csv: column 'x' (2) has no values in the training rows; drop it with "
            "--ignore x");
  const Dataset spaced = DatasetBuilder().numeric("my x", {kNA}).build();
  EXPECT_HAS(fit_error(spaced, Impute::kMedian), "column 'my x' (1) has no values");
  EXPECT_HAS(fit_error(spaced, Impute::kMedian), "--ignore 'my x'");
  const Dataset quote = DatasetBuilder().numeric("it's", {kNA}).build();
  EXPECT_HAS(fit_error(quote, Impute::kMode), "--ignore 'it'\\''s'");
  const Dataset categorical =
      DatasetBuilder().numeric("a", {1}).categorical("c", {""}, {"u"}).build();
  EXPECT_HAS(fit_error(categorical, Impute::kMode),
             "train.csv: column 'c' (2) has no values in the training rows; drop it with "
             "--ignore c");
  // Reported before the missing cells of impute none.
  EXPECT_HAS(fit_error(plain, Impute::kNone), "has no values");
}

TEST(PreprocessFitErrorTest, MissingCellWithoutImputationNamesTheCell) {
  const std::string numeric = fit_error(
      DatasetBuilder().numeric("a", {1, 2}).numeric("b", {1, kNA}).build(), Impute::kNone);
  EXPECT_HAS(numeric, "train.csv:3: column 'b' (2): missing value");
  EXPECT_HAS(numeric, "--impute");
  const std::string categorical =
      fit_error(DatasetBuilder().categorical("c", {"u", "u", "", ""}).build(), Impute::kNone);
  EXPECT_HAS(categorical, "train.csv:4: column 'c' (1): missing value");
}

TEST(PreprocessFitErrorTest, InconsistentDataset) {
  Dataset d = DatasetBuilder().numeric("a", {1, 2}).build();
  d.lines.pop_back();
  EXPECT_HAS(fit_error(d, Impute::kNone), "inconsistent");
  d = DatasetBuilder().numeric("a", {1, 2}).build();
  d.categorical.push_back(false);
  EXPECT_HAS(fit_error(d, Impute::kNone), "inconsistent");
}

TEST(PreprocessFitErrorTest, CategoryIndexOutOfRange) {
  for (const float bad : {2.0f, -1.0f, 0.5f}) {
    const Dataset d = DatasetBuilder().categorical_raw("c", {"a", "b"}, {0, bad}).build();
    const std::string message = fit_error(d, Impute::kNone);
    EXPECT_HAS(message, "train.csv:3: column 'c' (1): category index");
    EXPECT_HAS(message, "out of range (2 categories)");
  }
}

// ---------------------------------------------------------------------------------------------
// Transform.

TEST(PreprocessTransformTest, NumericColumnsAreStandardisedAndFilled) {
  Preprocessor p;
  p.impute = Impute::kMean;
  p.columns = {numeric_column("a", 1, 2, 3), numeric_column("b", -1, 0.5f, 0.25)};
  const Dataset d =
      DatasetBuilder("p.csv").numeric("a", {5, kNA, -1}).numeric("b", {2, 0, kNA}).build();
  expect_matrix(p.transform(d, {}), {{2, 1, -1}, {6, 2, 2.5f}});
}

TEST(PreprocessTransformTest, OneHotRowsInCategoryOrder) {
  const Preprocessor p = three_columns();
  const Dataset d = DatasetBuilder("p.csv")
                        .numeric("a", {0, 1, 2, 3})
                        .categorical("color", {"green", "blue", "red", ""})
                        .numeric("b", {0, 1, 2, 3})
                        .build();
  expect_matrix(p.transform(d, {}), {{-0.5f, 0, 0.5f, 1},
                                     {0, 1, 0, 0},  // blue
                                     {1, 0, 0, 0},  // green
                                     {0, 0, 1, 1},  // red; the missing cell takes the fill
                                     {2, 4, 6, 8}});
}

TEST(PreprocessTransformTest, FittedOneHotIsZeroOrOne) {
  const std::vector<std::string> cells = {"red", "Blue", "green", "blue", "red"};
  const Dataset train =
      DatasetBuilder().numeric("n", {1, 2, 3, 4, 5}).categorical("c", cells).build();
  const Preprocessor p = fit_preprocessor(train, Impute::kNone, {});
  const std::vector<std::string> order = {"Blue", "blue", "green", "red"};
  const Matrix out = p.transform(train, {});
  ASSERT_EQ(out.rows(), 5);
  for (std::size_t j = 0; j < cells.size(); ++j) {
    for (std::size_t s = 0; s < order.size(); ++s) {
      EXPECT_EQ(out(static_cast<Index>(1 + s), static_cast<Index>(j)),
                cells[j] == order[s] ? 1.0f : 0.0f)
          << "sample " << j << ", slot " << order[s];
    }
  }
}

// d's features are matched by name, extra ones ignored, and category indexes remapped by name.
TEST(PreprocessTransformTest, ColumnsByNameInAnyOrder) {
  const Preprocessor p = three_columns();
  const Dataset d = DatasetBuilder("p.csv")
                        .numeric("id", {7, 8})
                        .numeric("b", {2, -3})
                        .categorical("color", {"red", "green"})  // categories: green, red
                        .numeric("a", {5, kNA})
                        .categorical("note", {"x", "y"})
                        .build();
  expect_matrix(p.transform(d, {}), {{2, 1}, {0, 0}, {0, 1}, {1, 0}, {6, -4}});
}

TEST(PreprocessTransformTest, CategoryIndexesAreRemappedByName) {
  const Preprocessor p = three_columns();
  // The predict file's categories differ in set and order from the training ones.
  const Dataset d = DatasetBuilder("p.csv")
                        .numeric("a", {1, 1, 1})
                        .categorical("color", {"blue", "red", "blue"}, {"red", "blue"})
                        .numeric("b", {-1, -1, -1})
                        .build();
  expect_matrix(p.transform(d, {}), {{0, 0, 0}, {1, 0, 1}, {0, 0, 0}, {0, 1, 0}, {0, 0, 0}});
}

TEST(PreprocessTransformTest, UnseenCategoryIsAllZerosWithOneWarningPerColumn) {
  Preprocessor p = three_columns();
  p.columns.push_back(categorical_column("size", {"L", "S"}, 0));
  const Dataset d = DatasetBuilder("p.csv")
                        .numeric("a", {1, 1, 1, 1})
                        .categorical("color", {"blue", "purple", "zebra", "purple"})
                        .numeric("b", {-1, -1, -1, -1})
                        .categorical("size", {"S", "S", "M", ""})
                        .build();
  std::vector<std::string> warnings;
  const Matrix out = p.transform(d, collect(&warnings));
  expect_matrix(out, {{0, 0, 0, 0},
                      {1, 0, 0, 0},
                      {0, 0, 0, 0},
                      {0, 0, 0, 0},
                      {0, 0, 0, 0},
                      {0, 0, 0, 1},  // L: the fill of the missing cell
                      {1, 1, 0, 0}});
  EXPECT_EQ(warnings,
            (std::vector<std::string>{
                "p.csv:3: column 'color' (2): category 'purple' was not seen in training; "
                "encoded as all zeros (3 rows with unseen categories)",
                "p.csv:4: column 'size' (4): category 'M' was not seen in training; encoded as "
                "all zeros (1 row with unseen categories)"}));
  EXPECT_EQ(p.transform(d, {}).rows(), 7);  // an empty sink is fine
}

TEST(PreprocessTransformTest, UnseenCategoryListedButAbsentDoesNotWarn) {
  const Dataset d = DatasetBuilder("p.csv")
                        .numeric("a", {1})
                        .categorical("color", {"red"}, {"purple", "red"})
                        .numeric("b", {1})
                        .build();
  std::vector<std::string> warnings;
  expect_matrix(three_columns().transform(d, collect(&warnings)), {{0}, {0}, {0}, {1}, {4}});
  EXPECT_TRUE(warnings.empty()) << warnings.front();
}

TEST(PreprocessTransformErrorTest, MissingCellWithoutFillNamesTheCell) {
  // Numeric, through the general path (categorical columns) and the in-place one.
  const Dataset mixed = DatasetBuilder("p.csv")
                            .numeric("a", {1, 1, 1})
                            .categorical("color", {"red", "red", "red"})
                            .numeric("b", {1, 1, kNA})
                            .build();
  const std::string general = transform_error(three_columns(), mixed);
  EXPECT_HAS(general, "p.csv:4: column 'b' (3): missing value");
  EXPECT_HAS(general, "--impute");
  Preprocessor numeric;
  numeric.columns = {numeric_column("a", 0, 1), numeric_column("b", 0, 1)};
  const Dataset plain = DatasetBuilder("p.csv").numeric("a", {1, 2}).numeric("b", {kNA, 3}).build();
  EXPECT_HAS(transform_error(numeric, plain), "p.csv:2: column 'b' (2): missing value");
  // Categorical without fill.
  Preprocessor p = three_columns();
  p.columns[1].fill = kNoFill;
  const Dataset blank = DatasetBuilder("p.csv")
                            .numeric("a", {1, 1})
                            .categorical("color", {"red", ""})
                            .numeric("b", {1, 1})
                            .build();
  EXPECT_HAS(transform_error(p, blank), "p.csv:3: column 'color' (2): missing value");
}

TEST(PreprocessTransformErrorTest, ColumnMissingFromTheFile) {
  const Dataset d = DatasetBuilder("p.csv").numeric("a", {1}).categorical("color", {"red"}).build();
  EXPECT_EQ(transform_error(three_columns(), d),
            "p.csv: no column 'b', which the model needs; the feature columns are 'a', 'color'");
}

TEST(PreprocessTransformErrorTest, ColumnOfTheOtherKind) {
  const Dataset text_a = DatasetBuilder("p.csv")
                             .categorical("a", {"x"})
                             .categorical("color", {"red"})
                             .numeric("b", {1})
                             .build();
  EXPECT_HAS(transform_error(three_columns(), text_a),
             "p.csv: column 'a' (1) is categorical (text) here but was numeric in training");
  const Dataset numeric_color =
      DatasetBuilder("p.csv").numeric("a", {1}).numeric("color", {2}).numeric("b", {1}).build();
  EXPECT_HAS(transform_error(three_columns(), numeric_color),
             "p.csv: column 'color' (2) is numeric here but was categorical (text) in training");
  // An all-numeric model on a file whose column of that name is text.
  Preprocessor numeric;
  numeric.columns = {numeric_column("a", 0, 1)};
  EXPECT_HAS(transform_error(numeric, DatasetBuilder("p.csv").categorical("a", {"x"}).build()),
             "column 'a' (1) is categorical (text) here but was numeric");
}

TEST(PreprocessTransformErrorTest, DuplicateColumnInTheFile) {
  const Dataset d = DatasetBuilder("p.csv")
                        .numeric("a", {1})
                        .categorical("color", {"red"})
                        .numeric("b", {1})
                        .numeric("a", {2})
                        .build();
  EXPECT_HAS(transform_error(three_columns(), d), "p.csv: column 'a' occurs more than once");
}

TEST(PreprocessTransformErrorTest, InvalidFillOrDataset) {
  Preprocessor p = three_columns();
  p.columns[1].fill = 3;  // only 3 categories
  const Dataset d = DatasetBuilder("p.csv")
                        .numeric("a", {1})
                        .categorical("color", {"red"})
                        .numeric("b", {1})
                        .build();
  EXPECT_HAS(transform_error(p, d), "column 'color' has an invalid fill value");
  p = three_columns();
  p.columns[0].fill = 1e300;
  EXPECT_HAS(transform_error(p, d), "column 'a' has an invalid fill value");
  Dataset short_lines = d;
  short_lines.lines.clear();
  EXPECT_HAS(transform_error(three_columns(), short_lines), "inconsistent");
  const Dataset bad_index = DatasetBuilder("p.csv")
                                .numeric("a", {1})
                                .categorical_raw("color", {"red"}, {1})
                                .numeric("b", {1})
                                .build();
  EXPECT_HAS(transform_error(three_columns(), bad_index),
             "p.csv:2: column 'color' (2): category index");
}

// x - mean exceeds float's range although x' does not (x = FLT_MAX, mean = -FLT_MAX / 2).
TEST(PreprocessTransformTest, ValuesNearFloatMaxStayFinite) {
  const std::vector<float> values = {-FLT_MAX, -FLT_MAX, -FLT_MAX, FLT_MAX};
  const std::vector<double> seen = present(values);
  const double mean = reference_mean(seen), sd = population_std(seen);
  for (bool in_place : {true, false}) {
    SCOPED_TRACE(in_place ? "in place" : "general");
    const Dataset train = DatasetBuilder().numeric("x", values).build();
    const Preprocessor p = fit_preprocessor(train, Impute::kNone, {});
    DatasetBuilder predict("p.csv");
    if (!in_place) predict.numeric("extra", {0, 0, 0, 0});
    const Matrix out = p.transform(predict.numeric("x", values).build(), {});
    const Index row = out.rows() - 1;
    EXPECT_FLOAT_EQ(out(row, 0), static_cast<float>((-FLT_MAX - mean) / sd));
    EXPECT_FLOAT_EQ(out(row, 3), static_cast<float>((FLT_MAX - mean) / sd));  // sqrt(3)
  }
  // A result beyond float's range is infinite (a constant column has scale 1).
  Preprocessor p;
  p.columns = {numeric_column("x", -FLT_MAX, 1)};
  const Matrix out = p.transform(DatasetBuilder().numeric("x", {FLT_MAX, -FLT_MAX}).build(), {});
  EXPECT_EQ(out(0, 0), std::numeric_limits<float>::infinity());
  EXPECT_EQ(out(0, 1), 0.0f);
}

TEST(PreprocessTransformTest, NoRows) {
  const Dataset empty = DatasetBuilder("p.csv")
                            .numeric("a", {})
                            .categorical_raw("color", {}, {})
                            .numeric("b", {})
                            .build();
  const Matrix out = three_columns().transform(empty, {});
  EXPECT_EQ(out.rows(), 5);
  EXPECT_EQ(out.cols(), 0);
}

// The in-place path (numeric columns exactly in order) gives the same as the general one.
TEST(PreprocessTransformTest, InPlacePathMatchesGeneralPath) {
  const std::vector<float> a = {1.5f, kNA, -2, 0.1f, 7}, b = {0.3f, 0.3f, kNA, 1e3f, -4},
                           c = {kNA, 2, 4, 8, 16};
  const Preprocessor p =
      fit_preprocessor(DatasetBuilder().numeric("a", a).numeric("b", b).numeric("c", c).build(),
                       Impute::kMedian, {});
  Dataset in_order =
      DatasetBuilder("p.csv").numeric("a", a).numeric("b", b).numeric("c", c).build();
  const Dataset reordered =
      DatasetBuilder("p.csv").numeric("c", c).numeric("a", a).numeric("b", b).build();
  const Dataset extra = DatasetBuilder("p.csv")
                            .numeric("a", a)
                            .numeric("b", b)
                            .numeric("c", c)
                            .numeric("d", a)
                            .build();
  const float* buffer = in_order.x.data();
  const Matrix fast = p.transform(std::move(in_order), {});
  EXPECT_EQ(fast.data(), buffer) << "not transformed in place";
  expect_identical(fast, p.transform(reordered, {}));
  expect_identical(fast, p.transform(extra, {}));
  // And both are the standardised imputed values.
  const std::vector<std::vector<float>> columns = {a, b, c};
  for (std::size_t f = 0; f < columns.size(); ++f) {
    const FeatureColumn& col = p.columns[f];
    for (std::size_t j = 0; j < columns[f].size(); ++j) {
      const float v = std::isnan(columns[f][j]) ? static_cast<float>(col.fill) : columns[f][j];
      EXPECT_EQ(fast(static_cast<Index>(f), static_cast<Index>(j)), (v - col.mean) / col.scale);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Through the CSV reader, as train and predict use it.

TEST(PreprocessCsvTest, FitOnTrainingFileTransformPredictFile) {
  CsvOptions options;
  options.allow_missing = true;
  options.na_values = {"?"};
  std::istringstream train_text("a,color,y\n1,red,0\n?,blue,1\n3,,0\n5,red,1\n");
  const Dataset train = read_dataset("train.csv", train_text, "y", options);
  const Preprocessor p = fit_preprocessor(train, Impute::kMedian, {});
  ASSERT_EQ(p.columns.size(), 2u);
  EXPECT_EQ(p.columns[0].fill, 3.0);  // median of 1, 3, 5
  const std::vector<double> a = {1, 3, 3, 5};
  EXPECT_FLOAT_EQ(p.columns[0].mean, static_cast<float>(reference_mean(a)));
  EXPECT_FLOAT_EQ(p.columns[0].scale, static_cast<float>(population_std(a)));
  EXPECT_EQ(p.columns[1].categories, (std::vector<std::string>{"blue", "red"}));
  EXPECT_EQ(fill_category(p.columns[1]), "red");

  std::vector<std::string> warnings;
  options.categorical = p.categorical_names();
  options.warn = collect(&warnings);
  std::istringstream predict_text("color,a\ngreen,2\nred,?\n,5\n");
  const Dataset predict = read_features("p.csv", predict_text, p.names(), options);
  const float sd = static_cast<float>(population_std(a));
  expect_matrix(p.transform(predict, options.warn),
                {{(2 - 3) / sd, 0, 2 / sd}, {0, 0, 0}, {0, 1, 1}});
  EXPECT_EQ(warnings, std::vector<std::string>{
                          "p.csv:2: column 'color' (1): category 'green' was not seen in "
                          "training; encoded as all zeros (1 row with unseen categories)"});
}

}  // namespace
}  // namespace nnfit::data
