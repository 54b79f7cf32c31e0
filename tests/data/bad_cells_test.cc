// Issue 12 item 8: of several bad cells of any kind (missing, not finite, not a number, the odd
// cells of a mixed column, a missing target), the error names the first in file order (line,
// then column) and counts the others; in predict's chunked reading too.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "data/dataset.h"
#include "testing/csv_util.h"

namespace nnfit::data {
namespace {

using test::error_of;

std::string load_error(const std::string& text) {
  std::istringstream in(text);
  return error_of([&] { read_dataset("d.csv", in, "", {}); });
}

// Reads text as predict does, in chunks of `rows`, for features {"a", "b"}.
std::string stream_error(const std::string& text, std::size_t rows) {
  std::istringstream in(text);
  return error_of([&] {
    FeatureStream stream("p.csv", in, {"a", "b"}, {});
    Dataset chunk;
    while (stream.next(chunk, nullptr, rows)) {
    }
  });
}

TEST(BadCellsTest, MissingCellsAreCountedInFileOrder) {
  const std::string e = load_error("a,b,y\n1,2,p\n3,,q\n,4,r\n5,6,s\n");
  EXPECT_HAS(e, "d.csv:3: column 'b' (2): missing value (empty cell)");
  EXPECT_HAS(e, "(1 more bad cell in this file after fixing it)");
}

TEST(BadCellsTest, EarlierMixedCellComesBeforeLaterMissingCell) {
  // 'x' (line 4, column 1) is a stray word in a numeric column; line 6 misses a cell.
  const std::string e = load_error("a,b,y\n1,2,p\n2,3,q\nx,4,r\n5,6,s\n6,,t\n7,8,u\n");
  EXPECT_HAS(e, "d.csv:4: column 'a' (1): 'x' is not a number");
  EXPECT_HAS(e, "(1 more bad cell in this file after fixing it)");
}

TEST(BadCellsTest, SameLineLowerColumnFirst) {
  // Line 3 has a non-finite cell in column 2 and a missing one in column 1.
  const std::string e = load_error("a,b,y\n1,2,p\n,inf,q\n3,4,r\n");
  EXPECT_HAS(e, "d.csv:3: column 'a' (1): missing value");
  EXPECT_HAS(e, "(1 more bad cell in this file after fixing it)");
}

TEST(BadCellsTest, NonFiniteCellsAreCounted) {
  const std::string e = load_error("a,b,y\n1,2,p\n3,nan,q\n4,5,r\n-inf,6,s\n");
  EXPECT_HAS(e, "d.csv:3: column 'b' (2): 'nan' is not a finite number");
  EXPECT_HAS(e, "(1 more bad cell in this file after fixing it)");
}

TEST(BadCellsTest, MissingTargetIsABadCellToo) {
  const std::string e = load_error("a,y\n1,\n2,p\n,q\n3,r\n");
  EXPECT_HAS(e, "d.csv:2: target column 'y' (2): cell is empty");
  EXPECT_HAS(e, "(1 more bad cell in this file after fixing it)");
}

TEST(BadCellsTest, LaterStructuralErrorDoesNotHideAnEarlierCell) {
  const std::string e = load_error("a,b,y\n1,2,p\n3,,q\n4,5,6,r\n");
  EXPECT_HAS(e, "d.csv:3: column 'b' (2): missing value (empty cell)");
  EXPECT_HAS(e, "then a later error stopped the reading: d.csv:4: 4 fields, expected 3");
}

TEST(BadCellsTest, StreamCountsBadCellsOfTheWholeFile) {
  // The first bad cell is in the first chunk (2 rows); the others are in later chunks.
  const std::string text = "y,a,b\np,1,2\nq,inf,3\nr,4,5\ns,,6\nt,7,big\nu,8,9\n";
  for (std::size_t rows : {2, 3, 100}) {
    const std::string e = stream_error(text, rows);
    EXPECT_HAS(e, "p.csv:3: column 'a' (2): 'inf' is not a finite number");
    EXPECT_HAS(e, "(2 more bad cells in this file after fixing it)");
  }
}

}  // namespace
}  // namespace nnfit::data
