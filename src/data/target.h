// The target column: which task (classification or regression), the class names, and the
// encoding of target cells as class indexes or values.
#pragma once

#include <string>
#include <vector>

#include "core/types.h"
#include "data/csv.h"
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
// regression. (Detection looks at values; the classes themselves are strings, see below.)
// Regression requires every value numeric (DataError naming file:line and value otherwise).
//
// Classes are the distinct target strings, exactly as spelled (cells are already trimmed): "1",
// "1.0" and "01" are three classes, because a label is a name and nnfit cannot know that two
// spellings were meant to be one. Order: by numeric value if every class is a number (ties by
// byte order, so "2" < "10"), else by byte order. Each group of differently spelled classes with
// the same numeric value gives one warning through `warn`, naming every spelling and the line
// where it first occurs. Classification with < 2 classes is a DataError.
TargetEncoding fit_target(const Dataset& d, Task requested, const WarningSink& warn = {});

// (1, N): class index (as float) or numeric value. Classes match by exact string only. A class
// not in enc.classes is a DataError naming file:line and the value (e.g. a validation file with
// an unseen class); if it is numerically equal to a known class ("2.0" vs "2") the message says
// it is spelled differently from that class.
Matrix encode_target(const Dataset& d, const TargetEncoding& enc);

}  // namespace nnfit::data
