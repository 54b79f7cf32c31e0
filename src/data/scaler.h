// Per-feature standardisation, fitted on the training columns only and saved with the model so
// that predict applies exactly the same transform.
#pragma once

#include "core/types.h"

namespace nnfit::data {

// Per-row (feature) standardisation fitted on training data: mean and population std in double.
// A constant row (std 0, not finite, or below float resolution of the mean) gets scale 1, so it
// maps to 0 (never NaN).
struct Standardizer {
  Vector mean, scale;                      // x' = (x - mean) / scale; both (features)
  // x: (features, N). REQUIRES N >= 1 (DataError otherwise).
  void fit(const Matrix& x);
  // In place; x must have mean.size() rows (DataError otherwise).
  void transform(Matrix& x) const;
};

}  // namespace nnfit::data
