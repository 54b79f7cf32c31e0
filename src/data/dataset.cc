// CSV-with-header loading (features parsed in place into one row-major float buffer, which is
// already the (features, N) column-major layout) and target encoding for the two tasks.
#include "data/dataset.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "core/error.h"
#include "data/csv.h"

namespace nnfit::data {
namespace {

constexpr std::size_t kMaxAutoClasses = 20;
constexpr std::size_t kMaxListedColumns = 20;

using Fields = std::vector<std::string_view>;

// The (nf, N) matrix built one column (= one CSV row) at a time. Capacity doubles through
// conservativeResize, which for a column-major float matrix is a realloc: large blocks are
// remapped by the allocator rather than copied, and nothing is zero-filled.
class ColumnBuffer {
 public:
  explicit ColumnBuffer(std::size_t nf) : m_(static_cast<Index>(nf), 0) {}
  float* append() {
    if (n_ == m_.cols()) m_.conservativeResize(Eigen::NoChange, std::max<Index>(64, 2 * n_));
    return m_.col(n_++).data();
  }
  Index cols() const { return n_; }
  Matrix take() {
    m_.conservativeResize(Eigen::NoChange, n_);
    return std::move(m_);
  }

 private:
  Matrix m_;
  Index n_ = 0;
};

std::string where(const CsvReader& r) { return r.source() + ":" + std::to_string(r.line()); }

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string column_label(const std::vector<std::string>& names, std::size_t col) {
  return "column " + quoted(names[col]) + " (" + std::to_string(col + 1) + ")";
}

std::string list_names(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kMaxListedColumns; ++i) {
    out += (i ? ", " : "") + quoted(names[i]);
  }
  if (names.size() > kMaxListedColumns) {
    out += ", ... (" + std::to_string(names.size()) + " in all)";
  }
  return out;
}

bool is_blank(const Fields& fields) { return fields.size() == 1 && trim(fields[0]).empty(); }

// Reads the first non-blank line as the header; names are trimmed.
std::vector<std::string> read_header(CsvReader& r, Fields& fields) {
  while (r.next(fields)) {
    if (is_blank(fields)) continue;
    std::vector<std::string> names;
    for (auto f : fields) names.emplace_back(trim(f));
    return names;
  }
  throw DataError(r.source() + ": empty file (expected a header row with column names)");
}

void check_unique(const CsvReader& r, const std::vector<std::string>& names) {
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t c = 0; c < names.size(); ++c) {
    const auto [it, fresh] = seen.emplace(names[c], c);
    if (!fresh) {
      throw DataError(where(r) + ": duplicate column name " + quoted(names[c]) + " (columns " +
                      std::to_string(it->second + 1) + " and " + std::to_string(c + 1) +
                      "); rename one of them");
    }
  }
}

std::size_t find_target(const CsvReader& r, const std::vector<std::string>& names,
                        const std::string& target) {
  if (target.empty()) return names.size() - 1;
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (names[c] == target) return c;
  }
  const bool is_index = target.find_first_not_of("0123456789") == std::string::npos;
  if (!is_index) {
    throw DataError(where(r) + ": target column " + quoted(target) +
                    " not found; available columns: " + list_names(names));
  }
  if (target.size() > 9 || std::stoul(target) >= names.size()) {
    throw DataError(where(r) + ": target column index " + target + " is out of range (header has " +
                    std::to_string(names.size()) + " columns; indexes are 0-based, 0.." +
                    std::to_string(names.size() - 1) + ")");
  }
  return std::stoul(target);
}

[[noreturn]] void field_count_error(const CsvReader& r, std::size_t got, std::size_t expected) {
  throw DataError(where(r) + ": " + std::to_string(got) + " fields, expected " +
                  std::to_string(expected) + " (header has " + std::to_string(expected) +
                  " columns); quote fields that contain commas");
}

// default_target: the target was not given, so the last column was taken; a text column
// elsewhere is then most likely the real target, and the message says how to pick it.
[[noreturn]] void cell_error(const CsvReader& r, std::string_view cell,
                             const std::vector<std::string>& names, std::size_t col,
                             bool default_target) {
  const std::string head = where(r) + ": " + column_label(names, col) + ": ";
  if (cell.empty()) {
    throw DataError(head + "cell is empty (missing values are not supported yet; fill in or "
                           "drop the row)");
  }
  double unused = 0.0;
  const std::string hint = default_target ? " (the target defaults to the last column; if " +
                                                quoted(names[col]) + " is the target, pass --target " +
                                                quoted(names[col]) + ")"
                                          : "";
  throw DataError(head + quoted(cell) + number_problem(parse_number_status(cell, unused)) +
                  "; feature columns must be numeric" + hint);
}

// Parses the feature cell in column col; throws a DataError naming it on failure.
inline float parse_cell(const CsvReader& r, std::string_view cell,
                        const std::vector<std::string>& names, std::size_t col,
                        bool default_target = false) {
  double v = 0.0;
  if (!parse_number(cell, v)) {
    cell = trim(cell);
    if (cell.empty() || !parse_number(cell, v)) cell_error(r, cell, names, col, default_target);
  }
  return static_cast<float>(v);
}

Dataset read_dataset_from(CsvReader& r, const std::string& target) {
  Fields fields;
  std::vector<std::string> names = read_header(r, fields);
  check_unique(r, names);
  const std::size_t t = find_target(r, names, target);
  if (names.size() < 2) {
    throw DataError(where(r) + ": only one column; need at least one feature column besides the "
                               "target (is the delimiter a comma?)");
  }
  Dataset d;
  d.source = r.source();
  d.target_name = names[t];
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (c != t) d.feature_names.push_back(names[c]);
  }
  const std::size_t ncols = names.size();
  const std::size_t nf = ncols - 1;
  ColumnBuffer columns(nf);
  while (r.next(fields)) {
    if (is_blank(fields)) continue;
    if (fields.size() != ncols) field_count_error(r, fields.size(), ncols);
    float* out = columns.append();
    for (std::size_t c = 0; c < ncols; ++c) {
      if (c != t) *out++ = parse_cell(r, fields[c], names, c, target.empty());
    }
    const std::string_view label = trim(fields[t]);
    if (label.empty()) {
      throw DataError(where(r) + ": target " + column_label(names, t) +
                      ": cell is empty (every row needs a target; drop the row)");
    }
    d.target.emplace_back(label);
    d.lines.push_back(r.line());
  }
  if (d.target.empty()) throw DataError(where(r) + ": no data rows after the header");
  d.x = columns.take();
  return d;
}

Matrix read_features_from(CsvReader& r, const std::vector<std::string>& feature_names,
                          std::vector<unsigned>* lines) {
  if (feature_names.empty()) throw DataError(r.source() + ": no feature columns requested");
  Fields fields;
  const std::vector<std::string> names = read_header(r, fields);
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t c = 0; c < names.size(); ++c) index.emplace(names[c], c);
  std::vector<std::size_t> cols;
  for (const auto& name : feature_names) {
    const auto it = index.find(name);
    if (it == index.end()) {
      throw DataError(where(r) + ": column " + quoted(name) +
                      " not found; the model needs it. Available columns: " + list_names(names));
    }
    for (std::size_t c = it->second + 1; c < names.size(); ++c) {
      if (names[c] == name) check_unique(r, names);  // reports the duplicate
    }
    cols.push_back(it->second);
  }
  if (lines) lines->clear();
  const std::size_t nf = cols.size();
  ColumnBuffer columns(nf);
  while (r.next(fields)) {
    if (is_blank(fields)) continue;
    if (fields.size() != names.size()) field_count_error(r, fields.size(), names.size());
    float* out = columns.append();
    for (std::size_t i = 0; i < nf; ++i) out[i] = parse_cell(r, fields[cols[i]], names, cols[i]);
    if (lines) lines->push_back(r.line());
  }
  if (columns.cols() == 0) throw DataError(where(r) + ": no data rows after the header");
  return columns.take();
}

std::string row_where(const Dataset& d, std::size_t i) {
  const bool known = i < d.lines.size();
  return d.source + ":" + (known ? std::to_string(d.lines[i]) : "row " + std::to_string(i + 1));
}

// All values are integers, few distinct ones, and each repeats on average: looks like labels.
bool looks_categorical(const std::vector<double>& values) {
  if (values.size() < 4) return false;
  std::set<double> distinct;
  for (double v : values) {
    if (v != std::floor(v)) return false;
    distinct.insert(v);
    if (distinct.size() > kMaxAutoClasses) return false;
  }
  return 2 * distinct.size() <= values.size();
}

// Numeric classes by value; equal values keep their byte-order-first spelling.
std::vector<std::string> numeric_classes(const std::vector<std::string>& target,
                                         const std::vector<double>& values) {
  std::map<double, std::string> by_value;
  for (std::size_t i = 0; i < target.size(); ++i) {
    const auto [it, fresh] = by_value.emplace(values[i], target[i]);
    if (!fresh && target[i] < it->second) it->second = target[i];
  }
  std::vector<std::string> classes;
  for (auto& kv : by_value) classes.push_back(kv.second);
  return classes;
}

}  // namespace

std::string task_name(Task task) {
  switch (task) {
    case Task::kAuto:
      return "auto";
    case Task::kClassification:
      return "classification";
    case Task::kRegression:
      return "regression";
  }
  return "auto";
}

Task parse_task(const std::string& name) {
  for (Task t : {Task::kAuto, Task::kClassification, Task::kRegression}) {
    if (name == task_name(t)) return t;
  }
  throw ConfigError("unknown task '" + name + "' (expected auto, classification or regression)");
}

Dataset read_dataset(const std::string& path, const std::string& target) {
  CsvReader r(path);
  return read_dataset_from(r, target);
}

Dataset read_dataset(const std::string& name, std::istream& in, const std::string& target) {
  CsvReader r(name, in);
  return read_dataset_from(r, target);
}

Matrix read_features(const std::string& path, const std::vector<std::string>& feature_names,
                     std::vector<unsigned>* lines) {
  CsvReader r(path);
  return read_features_from(r, feature_names, lines);
}

Matrix read_features(const std::string& name, std::istream& in,
                     const std::vector<std::string>& feature_names, std::vector<unsigned>* lines) {
  CsvReader r(name, in);
  return read_features_from(r, feature_names, lines);
}

TargetEncoding fit_target(const Dataset& d, Task requested) {
  if (d.target.empty()) throw DataError(d.source + ": no rows to fit the target on");
  std::vector<double> values(d.target.size());
  std::size_t first_bad = d.target.size();
  for (std::size_t i = 0; i < d.target.size() && first_bad == d.target.size(); ++i) {
    if (!parse_number(d.target[i], values[i])) first_bad = i;
  }
  const bool all_numeric = first_bad == d.target.size();
  TargetEncoding enc;
  enc.task = requested;
  if (requested == Task::kAuto) {
    const bool classes = !all_numeric || looks_categorical(values);
    enc.task = classes ? Task::kClassification : Task::kRegression;
  }
  if (enc.task == Task::kRegression) {
    if (!all_numeric) {
      double unused = 0.0;
      const auto status = parse_number_status(d.target[first_bad], unused);
      throw DataError(row_where(d, first_bad) + ": target " + quoted(d.target_name) + ": " +
                      quoted(d.target[first_bad]) + number_problem(status) +
                      "; regression needs a numeric target (or request classification)");
    }
    return enc;
  }
  if (all_numeric) {
    enc.classes = numeric_classes(d.target, values);
  } else {
    const std::set<std::string> distinct(d.target.begin(), d.target.end());
    enc.classes.assign(distinct.begin(), distinct.end());
  }
  if (enc.classes.size() < 2) {
    throw DataError(d.source + ": target " + quoted(d.target_name) + " has a single class " +
                    quoted(enc.classes[0]) + "; classification needs at least 2 classes");
  }
  return enc;
}

Matrix encode_target(const Dataset& d, const TargetEncoding& enc) {
  const std::size_t n = d.target.size();
  Matrix y(1, static_cast<Index>(n));
  if (enc.task == Task::kAuto) throw ConfigError("encode_target: the encoding has no task yet");
  if (enc.task == Task::kRegression) {
    for (std::size_t i = 0; i < n; ++i) {
      double v = 0.0;
      const auto status = parse_number_status(d.target[i], v);
      if (status != NumberStatus::kOk) {
        throw DataError(row_where(d, i) + ": target " + quoted(d.target_name) + ": " +
                        quoted(d.target[i]) + number_problem(status) +
                        "; regression needs a numeric target");
      }
      y(0, static_cast<Index>(i)) = static_cast<float>(v);
    }
    return y;
  }
  std::unordered_map<std::string, int> by_name;
  std::map<double, int> by_value;  // used only when every class is a number
  bool numeric = true;
  for (std::size_t k = 0; k < enc.classes.size(); ++k) {
    by_name.emplace(enc.classes[k], static_cast<int>(k));
    double v = 0.0;
    numeric = numeric && parse_number(enc.classes[k], v);
    if (numeric) by_value.emplace(v, static_cast<int>(k));
  }
  for (std::size_t i = 0; i < n; ++i) {
    int k = -1;
    double v = 0.0;
    if (const auto it = by_name.find(d.target[i]); it != by_name.end()) {
      k = it->second;
    } else if (numeric && parse_number(d.target[i], v) && by_value.count(v)) {
      k = by_value.at(v);
    } else {
      throw DataError(row_where(d, i) + ": target " + quoted(d.target_name) + ": class " +
                      quoted(d.target[i]) + " was not seen in the training data (known classes: " +
                      list_names(enc.classes) + ")");
    }
    y(0, static_cast<Index>(i)) = static_cast<float>(k);
  }
  return y;
}

}  // namespace nnfit::data
