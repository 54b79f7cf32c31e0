// FeatureStream: reading a prediction file in chunks gives the same rows as reading it whole.
#include <gtest/gtest.h>

#include <sstream>

#include "core/error.h"
#include "data/dataset.h"
#include "data/preprocess.h"
#include "testing/csv_util.h"

namespace nnfit::data {
namespace {

const std::vector<std::string> kFeatures{"x", "color"};

// Id, two features (one categorical) and a target; row 4 has a quoted multi-line id, so a
// record spans two physical lines.
const char* kText =
    "id,x,color,y\n"
    "r1,1.5,red,p\n"
    "r2,2.5,blue,q\n"
    "\"r3\nsecond line\",3.5,green,p\n"
    "r4,4.5,red,q\n"
    "r5,5.5,amber,p\n";

CsvOptions schema() {
  CsvOptions o;
  o.categorical = {"color"};
  o.ignore = {"y"};
  return o;
}

// All chunks of size `rows`: their features as category names / values, lines and kept ids.
struct Read {
  std::vector<std::string> cells;  // "x=1.5 color=red" per row
  std::vector<unsigned> lines;
  std::vector<std::string> kept;
  int chunks = 0;
};

Read read_in_chunks(std::size_t rows, const std::string& text = kText) {
  std::istringstream in(text);
  FeatureStream stream("p.csv", in, kFeatures, schema(), {"id"});
  Read r;
  Dataset chunk;
  std::vector<std::string> kept;
  while (stream.next(chunk, &kept, rows)) {
    ++r.chunks;
    EXPECT_LE(static_cast<std::size_t>(chunk.x.cols()), rows);
    for (Index j = 0; j < chunk.x.cols(); ++j) {
      const auto k = static_cast<std::size_t>(chunk.x(1, j));
      r.cells.push_back("x=" + std::to_string(chunk.x(0, j)) + " color=" + chunk.categories[1][k]);
    }
    r.lines.insert(r.lines.end(), chunk.lines.begin(), chunk.lines.end());
    r.kept.insert(r.kept.end(), kept.begin(), kept.end());
  }
  return r;
}

TEST(FeatureStreamTest, ChunksOfAnySizeGiveTheSameRows) {
  const Read whole = read_in_chunks(1000);
  EXPECT_EQ(whole.chunks, 1);
  ASSERT_EQ(whole.cells.size(), 5u);
  EXPECT_EQ(whole.cells[2], "x=" + std::to_string(3.5f) + " color=green");
  EXPECT_EQ(whole.lines, (std::vector<unsigned>{2, 3, 4, 6, 7}));
  EXPECT_EQ(whole.kept, (std::vector<std::string>{"r1", "r2", "r3\nsecond line", "r4", "r5"}));
  for (std::size_t rows : {1u, 2u, 3u, 5u}) {
    SCOPED_TRACE(rows);
    const Read r = read_in_chunks(rows);
    EXPECT_EQ(r.chunks, static_cast<int>((5 + rows - 1) / rows));
    EXPECT_EQ(r.cells, whole.cells);
    EXPECT_EQ(r.lines, whole.lines);
    EXPECT_EQ(r.kept, whole.kept);
  }
}

TEST(FeatureStreamTest, ChunksTransformLikeTheWholeFile) {
  // A preprocessor that knows red and blue: green and amber are unseen.
  Preprocessor p;
  FeatureColumn x;
  x.name = "x";
  x.mean = 2;
  x.scale = 4;
  FeatureColumn color;
  color.name = "color";
  color.categorical = true;
  color.categories = {"blue", "red"};
  p.columns = {x, color};
  std::vector<std::string> whole_warnings, chunk_warnings;
  std::istringstream in(kText);
  const Matrix whole = p.transform(read_features("p.csv", in, kFeatures, schema()),
                                   test::collecting(&whole_warnings).warn);
  std::istringstream in2(kText);
  FeatureStream stream("p.csv", in2, kFeatures, schema());
  Dataset chunk;
  UnseenCategories unseen;
  Matrix joined(whole.rows(), 0);
  while (stream.next(chunk, nullptr, 2)) {
    const Matrix part = p.transform(chunk, test::collecting(&chunk_warnings).warn, &unseen);
    joined.conservativeResize(Eigen::NoChange, joined.cols() + part.cols());
    joined.rightCols(part.cols()) = part;
  }
  EXPECT_TRUE(chunk_warnings.empty());  // collected, not warned per chunk
  unseen.warn(test::collecting(&chunk_warnings).warn);
  EXPECT_EQ(joined, whole);
  ASSERT_EQ(whole_warnings.size(), 1u);
  EXPECT_EQ(chunk_warnings, whole_warnings);
  EXPECT_HAS(chunk_warnings[0], "p.csv:4: column 'color' (3): category 'green' was not seen in "
                                "training; encoded as all zeros (2 rows with unseen categories)");
}

TEST(FeatureStreamTest, ErrorsInALaterChunkNameTheirLine) {
  const std::string text = std::string(kText) + "r6,oops,red,q\n";
  std::istringstream in(text);
  FeatureStream stream("p.csv", in, kFeatures, schema());
  Dataset chunk;
  EXPECT_TRUE(stream.next(chunk, nullptr, 2));
  EXPECT_TRUE(stream.next(chunk, nullptr, 2));
  try {
    stream.next(chunk, nullptr, 2);
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_HAS(e.what(), "p.csv:8: column 'x' (2): 'oops' is not a number");
  }
}

TEST(FeatureStreamTest, KeepAndEmptyFileErrors) {
  std::istringstream in(kText);
  EXPECT_THROW(FeatureStream("p.csv", in, kFeatures, schema(), {"nope"}), DataError);
  std::istringstream header_only("id,x,color,y\n");
  FeatureStream stream("p.csv", header_only, kFeatures, schema());
  Dataset chunk;
  EXPECT_THROW(stream.next(chunk, nullptr, 10), DataError);
  // The end of a file whose row count is a multiple of the chunk size: no error, just done.
  std::istringstream two("id,x,color,y\nr1,1,red,p\nr2,2,red,p\n");
  FeatureStream even("p.csv", two, kFeatures, schema());
  EXPECT_TRUE(even.next(chunk, nullptr, 2));
  EXPECT_FALSE(even.next(chunk, nullptr, 2));
  EXPECT_FALSE(even.next(chunk, nullptr, 2));
}

}  // namespace
}  // namespace nnfit::data
