// Target encoding: task detection, class names, and cells to class indexes or values.
#include "data/target.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

#include "core/error.h"
#include "data/csv.h"
#include "data/text.h"

namespace nnfit::data {
namespace {

constexpr std::size_t kMaxAutoClasses = 20;

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

// One class: its spelling, the first row where it occurs (for messages), and its value if the
// spelling is a number.
struct ClassSpelling {
  std::string_view name;  // view into Dataset::target
  std::size_t first_row = 0;
  bool numeric = false;
  double value = 0.0;
};

// The distinct target strings with the row of their first occurrence, in no particular order.
// Hashing views avoids a string copy per row on large files; the views point into d.target.
std::vector<ClassSpelling> distinct_spellings(const Dataset& d) {
  std::unordered_map<std::string_view, std::size_t> first_row;
  for (std::size_t i = 0; i < d.target.size(); ++i) first_row.emplace(d.target[i], i);
  std::vector<ClassSpelling> classes;
  classes.reserve(first_row.size());
  for (const auto& [name, row] : first_row) {
    ClassSpelling c;
    c.name = name;
    c.first_row = row;
    c.numeric = parse_number_status(name, c.value, d.decimal) == NumberStatus::kOk;
    classes.push_back(c);
  }
  return classes;
}

// Numeric labels read best in numeric order ("2" before "10"); equal values (differently spelled)
// fall back to byte order so the order is total and deterministic. Anything else: byte order.
void sort_classes(std::vector<ClassSpelling>& classes) {
  const bool all_numeric = std::all_of(classes.begin(), classes.end(),
                                       [](const ClassSpelling& c) { return c.numeric; });
  std::sort(classes.begin(), classes.end(), [all_numeric](const auto& a, const auto& b) {
    if (all_numeric && a.value != b.value) return a.value < b.value;
    return a.name < b.name;
  });
}

// "line 7", or "row 7" when the dataset has no line numbers.
std::string line_of(const Dataset& d, std::size_t i) {
  return i < d.lines.size() ? "line " + std::to_string(d.lines[i])
                            : "row " + std::to_string(i + 1);
}

// "'01' (line 7), '1' (line 2) and '1.0' (line 5)".
std::string spelling_list(const Dataset& d, const std::vector<const ClassSpelling*>& group) {
  std::string out;
  for (std::size_t k = 0; k < group.size(); ++k) {
    if (k > 0) out += k + 1 == group.size() ? " and " : ", ";
    out += quoted(group[k]->name) + " (" + line_of(d, group[k]->first_row) + ")";
  }
  return out;
}

// Spellings such as "1" and "01" stay separate classes (they may be codes where the spelling
// matters), but it is more often a typo or a tool that wrote numbers differently, and the model
// would silently learn two classes: say so, once per group of equal values.
void warn_same_number(const Dataset& d, const std::vector<ClassSpelling>& classes,
                      const WarningSink& warn) {
  if (!warn) return;
  std::map<double, std::vector<const ClassSpelling*>> by_value;  // keeps class order per value
  for (const ClassSpelling& c : classes) {
    if (c.numeric) by_value[c.value].push_back(&c);
  }
  for (const auto& [value, group] : by_value) {
    if (group.size() < 2) continue;
    warn(d.source + ": target " + quoted(d.target_name) + ": " + spelling_list(d, group) +
         " are different classes although they are the same number; fix the spelling if they "
         "are meant to be one class");
  }
}

// For an unseen class: "; '2.0' is spelled differently from class '2'" if the value is a number
// equal to known classes (the likely mistake), else "".
std::string spelling_hint(std::string_view value, const std::vector<std::string>& classes) {
  double v = 0.0;
  if (!parse_number(value, v)) return "";
  std::vector<std::string> same;
  for (const std::string& c : classes) {
    double w = 0.0;
    if (parse_number(c, w) && w == v) same.push_back(c);
  }
  if (same.empty()) return "";
  return "; " + quoted(value) + " is spelled differently from class" +
         (same.size() > 1 ? "es " : " ") + list_names(same);
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

TargetEncoding fit_target(const Dataset& d, Task requested, const WarningSink& warn) {
  if (d.target.empty()) throw DataError(d.source + ": no rows to fit the target on");
  std::vector<double> values(d.target.size());
  std::size_t first_bad = d.target.size();
  for (std::size_t i = 0; i < d.target.size() && first_bad == d.target.size(); ++i) {
    if (parse_number_status(d.target[i], values[i], d.decimal) != NumberStatus::kOk) first_bad = i;
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
      const auto status = parse_number_status(d.target[first_bad], unused, d.decimal);
      throw DataError(row_where(d, first_bad) + ": target " + quoted(d.target_name) + ": " +
                      quoted(d.target[first_bad]) + number_problem(status) +
                      "; regression needs a numeric target (or request classification)");
    }
    return enc;
  }
  std::vector<ClassSpelling> classes = distinct_spellings(d);
  sort_classes(classes);
  warn_same_number(d, classes, warn);
  for (const ClassSpelling& c : classes) enc.classes.emplace_back(c.name);
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
      const std::string number =
          d.decimal == ',' ? swap_decimal_mark(d.target[i]) : std::string(d.target[i]);
      const auto status = parse_number_status(number, v);
      if (status != NumberStatus::kOk) {
        throw DataError(row_where(d, i) + ": target " + quoted(d.target_name) + ": " +
                        quoted(d.target[i]) + number_problem(status) +
                        "; regression needs a numeric target");
      }
      y(0, static_cast<Index>(i)) = to_float(number, v);
    }
    return y;
  }
  // Exact spelling only: "2.0" is not class "2" (see fit_target); the error says so instead.
  std::unordered_map<std::string_view, int> by_name;  // views of enc.classes
  for (std::size_t k = 0; k < enc.classes.size(); ++k) {
    by_name.emplace(enc.classes[k], static_cast<int>(k));
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto it = by_name.find(d.target[i]);
    if (it == by_name.end()) {
      throw DataError(row_where(d, i) + ": target " + quoted(d.target_name) + ": class " +
                      quoted(d.target[i]) + " was not seen in the training data (known classes: " +
                      list_names(enc.classes) + ")" + spelling_hint(d.target[i], enc.classes));
    }
    const int k = it->second;
    y(0, static_cast<Index>(i)) = static_cast<float>(k);
  }
  return y;
}

}  // namespace nnfit::data
