// The inputs summary: what was read, what was inferred, and the text of the block.
#include "train/describe.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <unordered_set>

#include "data/csv.h"
#include "data/text.h"

namespace nnfit::train {
namespace {

constexpr std::size_t kManyClasses = 20;  // as data::fit_target's limit for --task auto
constexpr std::size_t kListed = 6;        // names listed per kind of column

std::string number(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// Numeric: min, mean, max of the non-missing cells; both kinds: the missing cells.
void add_stats(const Matrix& x, Index f, ColumnSummary& c) {
  double sum = 0, lo = INFINITY, hi = -INFINITY;
  Index n = 0;
  for (Index j = 0; j < x.cols(); ++j) {
    const double v = x(f, j);
    if (std::isnan(v)) {
      ++c.missing;
      continue;
    }
    sum += v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    ++n;
  }
  if (c.categorical || n == 0) return;
  c.min = lo;
  c.mean = sum / static_cast<double>(n);
  c.max = hi;
}

// Whether the target values are numbers, integers, and how many distinct integers (up to a cap:
// a target with more than rows / 10 distinct values is a quantity, not codes).
void describe_target(const data::Dataset& d, InputSummary& s) {
  s.target_numeric = s.target_integer = true;
  for (const std::string_view t : d.target) {
    double v = 0;
    if (data::parse_number_status(t, v, d.decimal) != data::NumberStatus::kOk) {
      s.target_numeric = s.target_integer = false;
      return;
    }
    if (v != std::floor(v)) s.target_integer = false;
  }
  if (!s.target_integer) return;
  const std::size_t cap = d.target.size() / 10 + 1;
  std::unordered_set<double> distinct;
  for (const std::string_view t : d.target) {
    double v = 0;
    data::parse_number_status(t, v, d.decimal);
    distinct.insert(v);
    if (distinct.size() >= cap) break;
  }
  s.target_distinct = distinct.size();
}

std::string target_choice(const std::string& requested, const std::string& name) {
  if (requested.empty()) return "last column";
  if (requested == name) return "named";
  return "column " + requested;
}

// "(text values)", "(--task)": why the task is what it is.
std::string task_reason(const InputSummary& s) {
  if (s.requested != data::Task::kAuto) return "--task";
  if (s.task == data::Task::kRegression) return "numeric values";
  return s.target_numeric ? "integers, at most " + std::to_string(kManyClasses) + " distinct"
                          : "text values";
}

std::string target_line(const InputSummary& s) {
  std::string line = "target " + data::quoted(s.target) + " (" + s.target_choice;
  if (s.target_defaulted) line += "; --target NAME to choose";
  line += "): " + data::task_name(s.task);
  if (s.task == data::Task::kClassification) line += ", " + std::to_string(s.classes) + " classes";
  return line + " (" + task_reason(s) + ")";
}

// "a, b, c and 3 more" from the first kListed items.
std::string listed(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < kListed; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > kListed) out += " and " + std::to_string(items.size() - kListed) + " more";
  return out;
}

std::string columns_line(const InputSummary& s) {
  std::vector<std::string> categorical, dropped;
  for (const ColumnSummary& c : s.columns) {
    if (c.categorical) categorical.push_back(c.name + " " + std::to_string(c.categories));
  }
  for (const auto& [name, why] : s.dropped) dropped.push_back(name + ": " + why);
  std::string line =
      "columns: " + std::to_string(s.columns.size() - categorical.size()) + " numeric";
  if (!categorical.empty()) {
    line += ", " + std::to_string(categorical.size()) +
            " categorical (categories: " + listed(categorical) + ")";
  }
  if (!dropped.empty()) {
    line += ", " + std::to_string(dropped.size()) + " dropped (" + listed(dropped) + ")";
  }
  return line;
}

std::string rows_line(const InputSummary& s) {
  std::string line = "input width " + std::to_string(s.input_width) + "; ";
  if (s.folds > 0) {
    return line + std::to_string(s.rows) + " rows, " + std::to_string(s.folds) +
           "-fold cross-validation";
  }
  line += std::to_string(s.train_rows) + " training rows, ";
  line += s.val_rows > 0 ? std::to_string(s.val_rows) + " validation rows" : "no validation";
  return line + " (" + s.validation + ")";
}

std::string column_line(const ColumnSummary& c) {
  std::string line = "column " + data::quoted(c.name) + ": ";
  if (c.categorical) {
    line += "categorical, " + std::to_string(c.categories) + " categories";
  } else {
    line += "numeric, min " + number(c.min) + ", mean " + number(c.mean) + ", max " + number(c.max);
  }
  return line + ", " + std::to_string(c.missing) + " missing";
}

std::vector<std::string> task_warnings(const InputSummary& s) {
  std::vector<std::string> out;
  const std::string target = "target " + data::quoted(s.target);
  const auto rows = static_cast<std::size_t>(s.rows);
  if (s.task == data::Task::kClassification && s.classes > kManyClasses && 5 * s.classes > rows) {
    out.push_back(target + " has " + std::to_string(s.classes) + " classes in " +
                  std::to_string(rows) + " rows; " +
                  (s.target_numeric ? "if it is a number to predict, use --task regression"
                                    : "if it is not the column to predict, choose one with "
                                      "--target NAME"));
  }
  if (s.requested == data::Task::kAuto && s.task == data::Task::kRegression && s.target_integer &&
      s.target_distinct > kManyClasses && 10 * s.target_distinct <= rows) {
    out.push_back(target + " holds integers with " + std::to_string(s.target_distinct) +
                  " distinct values in " + std::to_string(rows) +
                  " rows, taken as a number to predict (regression); if they are class codes, "
                  "use --task classification");
  }
  return out;
}

}  // namespace

InputSummary describe_inputs(const InputData& in, bool column_stats) {
  const data::Dataset& d = in.train;
  const DataOptions& o = in.options;
  InputSummary s;
  s.target = d.target_name;
  s.target_choice = target_choice(o.target, d.target_name);
  s.target_defaulted = o.target.empty();
  s.requested = data::parse_task(o.task);
  s.rows = d.x.cols();
  describe_target(d, s);
  s.column_stats = column_stats;
  for (std::size_t f = 0; f < d.feature_names.size(); ++f) {
    ColumnSummary c;
    c.name = d.feature_names[f];
    c.categorical = d.categorical[f];
    c.categories = d.categories[f].size();
    if (column_stats) add_stats(d.x, static_cast<Index>(f), c);
    s.columns.push_back(std::move(c));
  }
  for (const std::string& name : o.csv.ignore) {
    const bool wide =
        std::find(in.wide_dropped.begin(), in.wide_dropped.end(), name) != in.wide_dropped.end();
    s.dropped.emplace_back(
        name, wide ? "over --max-categories " + std::to_string(o.max_categories) : "--ignore");
  }
  s.validation =
      !o.val_data.empty() ? "--val-data " + o.val_data : "--val-split " + number(o.val_split);
  return s;
}

void describe_prepared(InputSummary& s, const PreparedData& p, int folds) {
  s.task = p.model.target.task;
  s.classes = p.model.target.classes.size();
  s.input_width = p.x_train.rows();
  s.train_rows = p.x_train.cols();
  s.val_rows = p.x_val.cols();
  s.folds = folds;
}

SummaryText summary_text(const InputSummary& s) {
  SummaryText t;
  t.info = {target_line(s), columns_line(s), rows_line(s)};
  t.warnings = task_warnings(s);
  if (s.column_stats) {
    for (const ColumnSummary& c : s.columns) t.debug.push_back(column_line(c));
  }
  return t;
}

}  // namespace nnfit::train
