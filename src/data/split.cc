// Train/validation split: a seeded shuffle, or per-class shuffles with largest-remainder quotas.
#include "data/split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <type_traits>
#include <utility>

#include "core/error.h"

namespace nnfit::data {
namespace {

// round(fraction * n), leaving at least one column for training.
Index val_count(Index n, double fraction) {
  const Index k = static_cast<Index>(std::llround(fraction * static_cast<double>(n)));
  return std::min(k, std::max<Index>(n - 1, 0));
}

// Spreads `total` over groups proportionally to their sizes by largest remainder. Singleton
// groups get 0 and every group keeps at least one member, so total is capped at sum(size - 1).
std::vector<Index> quotas(const std::vector<Index>& sizes, Index total) {
  const std::size_t g = sizes.size();
  std::vector<Index> q(g, 0), cap(g, 0), rem(g, 0);
  Index eligible = 0, cap_sum = 0;
  for (std::size_t i = 0; i < g; ++i) {
    if (sizes[i] < 2) continue;
    cap[i] = sizes[i] - 1;
    eligible += sizes[i];
    cap_sum += cap[i];
  }
  total = std::min(total, cap_sum);
  if (total == 0) return q;
  Index left = total;
  for (std::size_t i = 0; i < g; ++i) {
    if (cap[i] == 0) continue;
    q[i] = total * sizes[i] / eligible;  // exact integer floor
    rem[i] = total * sizes[i] % eligible;
    left -= q[i];
  }
  std::vector<std::size_t> order(g);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rem[a] > rem[b]; });
  while (left > 0) {
    for (std::size_t i : order) {
      if (left > 0 && q[i] < cap[i]) {
        ++q[i];
        --left;
      }
    }
  }
  return q;
}

Split stratified_split(Index n, double fraction, const std::vector<int>& labels, Rng& rng) {
  std::map<int, std::vector<Index>> groups;  // ordered by label: deterministic
  for (Index j = 0; j < n; ++j) groups[labels[static_cast<std::size_t>(j)]].push_back(j);
  std::vector<Index> sizes;
  for (const auto& kv : groups) sizes.push_back(static_cast<Index>(kv.second.size()));
  const std::vector<Index> q = quotas(sizes, val_count(n, fraction));
  Split s;
  std::size_t i = 0;
  for (auto& kv : groups) {
    std::vector<Index>& members = kv.second;
    rng.shuffle(members);
    const auto cut = members.begin() + q[i++];
    s.val.insert(s.val.end(), members.begin(), cut);
    s.train.insert(s.train.end(), cut, members.end());
  }
  return s;
}

}  // namespace

Split train_val_split(Index n, double fraction, const std::vector<int>* labels, Rng& rng) {
  if (!(fraction >= 0.0 && fraction < 1.0)) {
    throw ConfigError("validation fraction must be in [0, 1), got " + std::to_string(fraction));
  }
  if (n < 0) throw ConfigError("train_val_split: negative sample count");
  if (labels && static_cast<Index>(labels->size()) != n) {
    throw ConfigError("train_val_split: " + std::to_string(labels->size()) + " labels for " +
                      std::to_string(n) + " samples");
  }
  Split s;
  if (labels) {
    s = stratified_split(n, fraction, *labels, rng);
  } else {
    std::vector<Index> perm(static_cast<std::size_t>(n));
    std::iota(perm.begin(), perm.end(), Index{0});
    rng.shuffle(perm);
    const auto cut = perm.begin() + val_count(n, fraction);
    s.val.assign(perm.begin(), cut);
    s.train.assign(cut, perm.end());
  }
  std::sort(s.train.begin(), s.train.end());
  std::sort(s.val.begin(), s.val.end());
  return s;
}

Matrix take_columns(const Matrix& m, const std::vector<Index>& idx) {
  Matrix out(m.rows(), static_cast<Index>(idx.size()));
  for (std::size_t j = 0; j < idx.size(); ++j) {
    if (idx[j] < 0 || idx[j] >= m.cols()) {
      throw ConfigError("take_columns: column " + std::to_string(idx[j]) + " out of range [0, " +
                        std::to_string(m.cols()) + ")");
    }
    out.col(static_cast<Index>(j)) = m.col(idx[j]);
  }
  return out;
}

}  // namespace nnfit::data

namespace nnfit::data {

std::vector<int> kfold_assign(Index n, int k, const std::vector<int>* labels, Rng& rng) {
  if (k < 2 || static_cast<Index>(k) > n) {
    throw ConfigError("--folds " + std::to_string(k) + " needs 2 <= folds <= rows (" +
                      std::to_string(n) + ")");
  }
  std::vector<Index> perm(static_cast<std::size_t>(n));
  std::iota(perm.begin(), perm.end(), Index{0});
  rng.shuffle(perm);
  if (labels != nullptr) {  // group by class, keeping the shuffled order within each class
    std::stable_sort(perm.begin(), perm.end(), [&](Index a, Index b) {
      return (*labels)[static_cast<std::size_t>(a)] < (*labels)[static_cast<std::size_t>(b)];
    });
  }
  std::vector<int> fold(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < perm.size(); ++i) {
    fold[static_cast<std::size_t>(perm[i])] = static_cast<int>(i % static_cast<std::size_t>(k));
  }
  return fold;
}

Dataset take_rows(const Dataset& d, const std::vector<Index>& idx) {
  Dataset out;
  out.source = d.source;
  out.feature_names = d.feature_names;
  out.feature_columns = d.feature_columns;
  out.categorical = d.categorical;
  out.categories = d.categories;
  out.target_name = d.target_name;
  out.decimal = d.decimal;
  out.weight_name = d.weight_name;
  out.x = take_columns(d.x, idx);
  for (const Index j : idx) {
    const auto i = static_cast<std::size_t>(j);
    if (i < d.target.size()) out.target.push_back(d.target[i]);
    if (i < d.lines.size()) out.lines.push_back(d.lines[i]);
    if (i < d.weights.size()) out.weights.push_back(d.weights[i]);
  }
  return out;
}

void keep_rows(Dataset& d, const std::vector<Index>& idx) {
  TextColumn target;
  for (std::size_t j = 0; j < idx.size(); ++j) {
    const auto i = static_cast<std::size_t>(idx[j]);
    if (idx[j] < static_cast<Index>(j) || idx[j] >= d.x.cols() || (j > 0 && idx[j] <= idx[j - 1])) {
      throw ConfigError("keep_rows: the rows must ascend within [0, " +
                        std::to_string(d.x.cols()) + ")");
    }
    d.x.col(static_cast<Index>(j)) = d.x.col(idx[j]);  // idx[j] >= j: not yet overwritten
    if (i < d.target.size()) target.push_back(d.target[i]);
    if (i < d.lines.size()) d.lines[j] = d.lines[i];
    if (i < d.weights.size()) d.weights[j] = d.weights[i];
  }
  const std::size_t n = idx.size();
  d.x.conservativeResize(Eigen::NoChange, static_cast<Index>(n));  // shrinks in place
  d.target = std::move(target);
  d.lines.resize(std::min(n, d.lines.size()));
  d.weights.resize(std::min(n, d.weights.size()));
}

void drop_features(Dataset& d, const std::vector<std::string>& names) {
  std::vector<std::size_t> keep;
  for (std::size_t f = 0; f < d.feature_names.size(); ++f) {
    if (std::find(names.begin(), names.end(), d.feature_names[f]) == names.end()) keep.push_back(f);
  }
  if (keep.size() == d.feature_names.size()) return;
  const auto pick = [&keep](auto& field) {
    std::decay_t<decltype(field)> kept;
    for (const std::size_t f : keep) {
      if (f < field.size()) kept.push_back(std::move(field[f]));
    }
    field = std::move(kept);
  };
  Matrix x(static_cast<Index>(keep.size()), d.x.cols());
  for (std::size_t k = 0; k < keep.size(); ++k) {
    x.row(static_cast<Index>(k)) = d.x.row(static_cast<Index>(keep[k]));
  }
  d.x = std::move(x);
  pick(d.feature_names);
  pick(d.feature_columns);
  pick(d.categorical);
  pick(d.categories);
}

}  // namespace nnfit::data
