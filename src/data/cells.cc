// Feature cells: numbers, categories, missing values, and the mixed-column check.
#include "data/cells.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.h"
#include "data/dataset.h"
#include "data/text.h"

namespace nnfit::data::detail {
namespace {

// "1,5" or "-0,25": a number written with a decimal comma (a spreadsheet in a German or French
// locale). The reader is locale-independent on purpose, so say what is wrong.
std::string decimal_comma_note(std::string_view value) {
  std::size_t i = value.empty() || (value[0] != '-' && value[0] != '+') ? 0 : 1;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < value.size() && value[i] >= '0' && value[i] <= '9') ++i;
    return i > start;
  };
  if (!digits() || i >= value.size() || value[i] != ',') return "";
  ++i;
  if (!digits() || i != value.size()) return "";
  return " (it looks like a decimal comma: nnfit reads numbers with '.' as the decimal point "
         "unless given --decimal , (with a delimiter other than ','); pass it, or re-export the "
         "file with '.' decimals)";
}

// For a common missing-value marker (NA, N/A, NaN, null, ?, -, ...) in training data: the flags
// that read it as missing and fill it; "" for any other value.
std::string missing_marker_hint(std::string_view value) {
  static const char* kMarkers[] = {"na", "n/a", "nan", "null", "none",    "nil",     "?",
                                   "-",  "--",  ".",   "#n/a", "missing", "unknown", "empty"};
  std::string lower(value);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const char* m : kMarkers) {
    if (lower == m) {
      return "; " + quoted(value) + " looks like a missing-value marker: pass --na-values " +
             shell_quoted(value) + " --impute mean|median|mode to fill such cells";
    }
  }
  return "";
}

}  // namespace

CellReader::CellReader(std::string source, const std::vector<std::string>& names,
                       const CsvOptions& options)
    : source_(std::move(source)),
      names_(names),
      options_(options),
      fast_(options.na_values.empty() && options.decimal == '.'),
      columns_(names.size()),
      plain_(names.size(), fast_),
      numbers_(names.size(), 0) {}

// Why a cell that looks like a number is not one under the decimal mark in use.
std::string CellReader::decimal_note(std::string_view value) const {
  double unused = 0.0;
  if (options_.decimal == '.') return decimal_comma_note(value);
  if (parse_number_status(value, unused) != NumberStatus::kOk) return "";
  return " (with --decimal , the decimal mark is ',', not '.'; leave --decimal out for '.' "
         "decimals)";
}

std::string CellReader::label(std::size_t col) const {
  return "column " + quoted(names_[col]) + " (" + std::to_string(col + 1) + ")";
}

void CellReader::warn(std::size_t col, unsigned line, const std::string& what) const {
  if (options_.warn) {
    options_.warn(source_ + ":" + std::to_string(line) + ": " + label(col) + ": " + what);
  }
}

bool CellReader::is_missing(std::string_view trimmed) const {
  if (trimmed.empty()) return true;
  const auto& na = options_.na_values;
  return std::find(na.begin(), na.end(), trimmed) != na.end();
}

// Everything but a plain decimal in a numeric or undecided column: whitespace, missing
// markers, other number spellings, text.
float CellReader::read_other(std::string_view cell, std::size_t col, unsigned line) {
  Column& c = columns_[col];
  const std::string_view text = trim(cell);
  if (text.size() != cell.size() && !c.warned_space) {
    c.warned_space = true;
    warn(col, line, "surrounding whitespace in " + quoted(cell) + " trimmed");
  }
  if (is_missing(text)) return missing(text, col, line);
  if (c.type == ColumnType::kCategorical) return category(c, text, line);
  double v = 0.0;
  std::string buf;
  const std::string_view number = number_text(text, buf);
  const NumberStatus status = parse_number_status(number, v);
  if (status == NumberStatus::kOk) {
    if (!c.warned_underflow && underflows_float(number, v)) {
      c.warned_underflow = true;
      warn(col, line, quoted(text) + " is below float's smallest magnitude (1.4e-45); read as 0");
    }
    if (numbers_[col]++ == 0) note_first_number(col, text, line);
    return to_float(number, v);
  }
  // nan, inf and 1e309 look like numbers, so in a column that has no text yet they are errors
  // rather than the start of a categorical column.
  const bool looks_numeric = status != NumberStatus::kNotANumber;
  if (c.type == ColumnType::kNumeric || (looks_numeric && c.categories.empty())) {
    return not_a_number(text, col, line);
  }
  return category(c, text, line);
}

float CellReader::category(Column& c, std::string_view value, unsigned line) {
  const auto [it, fresh] =
      c.index.try_emplace(std::string(value), static_cast<float>(c.categories.size()));
  ++c.texts;
  if (fresh) {
    if (c.categories.empty()) c.first_text = {line, it->first};
    c.categories.push_back(it->first);
  }
  return it->second;
}

float CellReader::missing(std::string_view trimmed, std::size_t col, unsigned line) {
  Column& c = columns_[col];
  ++c.missing_seen;
  if (options_.allow_missing) return std::numeric_limits<float>::quiet_NaN();
  if (c.missing++ == 0) c.first_missing = {line, std::string(trimmed)};
  ++missing_;
  return std::numeric_limits<float>::quiet_NaN();
}

std::string CellReader::missing_message(const Cell& cell, std::size_t col) const {
  const std::string what =
      cell.value.empty() ? "empty cell" : quoted(cell.value) + ", a --na-values token";
  // Read against a model's schema (predict, --val-data), --impute is a training option.
  const char* todo = options_.infer_types
                         ? "); fill it in, drop the row, or pass --impute mean|median|mode to "
                           "fill missing values from the training data"
                         : "); fill it in or drop the row; only a model trained with --impute "
                           "mean|median|mode fills missing cells";
  return source_ + ":" + std::to_string(cell.line) + ": " + label(col) + ": missing value (" +
         what + todo;
}

float CellReader::not_a_number(std::string_view value, std::size_t col, unsigned line) {
  bad_.add(line, col, 1, [&] { return not_a_number_message(value, col, line); });
  return std::numeric_limits<float>::quiet_NaN();
}

std::string CellReader::not_a_number_message(std::string_view value, std::size_t col,
                                             unsigned line) const {
  double unused = 0.0;
  const NumberStatus status = parse_number_status(value, unused, options_.decimal);
  const bool schema = columns_[col].type == ColumnType::kNumeric;
  std::string hint =
      schema ? "; the column is numeric in the model: fix the cell, or mark it "
               "missing with --na-values " +
                   shell_quoted(value) + " (for a model trained with --impute)"
             : "; fix the cell, or mark it missing with --na-values " + shell_quoted(value);
  if (status == NumberStatus::kNotANumber) {
    hint += schema ? ", or train with --categorical " + shell_quoted(names_[col]) +
                         " to read the column as categories"
                   : ", or read the column as categories with --categorical " +
                         shell_quoted(names_[col]);
  }
  const std::string marker = schema ? "" : missing_marker_hint(value);
  if (!marker.empty()) hint = marker + ", or fix the cell";
  return source_ + ":" + std::to_string(line) + ": " + label(col) + ": " + quoted(value) +
         number_problem(status) + decimal_note(value) + hint;
}

// The cell of the minority kind is the likely mistake: a stray word in a numeric column, or a
// number among categories.
std::string CellReader::mixed_message(const Column& c, std::size_t col) const {
  const std::size_t numbers = this->numbers(col);
  const bool text_is_odd = c.texts <= numbers;
  const Cell& odd = text_is_odd ? c.first_text : c.first_number;
  const Cell& other = text_is_odd ? c.first_number : c.first_text;
  const std::string head =
      source_ + ":" + std::to_string(odd.line) + ": " + label(col) + ": " + quoted(odd.value);
  const std::string others =
      " (first at line " + std::to_string(other.line) + ": " + quoted(other.value) + ")";
  const std::string as_categories =
      "read the whole column as categories with --categorical " + shell_quoted(names_[col]);
  if (text_is_odd) {
    return head + " is not a number" + decimal_note(odd.value) + ", but " +
           std::to_string(numbers) + " other cells of the column are" + others +
           missing_marker_hint(odd.value) + "; fix the cell, mark it missing with --na-values " +
           shell_quoted(odd.value) + ", or " + as_categories;
  }
  // Free text with a few numbers: as categories, --max-categories would drop it anyway.
  const std::size_t limit = options_.max_categories;
  const std::string way = limit != 0 && c.categories.size() > limit
                              ? "drop the column with --ignore " + shell_word(names_[col]) +
                                    " (its " + std::to_string(c.categories.size()) +
                                    " distinct text values are more than " + "--max-categories " +
                                    std::to_string(limit) + " keeps as categories)"
                              : as_categories;
  return head + " is a number, but " + std::to_string(c.texts) +
         " other cells of the column are text" + others +
         "; fix the cell, mark it missing with --na-values " + shell_quoted(odd.value) + ", or " +
         way;
}

// Every kind of bad cell together, the first in file order (line, then column) named, so that
// fixing the errors top to bottom works: cells found bad as read, missing cells, and the odd
// cells of mixed columns.
void CellReader::report_bad_cells(const Dataset& d) const {
  BadCells bad = bad_;
  for (std::size_t col : d.feature_columns) {
    const Column& c = columns_[col];
    bad.add(c.first_missing.line, col, c.missing,
            [&] { return missing_message(c.first_missing, col); });
    const std::size_t numbers = this->numbers(col);
    if (c.type == ColumnType::kCategorical || numbers == 0 || c.categories.empty()) continue;
    const bool text_is_odd = c.texts <= numbers;
    const unsigned line = text_is_odd ? c.first_text.line : c.first_number.line;
    bad.add(line, col, text_is_odd ? c.texts : numbers, [&] { return mixed_message(c, col); });
  }
  bad.throw_if_any();
}

// A column read as text whose every category is a number with the other decimal mark ("5,1", or
// "5.1" with --decimal ,): one-hot encoding it would be silently wrong, so it is an error naming
// its first cell.
void CellReader::check_decimal_commas(const Dataset& d) const {
  for (std::size_t col : d.feature_columns) {
    const Column& c = columns_[col];
    if (c.type != ColumnType::kAuto || c.categories.empty()) continue;
    const bool all = std::all_of(c.categories.begin(), c.categories.end(),
                                 [this](const std::string& v) { return !decimal_note(v).empty(); });
    if (!all) continue;
    throw DataError(source_ + ":" + std::to_string(c.first_text.line) + ": " + label(col) + ": " +
                    quoted(c.first_text.value) + " is not a number" +
                    decimal_note(c.first_text.value) +
                    ", and no cell of the column is; "
                    "to keep the values as categories instead, pass --categorical " +
                    shell_quoted(names_[col]));
  }
}

void CellReader::finish(Dataset& d) const {
  report_bad_cells(d);
  check_decimal_commas(d);
  const std::size_t nf = d.feature_columns.size();
  d.categorical.assign(nf, false);
  d.categories.assign(nf, {});
  for (std::size_t f = 0; f < nf; ++f) {
    const std::size_t col = d.feature_columns[f];
    const Column& c = columns_[col];
    if (c.type != ColumnType::kCategorical && c.categories.empty()) continue;
    // Byte order, so that the category order (and the model) does not depend on row order.
    std::vector<std::size_t> order(c.categories.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return c.categories[a] < c.categories[b]; });
    std::vector<float> remap(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
      remap[order[k]] = static_cast<float>(k);
      d.categories[f].push_back(c.categories[order[k]]);
    }
    d.categorical[f] = true;
    const auto row = static_cast<Index>(f);
    for (Index j = 0; j < d.x.cols(); ++j) {
      const float v = d.x(row, j);
      if (!std::isnan(v)) d.x(row, j) = remap[static_cast<std::size_t>(v)];
    }
  }
}

}  // namespace nnfit::data::detail
