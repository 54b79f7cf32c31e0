// The history CSV through the project's CSV reader, so quoting, CRLF and a BOM are handled as
// everywhere else, and errors name file, line and column the same way.
#include "report/history_csv.h"

#include <cmath>
#include <limits>
#include <memory>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "data/csv.h"
#include "data/text.h"

namespace nnfit::report {
namespace {

constexpr const char* kHistoryExpected =
    "expected the CSV that nnfit train --history writes "
    "(epoch,train_loss,val_loss,val_acc,lr,seconds)";

long history_column(const std::vector<std::string_view>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (data::trim(header[i]) == name) return static_cast<long>(i);
  }
  return -1;
}

// A cell as a number: empty or nan -> NaN, inf -> inf (points not drawn); else a DataError.
double history_cell(std::string_view raw, const data::CsvReader& r, std::string_view column) {
  const std::string_view s = data::trim(raw);
  if (s.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::string_view bare = s;
  if (bare.front() == '-' || bare.front() == '+') bare.remove_prefix(1);
  if (bare == "nan" || bare == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (bare == "inf" || bare == "Inf") {
    return s.front() == '-' ? -std::numeric_limits<double>::infinity()
                            : std::numeric_limits<double>::infinity();
  }
  double v = 0;
  if (data::parse_number_status(s, v) != data::NumberStatus::kOk) {
    throw DataError(r.source() + ":" + std::to_string(r.line()) + ": column " +
                    data::quoted(column) + ": " + data::quoted(s) + " is not a number; " +
                    kHistoryExpected);
  }
  return v;
}

LearningCurve read_history(data::CsvReader& r) {
  std::vector<std::string_view> f;
  if (!r.next(f)) throw DataError(r.source() + ": the file is empty; " + kHistoryExpected);
  const std::vector<std::string> header(f.begin(), f.end());
  const std::vector<std::string_view> names(header.begin(), header.end());
  const long epoch = history_column(names, "epoch"), train = history_column(names, "train_loss");
  const long val = history_column(names, "val_loss");
  if (epoch < 0 || train < 0) {
    throw DataError(r.source() + ":1: no " + (epoch < 0 ? "'epoch'" : "'train_loss'") +
                    " column; " + kHistoryExpected);
  }
  LearningCurve c;
  while (r.next(f)) {
    if (f.size() == 1 && data::trim(f[0]).empty()) continue;  // a blank line
    if (f.size() != header.size()) {
      throw DataError(r.source() + ":" + std::to_string(r.line()) + ": " +
                      std::to_string(f.size()) + " fields, expected " +
                      std::to_string(header.size()) + " (as the header)");
    }
    const double e = history_cell(f[static_cast<std::size_t>(epoch)], r, "epoch");
    if (!std::isfinite(e) || (!c.epochs.empty() && e <= c.epochs.back())) {
      throw DataError(r.source() + ":" + std::to_string(r.line()) +
                      ": column 'epoch': epochs must be numbers that increase from row to row");
    }
    c.epochs.push_back(e);
    c.train_loss.push_back(history_cell(f[static_cast<std::size_t>(train)], r, "train_loss"));
    if (val >= 0)
      c.val_loss.push_back(history_cell(f[static_cast<std::size_t>(val)], r, "val_loss"));
  }
  if (c.epochs.empty()) {
    throw DataError(r.source() +
                    ": no epochs, only a header (the run stopped before its first "
                    "epoch?)");
  }
  c.marked_epoch = lowest_val_epoch(c);
  if (c.marked_epoch > 0) {
    c.marked_label = "lowest validation loss: epoch " + std::to_string(c.marked_epoch);
  }
  return c;
}

// train --history writes commas whatever the training file's delimiter.
data::CsvOptions history_csv_options() {
  data::CsvOptions o;
  o.delimiter = ',';
  return o;
}

}  // namespace

LearningCurve read_history_csv(const std::string& path) {
  data::CsvReader r(path, history_csv_options());
  return read_history(r);
}

LearningCurve read_history_csv(const std::string& name, std::istream& in) {
  data::CsvReader r(name, in, history_csv_options());
  return read_history(r);
}

}  // namespace nnfit::report
