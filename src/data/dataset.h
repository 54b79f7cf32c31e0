// Loading a CSV into a feature matrix plus raw target strings, and reading the feature
// columns of a prediction file.
// Every problem with the data is a nnfit::DataError naming file:line, column and value.
#pragma once

#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "core/types.h"
#include "data/csv.h"
#include "data/text_column.h"

namespace nnfit::data {

struct Dataset {
  std::string source;                       // file name
  std::vector<std::string> feature_names;   // header names of the feature columns, in file order
  std::vector<std::size_t> feature_columns; // 0-based file column of each feature (for messages)
  // Per feature: categorical (text) or numeric. For a categorical feature, categories holds its
  // distinct values (byte order) and x holds the index into them as a float; for a numeric one,
  // categories is empty and x holds the value. A missing cell is NaN in x either way.
  std::vector<bool> categorical;
  std::vector<std::vector<std::string>> categories;
  std::string target_name;
  Matrix x;                                 // (features, N) float
  TextColumn target;                        // the target cell of each row (unquoted, trimmed)
  std::vector<unsigned> lines;              // file line of each row, for messages
  // Unnamed columns the reader dropped (empty in every row, or a row index; see unnamed.h),
  // to be skipped at predict time like --ignore columns.
  std::vector<std::string> dropped;
  char decimal = '.';  // the decimal mark of the numbers (CsvOptions::decimal), for the target
  // CsvOptions::weight_column: its name and each row's weight (empty without one).
  std::string weight_name;
  std::vector<Scalar> weights;
};

// Reads a CSV (dialect, missing-value and column-type options and the warning sink in
// `options`; without a header row the columns are named "0", "1", ...). target: a column name,
// or a 0-based column index as a string (a name that matches a header wins over an index), or
// "" for the last column. All other columns except options.ignore are features:
//   - numeric if every value is a number (any strtod spelling, locale-independent);
//   - categorical if none is, or if named in options.categorical;
//   - a DataError naming the first cell of the minority kind if the column mixes numbers and text
//     ("FILE:LINE: column 'x' (2): 'abc' is not a number, but 120 other cells of the column are
//     (first at line 2: '5.1'); fix the cell, mark it missing with --na-values 'abc', or read
//     the whole column as categories with --categorical 'x'").
// Missing cells (empty, or an options.na_values token) are NaN with options.allow_missing, else a
// DataError naming the cell and suggesting --impute. Header names and cells are trimmed of
// surrounding spaces and tabs (one warning per column:
//   "FILE:LINE: column 'x' (2): surrounding whitespace in ' 5.1' trimmed");
// a value too small for float reads as 0 (one warning per column); blank lines are skipped (one
// warning at the end: "FILE: skipped 3 blank lines (5, 9, 12)").
// Bad cells (missing, nan/inf, text in a numeric column, mixed columns, a missing target) are
// reported after the whole file is read: the first in file order (line, then column), with the
// number of others. Errors (DataError), each naming file:line, the column by name and 1-based
// index, and the offending value:
//   - empty file; target name not found (lists the available columns); index out of range;
//     no feature column besides the target; duplicate header names; no data rows;
//   - a row with a different number of fields than the header
//     ("FILE:LINE: 4 fields, expected 5 (header has 5 columns)");
//   - nan, inf or a float-overflowing value ("'1e309' is out of range for float ...");
//   - a missing target cell; and the CsvReader errors (quotes, NUL bytes, invalid UTF-8);
//   - options.weight_column: not in the header, the target, --ignore'd or --categorical (a
//     ConfigError for the last three); a cell that is missing, not a number, not finite or
//     negative (see weight_column.h), reported with the bad cells.
// "-" as path reads stdin.
Dataset read_dataset(const std::string& path, const std::string& target,
                     const CsvOptions& options = {});
Dataset read_dataset(const std::string& name, std::istream& in, const std::string& target,
                     const CsvOptions& options = {});

// For prediction or a validation file: reads the columns named in feature_names (matched by
// header name, any order; other columns, including the target, are ignored with a warning
// unless in options.ignore). The columns in options.categorical are categorical, every other
// one must be numeric (options.infer_types is not used). A missing or duplicated column is
// a DataError naming it; cells are read as in read_dataset. The result has no target; its
// features are in the order of feature_names.
Dataset read_features(const std::string& path, const std::vector<std::string>& feature_names,
                      const CsvOptions& options = {});
Dataset read_features(const std::string& name, std::istream& in,
                      const std::vector<std::string>& feature_names,
                      const CsvOptions& options = {});

// read_features in chunks, for files larger than memory: the header is checked once (as
// read_features does), then next() returns up to max_rows rows at a time. Each chunk is a
// Dataset of its own with lines numbered in the file; its categorical columns carry the
// categories seen so far (Preprocessor::transform matches them by name). keep: columns whose
// raw cells (unquoted, untrimmed) are returned with each row, e.g. ids to pass through; any
// column of the file, the target included; a DataError naming a missing one.
class FeatureStream {
 public:
  FeatureStream(const std::string& path, const std::vector<std::string>& feature_names,
                const CsvOptions& options = {}, const std::vector<std::string>& keep = {});
  FeatureStream(const std::string& name, std::istream& in,
                const std::vector<std::string>& feature_names, const CsvOptions& options = {},
                const std::vector<std::string>& keep = {});
  ~FeatureStream();
  FeatureStream(const FeatureStream&) = delete;
  FeatureStream& operator=(const FeatureStream&) = delete;

  // The next chunk of at most max_rows (> 0) rows, and in *kept (if non-null) each row's kept
  // cells, row after row (rows * keep.size() strings). False at the end of the file, after the
  // end-of-file warnings (blank lines). A file without data rows is a DataError.
  bool next(Dataset& chunk, std::vector<std::string>* kept, std::size_t max_rows);
  // A file with a header and no data rows is not an error: next returns false at once (for
  // predict in a pipeline, where an empty selection is normal).
  void allow_no_rows();
  // Before the first next(): also keeps column name's cells (after the keep columns) if the
  // header has it; returns its 0-based file column, or -1 when the file lacks it.
  long keep_if_present(const std::string& name);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nnfit::data
