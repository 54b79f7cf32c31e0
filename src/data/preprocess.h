// Feature preprocessing fitted on the training rows and saved with the model, so that predict
// applies exactly the same transform: missing-value imputation, standardisation of numeric
// columns and one-hot encoding of categorical ones. Numeric columns behave like scikit-learn's
// SimpleImputer + StandardScaler, categorical ones like SimpleImputer(strategy="most_frequent")
// + OneHotEncoder(handle_unknown="ignore").
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "core/types.h"
#include "data/csv.h"
#include "data/dataset.h"

namespace nnfit::data {

// How a missing cell is filled. kNone: a missing cell is an error. For a categorical column
// every strategy other than kNone fills with the most frequent category.
enum class Impute { kNone, kMean, kMedian, kMode };

std::string impute_name(Impute impute);  // "none", "mean", "median", "mode"
// The inverse of impute_name; ConfigError listing the choices for anything else.
Impute parse_impute(const std::string& name);

// One input column of the model, as fitted on the training rows.
struct FeatureColumn {
  std::string name;
  bool categorical = false;
  // Categorical: the one-hot slots, in order: the categories present in the training rows, in
  // byte order. Empty for a numeric column.
  std::vector<std::string> categories;
  // The value a missing cell takes: numeric, a value in raw units (always exactly a float, so a
  // filled cell is the same as a cell holding that value); categorical, the index into
  // categories. NaN: no imputation (a missing cell is an error).
  double fill = std::numeric_limits<double>::quiet_NaN();
  // Numeric: x' = (x - mean) / scale, with statistics of the imputed training column
  // (population std; a constant column gets scale 1 and maps to 0). Unused if categorical.
  Scalar mean = 0, scale = 1;

  // Rows this column takes in the network input: 1 if numeric, else categories.size().
  Index width() const { return categorical ? static_cast<Index>(categories.size()) : 1; }
};

// Unseen categories over several transform calls (a file read in chunks), so that each column
// gets one warning for the whole file: the first such cell and the total count.
class UnseenCategories {
 public:
  // where: "FILE:LINE: column 'c' (3): category 'x'" of the first unseen cell in this call.
  void add(const std::string& column, const std::string& where, Index rows);
  // One warning per column, in order of first appearance (the text transform would give).
  void warn(const WarningSink& warn) const;

 private:
  struct Entry {
    std::string column, first;
    Index rows = 0;
  };
  std::vector<Entry> entries_;
};

struct Preprocessor {
  Impute impute = Impute::kNone;
  std::vector<FeatureColumn> columns;

  // Rows of the network input: numeric columns + the sum of the category counts.
  Index output_size() const;
  std::vector<std::string> names() const;              // column names, in order
  std::vector<std::string> categorical_names() const;  // names of the categorical columns

  // The network inputs, (output_size(), N): the columns in order, a numeric column as one
  // standardised row, a categorical column as width() one-hot rows (0/1, not standardised).
  // d's features are matched to the columns by name (any order; extra features are ignored)
  // and its category indexes are remapped through d.categories by name. A missing cell takes
  // the column's fill. A category not seen in training encodes as all zeros, with one warning
  // per column:
  //   "FILE:LINE: column 'color' (3): category 'purple' was not seen in training; encoded as
  //    all zeros (K rows with unseen categories)"   (LINE: the first such row)
  // DataError (naming file, line and column as the reader does) for: a column missing from d
  // (listing d's features); a column numeric in one and categorical in the other; a missing
  // cell in a column without fill. d is taken by value: when every column is numeric and d's
  // features are exactly the columns in order, d.x is transformed in place and returned
  // without a copy, so pass std::move(dataset) for a large file.
  // With `unseen` non-null, unseen categories are added to it instead of warned about.
  Matrix transform(Dataset d, const WarningSink& warn, UnseenCategories* unseen = nullptr) const;
};

// Fits the preprocessing on `train`, which must hold the training rows only (validation rows
// would leak into the statistics). Columns come out in train's feature order.
//  - Numeric fill: the mean, median (mean of the middle two for an even count) or most frequent
//    value (ties: the smallest) of the non-missing values. Categorical fill: the most frequent
//    category (ties: the first in byte order). impute kNone: no fill.
//  - Categories: those occurring in the training rows (categories of train.categories that
//    occur only in other rows are dropped), in byte order.
//  - Standardisation statistics: on the imputed column, in double.
// Warns (through warn, which may be empty) about a column that carries no information:
//   "FILE: column 'x' is constant in the training rows; it carries no information (kept, maps
//    to 0)", and likewise for a categorical column with a single category.
// DataError for: no training rows; a column without any value in the training rows
//   ("FILE: column 'x' (3) has no values in the training rows; drop it with --ignore x");
// a missing cell with impute kNone (the reader normally reports it first); a Dataset whose
// parts disagree in size or whose category index is out of range (a reader bug).
Preprocessor fit_preprocessor(const Dataset& train, Impute impute, const WarningSink& warn);

}  // namespace nnfit::data
