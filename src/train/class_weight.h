// --class-weight: per-class multipliers of the training loss. "balanced" weighs class c by
// n / (k * count(c)) over the k classes present in the training part (scikit-learn's
// compute_class_weight); "CLASS=W,..." gives W (a finite number > 0) to the named classes and 1
// to the others; "" is none. They multiply into the rows' sample weights (--weight-column).
#pragma once

#include <string>
#include <vector>

#include "core/types.h"

namespace nnfit::train {

// Syntax check only (the class names are known once the data is read). ConfigError naming
// --class-weight and what is wrong.
void check_class_weight(const std::string& spec);

// The factor of each class (classes' index order) for y (class indices, (1, N)); empty for "".
// ConfigError for a class name not in classes (listing them).
std::vector<double> class_weights(const std::string& spec, const std::vector<std::string>& classes,
                                  const Matrix& y);

// Row weights: sample (empty = all 1) times the factor of each row's class in y (factors empty =
// all 1); empty when both are.
Vector row_weights(const Vector& sample, const std::vector<double>& factors, const Matrix& y);

}  // namespace nnfit::train
