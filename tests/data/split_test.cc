// Tests for train_val_split (plain and stratified) and take_columns.
#include "data/split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "core/error.h"

namespace nnfit::data {
namespace {

// Train and val are disjoint, cover 0..n-1, and are each sorted.
void expect_partition(const Split& s, Index n) {
  std::vector<Index> all = s.train;
  all.insert(all.end(), s.val.begin(), s.val.end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(static_cast<Index>(all.size()), n);
  for (Index i = 0; i < n; ++i) EXPECT_EQ(all[static_cast<std::size_t>(i)], i);
  EXPECT_TRUE(std::is_sorted(s.train.begin(), s.train.end()));
  EXPECT_TRUE(std::is_sorted(s.val.begin(), s.val.end()));
}

std::map<int, int> count_labels(const std::vector<Index>& idx, const std::vector<int>& labels) {
  std::map<int, int> counts;
  for (Index j : idx) ++counts[labels[static_cast<std::size_t>(j)]];
  return counts;
}

TEST(TrainValSplitTest, DisjointCoverAndExactSize) {
  for (Index n : {1, 2, 7, 100, 101}) {
    for (double fraction : {0.1, 0.25, 0.5}) {
      Rng rng(42);
      const Split s = train_val_split(n, fraction, nullptr, rng);
      expect_partition(s, n);
      const Index want = std::min<Index>(std::llround(fraction * n), n - 1);
      EXPECT_EQ(static_cast<Index>(s.val.size()), want) << n << " " << fraction;
    }
  }
}

TEST(TrainValSplitTest, FractionZeroGivesEmptyVal) {
  Rng rng(1);
  const Split s = train_val_split(10, 0.0, nullptr, rng);
  EXPECT_TRUE(s.val.empty());
  EXPECT_EQ(s.train.size(), 10u);
  expect_partition(s, 10);
}

TEST(TrainValSplitTest, SameSeedSameSplitDifferentSeedDifferent) {
  Rng a(7), b(7), c(8);
  const Split sa = train_val_split(200, 0.2, nullptr, a);
  const Split sb = train_val_split(200, 0.2, nullptr, b);
  const Split sc = train_val_split(200, 0.2, nullptr, c);
  EXPECT_EQ(sa.val, sb.val);
  EXPECT_EQ(sa.train, sb.train);
  EXPECT_NE(sa.val, sc.val);
}

TEST(TrainValSplitTest, StratifiedKeepsClassProportions) {
  std::vector<int> labels;
  for (int i = 0; i < 60; ++i) labels.push_back(0);
  for (int i = 0; i < 30; ++i) labels.push_back(1);
  for (int i = 0; i < 10; ++i) labels.push_back(2);
  Rng rng(3);
  const Split s = train_val_split(100, 0.2, &labels, rng);
  expect_partition(s, 100);
  EXPECT_EQ(s.val.size(), 20u);
  EXPECT_EQ(count_labels(s.val, labels), (std::map<int, int>{{0, 12}, {1, 6}, {2, 2}}));
}

TEST(TrainValSplitTest, StratifiedLargestRemainderTotalIsExact) {
  std::vector<int> labels(7, 0);
  labels.resize(14, 1);
  labels.resize(21, 2);  // 3 classes of 7; 0.3 * 21 = 6.3 -> 6 = 2 + 2 + 2
  Rng rng(5);
  const Split s = train_val_split(21, 0.3, &labels, rng);
  expect_partition(s, 21);
  EXPECT_EQ(s.val.size(), 6u);
  for (const auto& kv : count_labels(s.val, labels)) EXPECT_EQ(kv.second, 2);
  Rng rng2(5);
  const Split s2 = train_val_split(21, 0.5, &labels, rng2);  // 10.5 -> 11 = 4 + 4 + 3
  EXPECT_EQ(s2.val.size(), 11u);
  for (const auto& kv : count_labels(s2.val, labels)) EXPECT_GE(kv.second, 3);
}

TEST(TrainValSplitTest, SingletonClassStaysInTrain) {
  std::vector<int> labels = {0, 0, 0, 0, 1, 1, 1, 1, 2, 0};
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    Rng rng(seed);
    const Split s = train_val_split(10, 0.4, &labels, rng);
    expect_partition(s, 10);
    EXPECT_EQ(s.val.size(), 4u);
    EXPECT_NE(std::find(s.train.begin(), s.train.end(), 8), s.train.end());
  }
}

TEST(TrainValSplitTest, StratifiedSameSeedSameSplit) {
  std::vector<int> labels;
  for (int i = 0; i < 50; ++i) labels.push_back(i % 3);
  Rng a(11), b(11), c(12);
  const Split sa = train_val_split(50, 0.3, &labels, a);
  EXPECT_EQ(sa.val, train_val_split(50, 0.3, &labels, b).val);
  EXPECT_NE(sa.val, train_val_split(50, 0.3, &labels, c).val);
}

TEST(TrainValSplitTest, BadArgumentsAreConfigErrors) {
  Rng rng(0);
  EXPECT_THROW(train_val_split(10, 1.0, nullptr, rng), ConfigError);
  EXPECT_THROW(train_val_split(10, -0.1, nullptr, rng), ConfigError);
  std::vector<int> short_labels(3, 0);
  EXPECT_THROW(train_val_split(10, 0.2, &short_labels, rng), ConfigError);
}

TEST(TakeColumnsTest, GathersInGivenOrder) {
  Matrix m(2, 4);
  m << 0, 1, 2, 3,
      10, 11, 12, 13;
  const Matrix out = take_columns(m, {3, 0, 3});
  EXPECT_EQ(out, (Matrix(2, 3) << 3, 0, 3, 13, 10, 13).finished());
  EXPECT_EQ(take_columns(m, {}).cols(), 0);
  EXPECT_THROW(take_columns(m, {4}), ConfigError);
}

}  // namespace
}  // namespace nnfit::data

namespace nnfit::data {
namespace {

TEST(KFoldTest, StratifiedDisjointAndCovering) {
  // 3 classes of 10, 7 and 3 rows.
  std::vector<int> labels;
  for (int k = 0; k < 3; ++k) labels.insert(labels.end(), k == 0 ? 10 : k == 1 ? 7 : 3, k);
  Rng rng(5);
  const std::vector<int> fold = kfold_assign(20, 3, &labels, rng);
  ASSERT_EQ(fold.size(), 20u);
  std::vector<int> size(3, 0);
  std::vector<std::vector<int>> per_class(3, std::vector<int>(3, 0));
  for (std::size_t j = 0; j < fold.size(); ++j) {
    ASSERT_GE(fold[j], 0);
    ASSERT_LT(fold[j], 3);
    ++size[static_cast<std::size_t>(fold[j])];
    ++per_class[static_cast<std::size_t>(labels[j])][static_cast<std::size_t>(fold[j])];
  }
  // Every row in exactly one fold; sizes differ by at most one; each class spread evenly.
  EXPECT_EQ(size[0] + size[1] + size[2], 20);
  EXPECT_LE(*std::max_element(size.begin(), size.end()) - *std::min_element(size.begin(), size.end()), 1);
  for (const auto& counts : per_class) {
    EXPECT_LE(*std::max_element(counts.begin(), counts.end()) -
                  *std::min_element(counts.begin(), counts.end()), 1);
  }
  Rng again(5);
  EXPECT_EQ(kfold_assign(20, 3, &labels, again), fold);  // reproducible
  Rng other(6);
  EXPECT_NE(kfold_assign(20, 3, &labels, other), fold);
  EXPECT_THROW(kfold_assign(20, 1, nullptr, rng), ConfigError);
  EXPECT_THROW(kfold_assign(3, 4, nullptr, rng), ConfigError);
}

// keep_rows gives take_rows's dataset, in place, for a split's training part; unsorted rows are
// refused (the compaction would overwrite rows not yet moved).
TEST(KeepRowsTest, MatchesTakeRowsAndRefusesUnsortedRows) {
  Dataset d;
  d.x = Matrix(3, 50);
  for (Index j = 0; j < 50; ++j) {
    d.x.col(j) << static_cast<float>(j), static_cast<float>(-j), 0.5f * static_cast<float>(j);
    d.target.push_back(std::to_string(j * 7));
    d.lines.push_back(static_cast<unsigned>(j + 2));
    d.weights.push_back(static_cast<Scalar>(j % 4 + 1));
  }
  Rng rng(3);
  const Split s = train_val_split(50, 0.3, nullptr, rng);
  const Dataset expected = take_rows(d, s.train);
  Dataset kept = d;
  keep_rows(kept, s.train);
  EXPECT_TRUE(kept.x == expected.x);
  EXPECT_TRUE(kept.target == expected.target);
  EXPECT_EQ(kept.lines, expected.lines);
  EXPECT_EQ(kept.weights, expected.weights);
  Dataset unsorted = d;
  EXPECT_THROW(keep_rows(unsorted, {3, 1}), ConfigError);
  EXPECT_THROW(keep_rows(unsorted, {1, 1}), ConfigError);
}

}  // namespace
}  // namespace nnfit::data
