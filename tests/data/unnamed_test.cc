// Issue 12 item 7: an unnamed column that is empty in every row (a delimiter at the end of every
// line) or that counts the rows (a pandas to_csv() index) is dropped with a warning.
#include "data/unnamed.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "testing/csv_util.h"

namespace nnfit::data {
namespace {

using Names = std::vector<std::string>;

Dataset load(const std::string& text, std::vector<std::string>* warnings) {
  std::istringstream in(text);
  return read_dataset("d.csv", in, "", test::collecting(warnings));
}

TEST(UnnamedTest, TrailingDelimiterColumnIsDroppedAndTheTargetIsTheLastNamedColumn) {
  std::vector<std::string> warnings;
  const Dataset d = load("a,b,y,\n1,2,p,\n3,4,q,\n5,6,p,\n", &warnings);
  EXPECT_EQ(d.feature_names, (Names{"a", "b"}));
  EXPECT_EQ(d.target_name, "y");
  EXPECT_EQ(d.dropped, (Names{""}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_HAS(warnings[0], "d.csv: column 4 has no name and no values");
}

TEST(UnnamedTest, PandasIndexColumnIsDroppedWithWhyAndHowToKeepIt) {
  for (const char* header : {",a,y\n", "Unnamed: 0,a,y\n"}) {
    std::vector<std::string> warnings;
    const Dataset d = load(std::string(header) + "0,5,p\n1,6,q\n2,7,p\n", &warnings);
    EXPECT_EQ(d.feature_names, (Names{"a"})) << header;
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_HAS(warnings[0], "has no name and counts the rows (0..2");
    EXPECT_HAS(warnings[0], "would leak the row order; to keep it, give it a name");
  }
  std::vector<std::string> warnings;
  EXPECT_EQ(load(",a,y\n1,5,p\n2,6,q\n3,7,p\n", &warnings).feature_names, (Names{"a"}));
}

TEST(UnnamedTest, NamedOrNonIndexColumnsAreKept) {
  std::vector<std::string> warnings;
  EXPECT_EQ(load("id,a,y\n0,5,p\n1,6,q\n2,7,p\n", &warnings).feature_names, (Names{"id", "a"}));
  EXPECT_EQ(load(",a,y\n0,5,p\n2,6,q\n1,7,p\n", &warnings).feature_names, (Names{"", "a"}));
  EXPECT_TRUE(warnings.empty());
}

TEST(UnnamedTest, UnnamedLastColumnWithValuesIsAnError) {
  std::vector<std::string> warnings;
  std::istringstream in("a,y,\n1,p,3\n2,q,1\n");
  EXPECT_THROW(read_dataset("d.csv", in, "", {}), DataError);
}

TEST(UnnamedTest, IsUnnamed) {
  EXPECT_TRUE(is_unnamed(""));
  EXPECT_TRUE(is_unnamed("Unnamed: 12"));
  EXPECT_FALSE(is_unnamed("Unnamed: x"));
  EXPECT_FALSE(is_unnamed("Unnamed"));
  EXPECT_FALSE(is_unnamed("0"));
}

}  // namespace
}  // namespace nnfit::data
