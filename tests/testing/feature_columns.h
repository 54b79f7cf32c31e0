// Hand-made preprocessor columns for tests (data/preprocess_test.cc, io/preprocess_json_test.cc).
#pragma once

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "data/preprocess.h"

namespace nnfit::test {

// The fill of a column without imputation.
inline const double kNoFill = std::numeric_limits<double>::quiet_NaN();

inline data::FeatureColumn numeric_column(const std::string& name, Scalar mean, Scalar scale,
                                          double fill = kNoFill) {
  data::FeatureColumn c;
  c.name = name;
  c.mean = mean;
  c.scale = scale;
  c.fill = fill;
  return c;
}

inline data::FeatureColumn categorical_column(const std::string& name,
                                              std::vector<std::string> categories,
                                              double fill = kNoFill) {
  data::FeatureColumn c;
  c.name = name;
  c.categorical = true;
  c.categories = std::move(categories);
  c.fill = fill;
  return c;
}

}  // namespace nnfit::test
