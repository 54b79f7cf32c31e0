// Reading the feature cells of one file: each column ends up numeric or categorical, missing
// cells (empty, or a --na-values token) become NaN or an error, and a column that mixes numbers
// and text is an error naming its first offending cell. Used by read_dataset / read_features.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/types.h"
#include "data/bad_cells.h"
#include "data/csv.h"

namespace nnfit::data {

struct Dataset;

namespace detail {

enum class ColumnType {
  kAuto,         // numeric if every value is a number, categorical if none is, else an error
  kNumeric,      // every value must be a number (predict and validation files)
  kCategorical,  // every value is a category, numbers included (--categorical)
};

class CellReader {
 public:
  // names: all columns of the file; options: na_values, allow_missing, warn.
  CellReader(std::string source, const std::vector<std::string>& names, const CsvOptions& options);
  void set_type(std::size_t col, ColumnType type) {
    columns_[col].type = type;
    plain_[col] = fast_ && type != ColumnType::kCategorical;
  }

  // The value of a feature cell: a number, a category index (in order of first appearance until
  // finish()), or NaN for a missing or bad cell (recorded; finish() reports the bad cells).
  float read(std::string_view cell, std::size_t col, unsigned line) {
    double v = 0.0;
    if (plain_[col] && parse_plain_decimal(cell, v)) {
      if (numbers_[col]++ == 0) note_first_number(col, cell, line);
      return to_float(cell, v);  // the common case, kept small and inline
    }
    return read_other(cell, col, line);
  }
  // For read_plain, after the set_type calls and before the first row: slots[c] is the row of
  // the output that file column c fills, -1 for none (one column a row). Plain decimals of
  // features are read in place, except in the columns of `texts`, whose text is wanted too.
  void plan_plain(const std::vector<int>& slots, const std::vector<std::size_t>& texts = {});
  // The cells of a plain line (see CsvReader::next: a NUL byte follows text), cut at each
  // delimiter, which cannot be part of a number: a feature's value goes to out[slots[c]], as
  // read() gives it, in one pass over the line, and the text of every other cell to fields[c].
  // Cells that are not plain decimals are read after the others, in the order of their slots:
  // so are the warnings and errors about them, as read() called for each slot in turn gives.
  void read_plain(std::string_view text, char delimiter, float* out,
                  std::vector<std::string_view>& fields, unsigned line);
  // True if cell (trimmed) is a missing-value marker: empty or a --na-values token.
  bool is_missing(std::string_view trimmed) const;

  // True once a bad cell has been read (missing without allow_missing, not a number, not
  // finite): finish() will throw.
  bool has_bad() const { return !bad_.empty() || missing_ != 0; }
  // Missing cells read in column col, bad or not.
  std::size_t missing_in(std::size_t col) const { return columns_[col].missing_seen; }
  // A later error stopped the reading (see BadCells::set_stopped_by).
  void set_stopped_by(std::string later_error) { bad_.set_stopped_by(std::move(later_error)); }
  // Records a bad cell that is not a feature cell (the target), for the same report.
  template <typename F>
  void add_bad(unsigned line, std::size_t col, F message) {
    bad_.add(line, col, 1, message);
  }

  // After the last row. d.feature_columns names the file column of each row of d.x. Throws a
  // DataError naming the first bad cell in file order (line, then column) and the count of
  // the others (missing, not a number, not finite, the odd cells of mixed columns); sets
  // d.categorical and d.categories, with categories sorted in byte order and d.x remapped.
  void finish(Dataset& d) const;
  // The bad-cell error of finish() alone, if any cell was bad (d: feature_columns only).
  void report_bad_cells(const Dataset& d) const;

 private:
  struct Cell {
    unsigned line = 0;
    std::string value;
  };
  struct Column {
    ColumnType type = ColumnType::kAuto;
    std::size_t texts = 0;                         // cells read as text (numbers_: as numbers)
    std::unordered_map<std::string, float> index;  // category -> index (first appearance)
    std::vector<std::string> categories;           // by index
    std::size_t missing = 0;                       // missing cells without allow_missing: bad
    std::size_t missing_seen = 0;                  // missing cells, bad or not
    Cell first_number, first_text, first_missing;
    bool warned_space = false, warned_underflow = false;
  };

  // The first cell of column col read as a number (once numbers_[col] has been counted up from 0).
  void note_first_number(std::size_t col, std::string_view cell, unsigned line);
  // The cells of column col read as numbers.
  std::size_t numbers(std::size_t col) const;
  template <bool kCount>
  void read_plain_cells(const char* p, const char* end, char delimiter, float* out,
                        std::string_view* cells, unsigned line);
  const char* other_cell(const char* p, const char* end, char delimiter, std::size_t col,
                         std::string_view* cells, bool counted_row);
  float read_other(std::string_view cell, std::size_t col, unsigned line);
  // text as parse_number reads it under options_.decimal: text itself, or swapped into buf.
  std::string_view number_text(std::string_view text, std::string& buf) const {
    return options_.decimal == ',' ? std::string_view(buf = swap_decimal_mark(text)) : text;
  }
  float missing(std::string_view trimmed, std::size_t col, unsigned line);
  float category(Column& c, std::string_view value, unsigned line);
  float not_a_number(std::string_view value, std::size_t col, unsigned line);
  std::string not_a_number_message(std::string_view value, std::size_t col, unsigned line) const;
  std::string missing_message(const Cell& cell, std::size_t col) const;
  std::string mixed_message(const Column& c, std::size_t col) const;

  void check_decimal_commas(const Dataset& d) const;
  std::string decimal_note(std::string_view value) const;
  void warn(std::size_t col, unsigned line, const std::string& what) const;
  std::string label(std::size_t col) const;

  std::string source_;
  const std::vector<std::string>& names_;
  const CsvOptions& options_;
  bool fast_;  // no --na-values tokens, decimal '.': a plain decimal is always a number
  std::vector<Column> columns_;
  std::vector<char> plain_;  // per column: fast_ and not categorical, so a plain decimal is read
  // plan_plain's: per column, its slot for a plain decimal read in place; kNoSlot for no
  // feature; kNoSlot - 1 - slot for a feature read by read().
  static constexpr int kNoSlot = -1;
  std::vector<int> plan_;
  // Cells read as numbers, per column: numbers_ counts them one by one. Once each column read in
  // place has its first number (unnumbered_ is 0), read_plain counts its rows instead, and the
  // cells of such columns that it leaves to read() in uncounted_.
  std::vector<std::size_t> numbers_, uncounted_;
  std::size_t unnumbered_ = 0, counted_rows_ = 0;
  struct Pending {
    int slot;
    std::size_t col;
  };
  std::vector<Pending> pending_;  // read_plain's cells for read()
  BadCells bad_;             // cells found bad as read (not a number, not finite; the target)
  std::size_t missing_ = 0;  // missing cells without allow_missing, all columns
};

}  // namespace detail
}  // namespace nnfit::data
