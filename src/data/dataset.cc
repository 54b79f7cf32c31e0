// CSV loading (features parsed in place into one row-major float buffer, which is
// already the (features, N) column-major layout) and target encoding for the two tasks.
#include "data/dataset.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <unordered_map>

#include "core/error.h"
#include "data/cells.h"
#include "data/csv.h"
#include "data/huge_pages.h"
#include "data/text.h"
#include "data/unnamed.h"
#include "data/weight_column.h"

namespace nnfit::data {
namespace {

constexpr std::size_t kMaxListedLines = 10;
constexpr auto kMaxIndex = static_cast<std::size_t>(std::numeric_limits<Index>::max());

using Fields = std::vector<std::string_view>;

// The (nf, N) matrix built one column (= one CSV row) at a time, at most max_cols of them.
// Capacity grows through conservativeResize, which for a column-major float matrix is a realloc:
// large blocks are remapped by the allocator rather than copied, and nothing is zero-filled.
// Reading a file of known size, the first growth reserves for the rows that the bytes left
// should hold (with a margin; pages never written cost no memory), so that the matrix is
// allocated once and can have huge pages (see advise_huge_pages).
class ColumnBuffer {
 public:
  ColumnBuffer(std::size_t nf, const CsvReader& r, Index max_cols)
      : m_(static_cast<Index>(nf), 0), r_(r), max_cols_(max_cols), start_(r.offset()) {}
  float* append() {
    if (n_ == m_.cols()) grow();
    return m_.col(n_++).data();
  }
  Index cols() const { return n_; }
  Matrix take() {
    m_.conservativeResize(Eigen::NoChange, n_);
    return std::move(m_);
  }

 private:
  void grow() {
    Index cols = std::max<Index>(64, 2 * n_);
    const unsigned long long read = r_.offset() - start_;
    if (n_ > 0 && r_.size() > r_.offset() && read > 0) {
      const double left = static_cast<double>(r_.size() - r_.offset());
      const double rows = left * static_cast<double>(n_) / static_cast<double>(read);
      cols = std::max(cols, n_ + 64 + static_cast<Index>(std::min(1.25 * rows, 1e15)));
    }
    const bool reserve = cols > 2 * n_;  // from the estimate: the last growth, most likely
    m_.conservativeResize(Eigen::NoChange, std::max(n_ + 1, std::min(cols, max_cols_)));
    if (reserve) {
      detail::advise_huge_pages(m_.data(), static_cast<std::size_t>(m_.size()) * sizeof(float));
    }
  }
  Matrix m_;
  const CsvReader& r_;
  Index max_cols_;
  unsigned long long start_;  // r_.offset() before the first column
  Index n_ = 0;
};

std::string where(const CsvReader& r) { return r.source() + ":" + std::to_string(r.line()); }

std::string column_label(const std::vector<std::string>& names, std::size_t col) {
  return "column " + data::quoted(names[col]) + " (" + std::to_string(col + 1) + ")";
}

bool is_blank(const Fields& fields) { return fields.size() == 1 && trim(fields[0]).empty(); }

// A CsvReader plus what loading needs around it: the column names (from the header, or "0",
// "1", ... without one), blank lines skipped and listed in one warning by finish(), the row
// length check, and cell parsing with one warning per column for trimmed or underflowing cells.
class Table {
 public:
  Table(CsvReader& r, const CsvOptions& options) : r_(r), options_(options) {}
  // Reads the header, or names the columns after the first row (which next_row returns first).
  void read_names();
  const std::vector<std::string>& names() const { return names_; }
  // The next non-blank row, checked to have names().size() fields; false at the end. With
  // `plain`, a plain row is not split (see CsvReader::next): *plain holds it, else is empty.
  bool next_row(Fields& fields, std::string_view* plain = nullptr);
  // The target cell, trimmed (one warning per column when that changed it).
  std::string_view target(std::string_view cell, std::size_t col);
  // The error message for a missing target cell on the current row.
  std::string missing_target(std::string_view label, std::size_t col) const;
  void finish() const;

 private:
  bool next_nonblank(Fields& fields, std::string_view* plain = nullptr);
  void warn_numeric_header() const;
  void warn(std::vector<char>& done, std::size_t col, const std::string& what);

  CsvReader& r_;
  const CsvOptions& options_;
  std::vector<std::string> names_;
  Fields first_row_;  // without a header: the row the names were taken from
  bool has_first_row_ = false;
  std::vector<char> warned_space_;     // per column (target)
  std::vector<unsigned> blank_lines_;  // the first kMaxListedLines
  std::size_t blank_count_ = 0;
};

bool Table::next_nonblank(Fields& fields, std::string_view* plain) {
  std::string_view unused;
  const std::size_t count = plain != nullptr ? names_.size() : 0;
  while (r_.next(fields, count, plain != nullptr ? *plain : unused)) {
    if ((plain != nullptr && !plain->empty()) || !is_blank(fields)) return true;
    if (blank_lines_.size() < kMaxListedLines) blank_lines_.push_back(r_.line());
    ++blank_count_;
  }
  return false;
}

void Table::read_names() {
  if (!next_nonblank(first_row_)) {
    throw DataError(r_.source() + ": empty file (expected " +
                    (options_.header ? "a header row with column names)" : "data rows)"));
  }
  for (std::size_t c = 0; c < first_row_.size(); ++c) {
    names_.emplace_back(options_.header ? std::string(trim(first_row_[c])) : std::to_string(c));
  }
  has_first_row_ = !options_.header;
  warned_space_.assign(names_.size(), 0);
  if (options_.header) warn_numeric_header();
}

// A header whose every name is a number is probably the first data row of a file without one.
void Table::warn_numeric_header() const {
  double unused = 0.0;
  for (const std::string& name : names_) {
    if (!parse_number(name, unused)) return;
  }
  if (options_.warn) {
    options_.warn(where(r_) + ": every header name is a number (" + list_names(names_) +
                  "); if the file has no header row, pass --no-header (and --target INDEX)");
  }
}

bool Table::next_row(Fields& fields, std::string_view* plain) {
  if (plain != nullptr) *plain = {};
  if (has_first_row_) {
    has_first_row_ = false;
    fields.swap(first_row_);
  } else if (!next_nonblank(fields, plain)) {
    return false;
  }
  if (plain != nullptr && !plain->empty()) return true;  // names_.size() fields
  if (fields.size() != names_.size()) {
    const std::string n = std::to_string(names_.size());
    throw DataError(where(r_) + ": " + std::to_string(fields.size()) + " fields, expected " + n +
                    (options_.header ? " (header has " + n + " columns)"
                                     : " (the first row has " + n + " fields)") +
                    "; quote fields that contain " + delimiter_name(r_.delimiter()));
  }
  return true;
}

void Table::warn(std::vector<char>& done, std::size_t col, const std::string& what) {
  done[col] = 1;
  if (options_.warn) options_.warn(where(r_) + ": " + column_label(names_, col) + ": " + what);
}

std::string_view Table::target(std::string_view cell, std::size_t col) {
  const std::string_view label = trim(cell);
  if (label.size() != cell.size() && !warned_space_[col]) {
    warn(warned_space_, col, "surrounding whitespace in " + data::quoted(cell) + " trimmed");
  }
  return label;
}

std::string Table::missing_target(std::string_view label, std::size_t col) const {
  const std::string what = label.empty() ? "cell is empty" : data::quoted(label) + " is missing";
  return where(r_) + ": target " + column_label(names_, col) + ": " + what +
         " (every row needs a target value; fill it in or drop the row)";
}

// The one warning about skipped blank lines, e.g. "d.csv: skipped 3 blank lines (5, 9, 12)".
void Table::finish() const {
  if (blank_count_ == 0 || !options_.warn) return;
  std::string list;
  for (unsigned line : blank_lines_) list += (list.empty() ? "" : ", ") + std::to_string(line);
  if (blank_count_ > blank_lines_.size()) list += ", ...";
  options_.warn(r_.source() + ": skipped " + std::to_string(blank_count_) + " blank line" +
                (blank_count_ == 1 ? "" : "s") + " (" + list + ")");
}

void check_unique(const CsvReader& r, const std::vector<std::string>& names) {
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t c = 0; c < names.size(); ++c) {
    const auto [it, fresh] = seen.emplace(names[c], c);
    if (!fresh) {
      throw DataError(where(r) + ": duplicate column name " + data::quoted(names[c]) + " (columns " +
                      std::to_string(it->second + 1) + " and " + std::to_string(c + 1) +
                      "); rename one of them");
    }
  }
}

std::size_t find_target(const CsvReader& r, const std::vector<std::string>& names,
                        const std::string& target) {
  if (target.empty()) return default_target(names);
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (names[c] == target) return c;
  }
  const bool is_index = target.find_first_not_of("0123456789") == std::string::npos;
  if (!is_index) {
    throw DataError(where(r) + ": target column " + data::quoted(target) +
                    " not found; available columns: " + list_names(names));
  }
  if (target.size() > 9 || std::stoul(target) >= names.size()) {
    throw DataError(where(r) + ": target column index " + target + " is out of range (header has " +
                    std::to_string(names.size()) + " columns; indexes are 0-based, 0.." +
                    std::to_string(names.size() - 1) + ")");
  }
  return std::stoul(target);
}

// in[c]: column c is named in `list` (the values of `flag`, e.g. "--ignore"). Every name must
// exist and must not be the target.
std::vector<bool> named_columns(const CsvReader& r, const std::vector<std::string>& names,
                                std::size_t target, const std::vector<std::string>& list,
                                const std::string& flag) {
  std::vector<bool> in(names.size(), false);
  for (const std::string& name : list) {
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      throw DataError(r.source() + ": " + flag + " names column " + data::quoted(name) +
                      ", which the header does not have; check the spelling (names are "
                      "case-sensitive). Columns: " +
                      list_names(names));
    }
    const auto c = static_cast<std::size_t>(it - names.begin());
    if (c == target) throw ConfigError(flag + " " + data::quoted(name) + " names the target column");
    in[c] = true;
  }
  return in;
}

constexpr std::size_t kNoColumn = static_cast<std::size_t>(-1);

// The file column of options.weight_column, or kNoColumn without one. A DataError if the header
// lacks it; a ConfigError if it is the target, or also --ignore'd or --categorical.
std::size_t find_weight_column(const CsvReader& r, const std::vector<std::string>& names,
                               std::size_t target, const CsvOptions& options) {
  const std::string& name = options.weight_column;
  if (name.empty()) return kNoColumn;
  const std::vector<bool> in = named_columns(r, names, target, {name}, "--weight-column");
  for (const auto* list : {&options.ignore, &options.categorical}) {
    if (std::find(list->begin(), list->end(), name) != list->end()) {
      throw ConfigError("--weight-column " + data::quoted(name) + " is also given to " +
                        (list == &options.ignore ? "--ignore" : "--categorical") +
                        "; the weight column is read as numbers and is not a feature");
    }
  }
  return static_cast<std::size_t>(std::find(in.begin(), in.end(), true) - in.begin());
}

// The weight in cell (column col of the current row); a bad cell is recorded, reads as 0.
Scalar read_weight(detail::CellReader& cells, const CsvReader& r,
                   const std::vector<std::string>& names, std::string_view cell, std::size_t col,
                   char decimal) {
  const std::string_view trimmed = trim(cell);
  double v = 0;
  const std::string problem = weight_problem(trimmed, cells.is_missing(trimmed), decimal, v);
  if (problem.empty()) return static_cast<Scalar>(v);
  const unsigned line = r.line();
  cells.add_bad(line, col,
                [&] { return weight_error(r.source(), line, names[col], col, problem); });
  return 0;
}

// The type each column is read as: --categorical columns are categories; the others are
// inferred, or must be numeric when reading against a model's schema.
void set_types(detail::CellReader& cells, const std::vector<bool>& categorical,
               const CsvOptions& options) {
  for (std::size_t c = 0; c < categorical.size(); ++c) {
    if (categorical[c]) {
      cells.set_type(c, detail::ColumnType::kCategorical);
    } else if (!options.infer_types) {
      cells.set_type(c, detail::ColumnType::kNumeric);
    }
  }
}

// Warns once about the columns of the file that are neither used nor expected to be skipped.
void warn_unused_columns(const CsvReader& r, const std::vector<std::string>& names,
                         const std::vector<std::size_t>& used, const CsvOptions& options) {
  if (!options.warn) return;
  std::string extra;
  for (std::size_t c = 0; c < names.size(); ++c) {
    const bool is_used = std::find(used.begin(), used.end(), c) != used.end();
    const auto& ig = options.ignore;
    if (is_used || std::find(ig.begin(), ig.end(), names[c]) != ig.end()) continue;
    extra += (extra.empty() ? "" : ", ") + data::quoted(names[c]);
  }
  if (!extra.empty()) {
    options.warn(r.source() + ": ignoring columns the model does not use: " + extra);
  }
}

// slots[c]: the row of the feature matrix that file column c fills, -1 for none. Empty, for no
// plain rows (see CellReader::read_plain), if a column fills two or if the delimiter can be part
// of a plain decimal.
std::vector<int> feature_slots(std::size_t columns, const std::vector<std::size_t>& features,
                               char delimiter) {
  if ((delimiter >= '0' && delimiter <= '9') || delimiter == '.' || delimiter == '-') return {};
  std::vector<int> slots(columns, -1);
  for (std::size_t f = 0; f < features.size(); ++f) {
    if (slots[features[f]] >= 0) return {};
    slots[features[f]] = static_cast<int>(f);
  }
  return slots;
}

// Reads the feature cells of the current row into out, from the plain line if there is one
// (see Table::next_row), else from fields.
void read_row(detail::CellReader& cells, const CsvReader& r, std::string_view plain,
              const std::vector<std::size_t>& features, float* out, Fields& fields) {
  if (!plain.empty()) return cells.read_plain(plain, r.delimiter(), out, fields, r.line());
  for (std::size_t c : features) *out++ = cells.read(fields[c], c, r.line());
}

// After an error that stops the reading (a row of the wrong length, a quote left open): a bad
// cell read before it comes first in file order, so it is reported instead, with the cells
// counted so far.
void report_earlier_cells(detail::CellReader& cells, const Dataset& d, const DataError& later) {
  if (!cells.has_bad()) return;
  cells.set_stopped_by(later.what());
  cells.report_bad_cells(d);
}

Dataset read_dataset_from(CsvReader& r, const std::string& target, const CsvOptions& options) {
  Table table(r, options);
  table.read_names();
  const std::vector<std::string>& names = table.names();
  check_unique(r, names);
  if (names.size() < 2) {
    throw DataError(where(r) + ": only one column (delimiter " + delimiter_name(r.delimiter()) +
                    "); need at least one feature column besides the target (is the delimiter "
                    "right? pass --delimiter)");
  }
  const std::size_t t = find_target(r, names, target);
  const std::size_t wcol = find_weight_column(r, names, t, options);
  const std::vector<bool> skip = named_columns(r, names, t, options.ignore, "--ignore");
  const std::vector<bool> categorical =
      named_columns(r, names, t, options.categorical, "--categorical");
  Dataset d;
  d.source = r.source();
  d.target_name = names[t];
  d.decimal = options.decimal;
  if (wcol != kNoColumn) d.weight_name = names[wcol];
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (c != t && c != wcol && !skip[c]) {
      d.feature_names.push_back(names[c]);
      d.feature_columns.push_back(c);
    }
  }
  if (d.feature_names.empty()) {
    throw DataError(r.source() + ": no feature columns left after --ignore and the target");
  }
  detail::CellReader cells(r.source(), names, options);
  set_types(cells, categorical, options);
  ColumnBuffer columns(d.feature_names.size(), r, std::numeric_limits<Index>::max());
  const std::vector<int> slots = feature_slots(names.size(), d.feature_columns, r.delimiter());
  cells.plan_plain(slots);
  std::string_view plain;
  std::string_view* const plain_rows = slots.empty() ? nullptr : &plain;  // see Table::next_row
  Fields fields;
  try {
    while (table.next_row(fields, plain_rows)) {
      read_row(cells, r, plain, d.feature_columns, columns.append(), fields);
      const unsigned line = r.line();
      const std::string_view label = table.target(fields[t], t);
      if (cells.is_missing(label)) {
        cells.add_bad(line, t, [&] { return table.missing_target(label, t); });
      }
      d.target.push_back(label);
      d.lines.push_back(line);
      if (wcol != kNoColumn) {
        d.weights.push_back(read_weight(cells, r, names, fields[wcol], wcol, options.decimal));
      }
    }
  } catch (const DataError& e) {
    report_earlier_cells(cells, d, e);
    throw;
  }
  if (d.target.empty()) throw DataError(where(r) + ": no data rows after the header");
  table.finish();
  d.x = columns.take();
  detail::drop_unnamed_columns(d, cells, options.warn);
  if (target.empty() && t + 1 != names.size() && d.feature_columns.back() == names.size() - 1) {
    throw DataError(r.source() + ": the last column (" + std::to_string(names.size()) +
                    ") has no name but has values; name it in the header (and pass --target "
                    "NAME if it is the target)");
  }
  cells.finish(d);
  return d;
}

// The column of each of feature_names in names; a DataError for a missing or duplicated one.
std::vector<std::size_t> find_columns(const CsvReader& r, const std::vector<std::string>& names,
                                      const std::vector<std::string>& feature_names) {
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t c = 0; c < names.size(); ++c) index.emplace(names[c], c);
  std::vector<std::size_t> cols;
  for (const auto& name : feature_names) {
    const auto it = index.find(name);
    if (it == index.end()) {
      throw DataError(where(r) + ": column " + data::quoted(name) +
                      " not found; the model needs it. Available columns: " + list_names(names));
    }
    for (std::size_t c = it->second + 1; c < names.size(); ++c) {
      if (names[c] == name) check_unique(r, names);  // reports the duplicate
    }
    cols.push_back(it->second);
  }
  return cols;
}

}  // namespace

Dataset read_dataset(const std::string& path, const std::string& target,
                     const CsvOptions& options) {
  CsvReader r(path, options);
  return read_dataset_from(r, target, options);
}

Dataset read_dataset(const std::string& name, std::istream& in, const std::string& target,
                     const CsvOptions& options) {
  CsvReader r(name, in, options);
  return read_dataset_from(r, target, options);
}

struct FeatureStream::Impl {
  CsvOptions options;  // a schema is given: no type inference
  std::unique_ptr<CsvReader> reader;
  std::unique_ptr<Table> table;
  std::unique_ptr<detail::CellReader> cells;
  Dataset schema;  // source, names and file columns; no rows
  std::vector<std::size_t> keep;
  std::vector<int> slots;  // see feature_slots
  Fields fields;
  std::string_view plain;
  std::size_t rows = 0;
  bool done = false;
  bool allow_no_rows = false;

  Impl(std::unique_ptr<CsvReader> r, const CsvOptions& o) : options(o), reader(std::move(r)) {
    options.infer_types = false;
  }
  void open(const std::vector<std::string>& feature_names, const std::vector<std::string>& kept);
  bool next(Dataset& chunk, std::vector<std::string>* kept, std::size_t max_rows);
  // After a bad cell: reads the rest of the file only to count its bad cells.
  void count_rest();
};

void FeatureStream::Impl::count_rest() {
  while (table->next_row(fields)) {
    const unsigned line = reader->line();
    for (std::size_t c : schema.feature_columns) cells->read(fields[c], c, line);
  }
}

void FeatureStream::Impl::open(const std::vector<std::string>& feature_names,
                               const std::vector<std::string>& kept) {
  CsvReader& r = *reader;
  if (feature_names.empty()) throw DataError(r.source() + ": no feature columns requested");
  table = std::make_unique<Table>(r, options);
  table->read_names();
  const std::vector<std::string>& names = table->names();
  schema.source = r.source();
  schema.feature_names = feature_names;
  schema.feature_columns = find_columns(r, names, feature_names);
  for (const std::string& name : kept) {
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      throw DataError(where(r) + ": column " + data::quoted(name) + " not found (" + options.keep_reason +
                      "). Available columns: " + list_names(names));
    }
    keep.push_back(static_cast<std::size_t>(it - names.begin()));
  }
  CsvOptions expected = options;  // kept columns are used, so no "ignoring" warning for them
  expected.ignore.insert(expected.ignore.end(), kept.begin(), kept.end());
  warn_unused_columns(r, names, schema.feature_columns, expected);
  std::vector<bool> categorical(names.size(), false);
  for (const std::string& name : options.categorical) {
    const auto it = std::find(feature_names.begin(), feature_names.end(), name);
    if (it != feature_names.end()) {
      categorical[schema.feature_columns[static_cast<std::size_t>(it - feature_names.begin())]] =
          true;
    }
  }
  cells = std::make_unique<detail::CellReader>(r.source(), names, options);
  set_types(*cells, categorical, options);
  slots = feature_slots(names.size(), schema.feature_columns, r.delimiter());
  cells->plan_plain(slots, keep);  // the kept cells' text is wanted
}

bool FeatureStream::Impl::next(Dataset& chunk, std::vector<std::string>* kept,
                               std::size_t max_rows) {
  chunk = schema;
  if (kept != nullptr) kept->clear();
  if (done) return false;
  ColumnBuffer columns(schema.feature_columns.size(), *reader,
                       static_cast<Index>(std::min<std::size_t>(max_rows, kMaxIndex)));
  std::size_t n = 0;
  try {
    while (n < max_rows && table->next_row(fields, slots.empty() ? nullptr : &plain)) {
      read_row(*cells, *reader, plain, schema.feature_columns, columns.append(), fields);
      chunk.lines.push_back(reader->line());
      if (kept != nullptr) {
        for (std::size_t c : keep) kept->emplace_back(fields[c]);
      }
      ++n;
    }
    if (cells->has_bad()) count_rest();  // the error names the first bad cell and counts all
  } catch (const DataError& e) {
    report_earlier_cells(*cells, schema, e);
    throw;
  }
  rows += n;
  if (n < max_rows) {
    if (rows == 0 && !allow_no_rows) {
      throw DataError(where(*reader) + ": no data rows after the header");
    }
    table->finish();
    done = true;
  }
  if (n == 0) return false;
  chunk.x = columns.take();
  cells->finish(chunk);
  return true;
}

FeatureStream::FeatureStream(const std::string& path, const std::vector<std::string>& feature_names,
                             const CsvOptions& options, const std::vector<std::string>& keep)
    : impl_(std::make_unique<Impl>(std::make_unique<CsvReader>(path, options), options)) {
  impl_->open(feature_names, keep);
}

FeatureStream::FeatureStream(const std::string& name, std::istream& in,
                             const std::vector<std::string>& feature_names,
                             const CsvOptions& options, const std::vector<std::string>& keep)
    : impl_(std::make_unique<Impl>(std::make_unique<CsvReader>(name, in, options), options)) {
  impl_->open(feature_names, keep);
}

FeatureStream::~FeatureStream() = default;

void FeatureStream::allow_no_rows() { impl_->allow_no_rows = true; }

long FeatureStream::keep_if_present(const std::string& name) {
  const std::vector<std::string>& names = impl_->table->names();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return -1;
  impl_->keep.push_back(static_cast<std::size_t>(it - names.begin()));
  impl_->cells->plan_plain(impl_->slots, impl_->keep);
  return static_cast<long>(impl_->keep.back());
}

bool FeatureStream::next(Dataset& chunk, std::vector<std::string>* kept, std::size_t max_rows) {
  return impl_->next(chunk, kept, max_rows);
}

namespace {

constexpr std::size_t kAllRows = std::numeric_limits<std::size_t>::max();

}  // namespace

Dataset read_features(const std::string& path, const std::vector<std::string>& feature_names,
                      const CsvOptions& options) {
  FeatureStream stream(path, feature_names, options);
  Dataset d;
  stream.next(d, nullptr, kAllRows);
  return d;
}

Dataset read_features(const std::string& name, std::istream& in,
                      const std::vector<std::string>& feature_names, const CsvOptions& options) {
  FeatureStream stream(name, in, feature_names, options);
  Dataset d;
  stream.next(d, nullptr, kAllRows);
  return d;
}

}  // namespace nnfit::data
