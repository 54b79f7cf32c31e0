// TextColumn: the cells come back as pushed (empty ones too), in order, and compare as a vector.
#include "data/text_column.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nnfit::data {
namespace {

TEST(TextColumnTest, CellsComeBackAsPushedIncludingEmptyOnes) {
  TextColumn c;
  EXPECT_TRUE(c.empty());
  const std::vector<std::string> cells = {"setosa", "", "2.5", std::string("a\0b", 3), "x"};
  for (const std::string& s : cells) c.push_back(s);
  ASSERT_EQ(c.size(), cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) EXPECT_EQ(c[i], cells[i]) << i;
  EXPECT_EQ(c.back(), "x");
  EXPECT_TRUE(c == cells);
  std::vector<std::string> seen;
  for (std::string_view s : c) seen.emplace_back(s);
  EXPECT_EQ(seen, cells);
}

TEST(TextColumnTest, ComparesCellByCellNotByConcatenation) {
  const TextColumn ab = {"a", "b"};
  EXPECT_TRUE(ab == TextColumn({"a", "b"}));
  EXPECT_TRUE(ab != TextColumn({"ab", ""}));  // same bytes, other cells
  EXPECT_FALSE(ab == (std::vector<std::string>{"a"}));
  EXPECT_FALSE(ab == (std::vector<std::string>{"a", "c"}));
  TextColumn c = ab;
  c.clear();
  EXPECT_TRUE(c.empty());
  EXPECT_TRUE(c == std::vector<std::string>{});
}

}  // namespace
}  // namespace nnfit::data
