// Seeded train/validation split of sample columns, optionally stratified by class, and the
// column gather used to materialise each part; row and feature selection on a Dataset.
#pragma once

#include <vector>

#include "core/rng.h"
#include "core/types.h"
#include "data/dataset.h"

namespace nnfit::data {

// Column indices of each part, both sorted ascending (the trainer shuffles per epoch anyway).
struct Split {
  std::vector<Index> train, val;
};

// Shuffled split with round(fraction*N) validation columns (capped so that train keeps at least
// one column). If labels is non-null (class index per column, classification), stratified: each
// class with >= 2 members contributes proportionally to its size (largest-remainder rounding, so
// the total is exact) and keeps at least one member in train; a class with a single member stays
// in train. fraction 0 -> val empty. REQUIRES 0 <= fraction < 1 and labels->size() == n
// (ConfigError otherwise). Train and val are disjoint and cover 0..n-1. Deterministic given rng.
Split train_val_split(Index n, double fraction, const std::vector<int>* labels, Rng& rng);

// K-fold assignment: the fold (0..k-1) of each of n columns. Shuffled; if labels is non-null,
// stratified: each class's members are dealt round-robin over the folds (continuing from one
// class to the next), so every fold gets its share of each class and fold sizes differ by at
// most one. REQUIRES 2 <= k <= n (ConfigError otherwise).
std::vector<int> kfold_assign(Index n, int k, const std::vector<int>* labels, Rng& rng);

// Gathers columns: out(:, j) = m(:, idx[j]). REQUIRES every idx in [0, m.cols()).
Matrix take_columns(const Matrix& m, const std::vector<Index>& idx);

// The rows (samples) idx of d: x columns, targets and line numbers; names, kinds and
// categories unchanged. REQUIRES every idx in [0, d.x.cols()).
Dataset take_rows(const Dataset& d, const std::vector<Index>& idx);
// take_rows in place, for idx in ascending order (ConfigError otherwise): d becomes its rows idx
// without a second copy of the feature matrix at any time (a --val-split's training part).
void keep_rows(Dataset& d, const std::vector<Index>& idx);

// Removes the features whose names are in `names` (x rows and every per-feature field).
void drop_features(Dataset& d, const std::vector<std::string>& names);

}  // namespace nnfit::data
