// Target encoding: task detection, class names, and cells to class indexes or values.
#include "data/target.h"

#include <cmath>
#include <map>
#include <set>
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
