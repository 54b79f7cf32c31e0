// The target column: which task (classification or regression), the class names, and the
// encoding of target cells as class indexes or values.
#pragma once

#include <string>
#include <vector>

#include "core/types.h"
#include "data/dataset.h"

namespace nnfit::data {

enum class Task { kAuto, kClassification, kRegression };
// "auto", "classification", "regression".
std::string task_name(Task task);
// Inverse of task_name; throws ConfigError on any other string.
Task parse_task(const std::string& name);

// Target encoding, fitted on training rows.
struct TargetEncoding {
  Task task = Task::kRegression;            // never kAuto after fit
  std::vector<std::string> classes;         // class names in index order (classification)
};

// Task kAuto: classification if any target value is not a number, or if all values are integers
// (e.g. "1", "2.0") with at most 20 distinct values and distinct <= N/2 (N >= 4); else
// regression. Classes are sorted numerically if all numeric (numerically equal spellings such as
// "1" and "1.0" are one class, named by its byte-order-first spelling), else by byte order.
// Regression requires every value numeric (DataError naming file:line and value otherwise).
// Classification with < 2 classes is a DataError.
TargetEncoding fit_target(const Dataset& d, Task requested);

// (1, N): class index (as float) or numeric value. A class not in enc.classes is a DataError
// naming file:line and the value (e.g. a validation file with an unseen class). With numeric
// classes, a numerically equal spelling matches ("2.0" finds class "2").
Matrix encode_target(const Dataset& d, const TargetEncoding& enc);

}  // namespace nnfit::data
