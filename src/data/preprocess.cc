// Preprocessor: imputation, standardisation and one-hot encoding fitted on the training rows.
// Data are (features, N) column-major, so every pass walks the samples in order and handles all
// features of a sample before the next one (contiguous reads); statistics accumulate in double.
#include "data/preprocess.h"

#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cmath>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/error.h"
#include "data/text.h"

namespace nnfit::data {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// At most this many values (64 MiB of floats) are buffered at once to find medians and modes.
constexpr std::size_t kMaxBufferedValues = std::size_t{1} << 24;

void emit(const WarningSink& warn, const std::string& message) {
  if (warn) warn(message);
}

// "'x' (3)": a feature by name and 1-based file column, as the reader's messages show it.
std::string column_label(const Dataset& d, std::size_t f) {
  return data::quoted(d.feature_names[f]) + " (" + std::to_string(d.feature_columns[f] + 1) + ")";
}

// "d.csv:12: column 'x' (3)": where a cell is.
std::string cell_where(const Dataset& d, std::size_t f, Index j) {
  return d.source + ":" + std::to_string(d.lines[static_cast<std::size_t>(j)]) + ": column " +
         column_label(d, f);
}

// The parts of a Dataset are filled by the reader; a disagreement is a bug there, but reading
// past a vector's end would be undefined behaviour, so check once up front.
void check_dataset(const Dataset& d) {
  const auto rows = static_cast<std::size_t>(d.x.rows());
  const auto n = static_cast<std::size_t>(d.x.cols());
  if (d.feature_names.size() != rows || d.feature_columns.size() != rows ||
      d.categorical.size() != rows || d.categories.size() != rows || d.lines.size() != n) {
    throw DataError("preprocess: dataset '" + d.source + "' is inconsistent: " +
                    std::to_string(rows) + " feature rows and " + std::to_string(n) +
                    " samples, but " + std::to_string(d.feature_names.size()) + " names, " +
                    std::to_string(d.feature_columns.size()) + " column numbers, " +
                    std::to_string(d.categorical.size()) + " categorical flags, " +
                    std::to_string(d.categories.size()) + " category lists and " +
                    std::to_string(d.lines.size()) + " line numbers");
  }
}

// The category index a categorical cell holds (not NaN). Anything but a whole number in range
// is a reader bug; converting it unchecked would be undefined behaviour.
std::size_t category_index(const Dataset& d, std::size_t f, Index j, Scalar v) {
  const std::size_t k = d.categories[f].size();
  if (!(v >= 0 && v < static_cast<Scalar>(k) && v == std::floor(v))) {
    throw DataError(cell_where(d, f, j) + ": category index " + std::to_string(v) +
                    " is out of range (" + std::to_string(k) + " categories); invalid dataset");
  }
  return static_cast<std::size_t>(v);
}

// A fill value as a float (so a filled cell equals a cell holding that value), without the
// sign of a zero (a median or mode of -0 and 0 would otherwise depend on the sort).
double as_fill(double v) { return static_cast<double>(static_cast<Scalar>(v) + Scalar(0)); }

// ---------------------------------------------------------------------------------------------
// Fitting.

// What one pass over the training rows learns about a feature.
struct ColumnCounts {
  std::size_t missing = 0;
  Index first_missing = -1;         // sample of the first missing cell
  double sum = 0;                   // numeric: sum of the non-missing values
  std::vector<std::size_t> counts;  // categorical: rows per category of d.categories
};

std::vector<ColumnCounts> count_columns(const Dataset& d) {
  const std::size_t nf = d.feature_names.size();
  const std::vector<char> categorical(d.categorical.begin(), d.categorical.end());
  std::vector<ColumnCounts> c(nf);
  for (std::size_t f = 0; f < nf; ++f) {
    if (categorical[f]) c[f].counts.assign(d.categories[f].size(), 0);
  }
  for (Index j = 0; j < d.x.cols(); ++j) {
    for (std::size_t f = 0; f < nf; ++f) {
      const Scalar v = d.x(static_cast<Index>(f), j);
      if (std::isnan(v)) {
        if (c[f].missing++ == 0) c[f].first_missing = j;
      } else if (categorical[f]) {
        ++c[f].counts[category_index(d, f, j, v)];
      } else {
        c[f].sum += v;
      }
    }
  }
  return c;
}

// A column without values cannot be imputed or scaled; with kNone a missing cell is an error
// (the reader reports it first; this keeps the library safe on its own).
void check_counts(const Dataset& d, std::size_t f, const ColumnCounts& c, Impute impute) {
  if (c.missing == static_cast<std::size_t>(d.x.cols())) {
    throw DataError(d.source + ": column " + column_label(d, f) +
                    " has no values in the training rows; drop it with --ignore " +
                    shell_word(d.feature_names[f]));
  }
  if (impute == Impute::kNone && c.missing > 0) {
    throw DataError(cell_where(d, f, c.first_missing) +
                    ": missing value; pass --impute mean|median|mode to fill missing cells");
  }
}

// Median of a non-empty buffer (reordered): the middle value, or the mean of the middle two.
double median(std::vector<Scalar>& v) {
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2 == 1) return *mid;
  const Scalar below = *std::max_element(v.begin(), mid);  // nth_element left the lower half
  return (static_cast<double>(below) + static_cast<double>(*mid)) / 2;
}

// Most frequent value of a non-empty buffer (sorted in place); ties go to the smallest.
double mode(std::vector<Scalar>& v) {
  std::sort(v.begin(), v.end());
  Scalar best = v[0];
  std::size_t best_count = 0;
  for (std::size_t i = 0; i < v.size();) {
    std::size_t k = i + 1;
    while (k < v.size() && v[k] == v[i]) ++k;
    if (k - i > best_count) {  // strictly more: an earlier (smaller) value keeps a tie
      best = v[i];
      best_count = k - i;
    }
    i = k;
  }
  return best;
}

// Median or mode fills of the numeric `features`. Each needs all its values; they are gathered
// for a block of features per pass over the samples (contiguous reads), with the block size
// bounded so the buffers stay small however many rows there are.
void fill_by_order(const Dataset& d, const std::vector<std::size_t>& features,
                   const std::vector<ColumnCounts>& counts, Impute impute,
                   std::vector<FeatureColumn>& columns) {
  const auto n = static_cast<std::size_t>(d.x.cols());
  const std::size_t block = std::clamp<std::size_t>(kMaxBufferedValues / std::max<std::size_t>(n, 1),
                                                    1, 16);
  std::vector<std::vector<Scalar>> values(std::min(block, features.size()));
  for (std::size_t b = 0; b < features.size(); b += block) {
    const std::size_t e = std::min(b + block, features.size());
    for (std::size_t i = b; i < e; ++i) {
      values[i - b].clear();
      values[i - b].reserve(n - counts[features[i]].missing);
    }
    for (Index j = 0; j < d.x.cols(); ++j) {
      for (std::size_t i = b; i < e; ++i) {
        const Scalar v = d.x(static_cast<Index>(features[i]), j);
        if (!std::isnan(v)) values[i - b].push_back(v);
      }
    }
    for (std::size_t i = b; i < e; ++i) {
      std::vector<Scalar>& v = values[i - b];
      columns[features[i]].fill = as_fill(impute == Impute::kMedian ? median(v) : mode(v));
    }
  }
}

// The categories that occur in the training rows, in byte order, and the most frequent one
// (ties: the first in that order) as the fill unless impute is kNone.
void fit_categorical(const Dataset& d, std::size_t f, const ColumnCounts& c, Impute impute,
                     FeatureColumn& col) {
  const std::vector<std::string>& names = d.categories[f];
  std::vector<std::size_t> present;
  for (std::size_t k = 0; k < c.counts.size(); ++k) {
    if (c.counts[k] > 0) present.push_back(k);
  }
  // The reader lists categories in byte order already; sorting again makes the slot order a
  // property of the preprocessor rather than of the reader.
  std::sort(present.begin(), present.end(),
            [&names](std::size_t a, std::size_t b) { return names[a] < names[b]; });
  std::size_t best = 0;
  for (std::size_t s = 0; s < present.size(); ++s) {
    col.categories.push_back(names[present[s]]);
    if (c.counts[present[s]] > c.counts[present[best]]) best = s;
  }
  col.fill = impute == Impute::kNone ? kNaN : static_cast<double>(best);
}

// Scale from the population std: a constant column (std 0, not finite, or within a few float
// ulps of the mean, i.e. rounding noise) gets 1 so that it maps to 0, never NaN.
bool is_constant(double sd, double mean) {
  return !std::isfinite(sd) || sd < FLT_MIN || sd <= 4 * FLT_EPSILON * std::fabs(mean);
}

// Mean and population std of each imputed numeric column (a missing cell counts as the fill):
// the mean from the first pass's sums, then one pass for the squared deviations.
void fit_scales(const Dataset& d, const std::vector<std::size_t>& numeric,
                const std::vector<ColumnCounts>& counts, std::vector<FeatureColumn>& columns,
                const WarningSink& warn) {
  const auto n = static_cast<double>(d.x.cols());
  std::vector<double> mu(numeric.size()), fill(numeric.size()), sq(numeric.size(), 0.0);
  for (std::size_t i = 0; i < numeric.size(); ++i) {
    const ColumnCounts& c = counts[numeric[i]];
    fill[i] = columns[numeric[i]].fill;  // finite whenever c.missing > 0 (check_counts)
    const double filled = c.missing > 0 ? static_cast<double>(c.missing) * fill[i] : 0.0;
    mu[i] = (c.sum + filled) / n;
  }
  for (Index j = 0; j < d.x.cols(); ++j) {
    for (std::size_t i = 0; i < numeric.size(); ++i) {
      const Scalar v = d.x(static_cast<Index>(numeric[i]), j);
      const double dev = (std::isnan(v) ? fill[i] : static_cast<double>(v)) - mu[i];
      sq[i] += dev * dev;
    }
  }
  for (std::size_t i = 0; i < numeric.size(); ++i) {
    FeatureColumn& col = columns[numeric[i]];
    const double sd = std::sqrt(sq[i] / n);
    const bool constant = is_constant(sd, mu[i]);
    col.mean = static_cast<Scalar>(mu[i]);
    col.scale = constant ? Scalar(1) : static_cast<Scalar>(sd);
    if (constant) {
      emit(warn, d.source + ": column " + data::quoted(col.name) +
                     " is constant in the training rows; it carries no information (kept, maps "
                     "to 0)");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Transforming.

// x' = (v - mean) / scale. In float, v - mean overflows for values of opposite sign near FLT_MAX
// even when x' is moderate; such a cell is redone in double (a result beyond float's range is
// then infinite, as in float arithmetic, rather than an undefined conversion).
Scalar standardise(Scalar v, Scalar mean, Scalar scale) {
  const Scalar diff = v - mean;
  if (std::isfinite(diff)) return diff / scale;
  const double x = (static_cast<double>(v) - mean) / scale;
  if (std::fabs(x) <= FLT_MAX) return static_cast<Scalar>(x);
  constexpr Scalar kInf = std::numeric_limits<Scalar>::infinity();
  return x > 0 ? kInf : -kInf;
}

// What transform does with one column, resolved against the dataset before the per-cell loop
// so that the loop itself allocates nothing.
struct ColumnPlan {
  std::size_t feature = 0;  // row of d.x
  Index row = 0;            // first output row
  bool categorical = false;
  bool has_fill = false;
  Scalar mean = 0, scale = 1, fill = 0;  // numeric; fill in raw units
  Index fill_slot = 0;                   // categorical
  std::vector<Index> slot;  // categorical: d's category index -> one-hot slot, -1 if unseen
  Index unseen_rows = 0;    // rows whose category was not seen in training
  Index first_unseen = -1;  // sample of the first one
  std::size_t first_unseen_category = 0;
};

// fit_preprocessor and preprocessor_from_json only make valid fills, but converting an invalid
// one would be undefined behaviour, so a hand-made preprocessor is checked as well.
void check_fill(const FeatureColumn& c) {
  if (std::isnan(c.fill)) return;
  const bool ok = c.categorical ? c.fill >= 0 && c.fill == std::floor(c.fill) &&
                                      c.fill < static_cast<double>(c.categories.size())
                                : std::fabs(c.fill) <= FLT_MAX;
  if (!ok) {
    throw DataError("preprocess: column " + data::quoted(c.name) + " has an invalid fill value " +
                    std::to_string(c.fill));
  }
}

[[noreturn]] void missing_without_fill(const Dataset& d, std::size_t f, Index j) {
  throw DataError(cell_where(d, f, j) +
                  ": missing value; the model was trained without --impute, so every cell needs "
                  "a value (retrain with --impute mean|median|mode)");
}

// Index of each of d's features by name; a name that occurs twice maps to npos (ambiguous).
std::unordered_map<std::string_view, std::size_t> features_by_name(const Dataset& d) {
  std::unordered_map<std::string_view, std::size_t> by_name;
  for (std::size_t f = 0; f < d.feature_names.size(); ++f) {
    const auto [it, inserted] = by_name.emplace(d.feature_names[f], f);
    if (!inserted) it->second = std::string::npos;
  }
  return by_name;
}

// The feature of d feeding `col`, checked to exist once and to be of the same kind.
std::size_t find_feature(const Dataset& d,
                         const std::unordered_map<std::string_view, std::size_t>& by_name,
                         const FeatureColumn& col) {
  const auto it = by_name.find(col.name);
  if (it == by_name.end()) {
    throw DataError(d.source + ": no column " + data::quoted(col.name) +
                    ", which the model needs; the feature columns are " +
                    list_names(d.feature_names));
  }
  if (it->second == std::string::npos) {
    throw DataError(d.source + ": column " + data::quoted(col.name) +
                    " occurs more than once; the model needs it exactly once");
  }
  const std::size_t f = it->second;
  if (d.categorical[f] != col.categorical) {
    const char* here = d.categorical[f] ? "categorical (text)" : "numeric";
    const char* trained = col.categorical ? "categorical (text)" : "numeric";
    throw DataError(d.source + ": column " + column_label(d, f) + " is " + here +
                    " here but was " + trained + " in training");
  }
  return f;
}

ColumnPlan plan_column(const Dataset& d, std::size_t f, const FeatureColumn& col, Index row) {
  ColumnPlan p;
  p.feature = f;
  p.row = row;
  p.categorical = col.categorical;
  p.has_fill = !std::isnan(col.fill);
  if (!col.categorical) {
    p.mean = col.mean;
    p.scale = col.scale;
    if (p.has_fill) p.fill = static_cast<Scalar>(col.fill);
    return p;
  }
  if (p.has_fill) p.fill_slot = static_cast<Index>(col.fill);
  std::unordered_map<std::string_view, Index> slot_of;
  for (std::size_t s = 0; s < col.categories.size(); ++s) {
    slot_of.emplace(col.categories[s], static_cast<Index>(s));
  }
  for (const std::string& name : d.categories[f]) {
    const auto it = slot_of.find(name);
    p.slot.push_back(it == slot_of.end() ? -1 : it->second);
  }
  return p;
}

std::string unseen_text(const std::string& where, Index rows) {
  const std::string n = rows == 1 ? "1 row" : std::to_string(rows) + " rows";
  return where + " was not seen in training; encoded as all zeros (" + n +
         " with unseen categories)";
}

void warn_unseen(const Dataset& d, const ColumnPlan& p, const WarningSink& warn,
                 UnseenCategories* unseen) {
  if (p.unseen_rows == 0) return;
  const std::string& category = d.categories[p.feature][p.first_unseen_category];
  const std::string where = cell_where(d, p.feature, p.first_unseen) + ": category " +
                            data::quoted(category);
  if (unseen != nullptr) {
    unseen->add(d.feature_names[p.feature], where, p.unseen_rows);
  } else {
    emit(warn, unseen_text(where, p.unseen_rows));
  }
}

// One cell of a categorical column: sets its one-hot slot (none for an unseen category).
void encode_category(const Dataset& d, ColumnPlan& p, Index j, Scalar v, Matrix& out) {
  Index slot = p.fill_slot;
  if (std::isnan(v)) {
    if (!p.has_fill) missing_without_fill(d, p.feature, j);
  } else {
    const std::size_t k = category_index(d, p.feature, j, v);
    slot = p.slot[k];
    if (slot < 0) {
      if (p.unseen_rows++ == 0) {
        p.first_unseen = j;
        p.first_unseen_category = k;
      }
      return;
    }
  }
  out(p.row + slot, j) = 1;
}

}  // namespace

std::string impute_name(Impute impute) {
  switch (impute) {
    case Impute::kNone:
      return "none";
    case Impute::kMean:
      return "mean";
    case Impute::kMedian:
      return "median";
    case Impute::kMode:
      return "mode";
  }
  throw ConfigError("unknown impute value");
}

Impute parse_impute(const std::string& name) {
  for (Impute i : {Impute::kNone, Impute::kMean, Impute::kMedian, Impute::kMode}) {
    if (name == impute_name(i)) return i;
  }
  throw ConfigError("unknown impute strategy " + data::quoted(name) +
                    " (expected none, mean, median or mode)");
}

Index Preprocessor::output_size() const {
  Index n = 0;
  for (const FeatureColumn& c : columns) n += c.width();
  return n;
}

std::vector<std::string> Preprocessor::names() const {
  std::vector<std::string> out;
  for (const FeatureColumn& c : columns) out.push_back(c.name);
  return out;
}

std::vector<std::string> Preprocessor::categorical_names() const {
  std::vector<std::string> out;
  for (const FeatureColumn& c : columns) {
    if (c.categorical) out.push_back(c.name);
  }
  return out;
}

Preprocessor fit_preprocessor(const Dataset& train, Impute impute, const WarningSink& warn) {
  check_dataset(train);
  if (train.x.cols() == 0) throw DataError(train.source + ": no training rows to fit on");
  const std::vector<ColumnCounts> counts = count_columns(train);
  Preprocessor p;
  p.impute = impute;
  p.columns.resize(counts.size());
  std::vector<std::size_t> numeric, ordered;  // ordered: numeric fills that need all values
  for (std::size_t f = 0; f < counts.size(); ++f) {
    check_counts(train, f, counts[f], impute);
    FeatureColumn& col = p.columns[f];
    col.name = train.feature_names[f];
    col.categorical = train.categorical[f];
    if (col.categorical) {
      fit_categorical(train, f, counts[f], impute, col);
      if (col.categories.size() == 1) {
        emit(warn, train.source + ": column " + data::quoted(col.name) +
                       " is constant in the training rows (every row is " +
                       data::quoted(col.categories[0]) +
                       "); it carries no information (kept, encoded as one slot that is 1)");
      }
      continue;
    }
    numeric.push_back(f);
    if (impute == Impute::kMean) {
      const auto n = static_cast<double>(train.x.cols()) - static_cast<double>(counts[f].missing);
      col.fill = as_fill(counts[f].sum / n);
    } else if (impute == Impute::kMedian || impute == Impute::kMode) {
      ordered.push_back(f);
    }
  }
  fill_by_order(train, ordered, counts, impute, p.columns);
  fit_scales(train, numeric, counts, p.columns, warn);
  return p;
}

void UnseenCategories::add(const std::string& column, const std::string& where, Index rows) {
  for (Entry& e : entries_) {
    if (e.column == column) {
      e.rows += rows;
      return;
    }
  }
  entries_.push_back({column, where, rows});
}

void UnseenCategories::warn(const WarningSink& warn) const {
  for (const Entry& e : entries_) emit(warn, unseen_text(e.first, e.rows));
}

Matrix Preprocessor::transform(Dataset d, const WarningSink& warn,
                               UnseenCategories* unseen) const {
  check_dataset(d);
  for (const FeatureColumn& c : columns) check_fill(c);
  const bool all_numeric = std::none_of(columns.begin(), columns.end(),
                                        [](const FeatureColumn& c) { return c.categorical; });
  const bool same_layout =
      all_numeric && d.feature_names == names() &&
      std::none_of(d.categorical.begin(), d.categorical.end(), [](bool b) { return b; });
  if (same_layout) {
    // In place: the training matrix can be most of the memory in use, so no second copy.
    for (Index j = 0; j < d.x.cols(); ++j) {
      for (std::size_t f = 0; f < columns.size(); ++f) {
        const FeatureColumn& c = columns[f];
        Scalar& v = d.x(static_cast<Index>(f), j);
        if (std::isnan(v)) {
          if (std::isnan(c.fill)) missing_without_fill(d, f, j);
          v = static_cast<Scalar>(c.fill);
        }
        v = standardise(v, c.mean, c.scale);
      }
    }
    return std::move(d.x);
  }

  const auto by_name = features_by_name(d);
  std::vector<ColumnPlan> plans;
  Index row = 0;
  for (const FeatureColumn& c : columns) {
    plans.push_back(plan_column(d, find_feature(d, by_name, c), c, row));
    row += c.width();
  }
  Matrix out = Matrix::Zero(row, d.x.cols());
  for (Index j = 0; j < d.x.cols(); ++j) {
    for (ColumnPlan& p : plans) {
      Scalar v = d.x(static_cast<Index>(p.feature), j);
      if (p.categorical) {
        encode_category(d, p, j, v, out);
        continue;
      }
      if (std::isnan(v)) {
        if (!p.has_fill) missing_without_fill(d, p.feature, j);
        v = p.fill;
      }
      out(p.row, j) = standardise(v, p.mean, p.scale);
    }
  }
  for (const ColumnPlan& p : plans) warn_unseen(d, p, warn, unseen);
  return out;
}

}  // namespace nnfit::data
