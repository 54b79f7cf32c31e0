// Tests for reading plain lines in one pass (CsvReader::next with a field count,
// CellReader::read_plain): every file reads the same, bit for bit and message for message, as
// when each row is split first (a quoted cell makes a row not plain).
#include <gtest/gtest.h>

#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "data/cells.h"
#include "data/csv.h"
#include "data/dataset.h"
#include "testing/csv_util.h"

namespace nnfit::data {
namespace {

// What reading a file gives: the dataset or the error, and the warnings.
struct Outcome {
  Dataset d;
  std::string error;
  std::vector<std::string> warnings;
};

template <typename Read>
Outcome outcome(CsvOptions options, Read read) {
  Outcome o;
  options.warn = [&o](const std::string& message) { o.warnings.push_back(message); };
  o.error = test::error_of([&] { o.d = read(options); });
  return o;
}

Outcome dataset_of(const std::string& text, const std::string& target, const CsvOptions& options) {
  return outcome(options, [&](const CsvOptions& o) {
    std::istringstream in(text);
    return read_dataset("p.csv", in, target, o);
  });
}

Outcome features_of(const std::string& text, const std::vector<std::string>& names,
                    const CsvOptions& options) {
  return outcome(options, [&](const CsvOptions& o) {
    std::istringstream in(text);
    return read_features("p.csv", in, names, o);
  });
}

void expect_same(const Outcome& a, const Outcome& b) {
  EXPECT_EQ(a.error, b.error);
  EXPECT_EQ(a.warnings, b.warnings);
  ASSERT_EQ(a.d.x.rows(), b.d.x.rows());
  ASSERT_EQ(a.d.x.cols(), b.d.x.cols());
  const auto bytes = static_cast<std::size_t>(a.d.x.size()) * sizeof(float);
  if (bytes > 0) {  // an empty matrix's data() is null, which memcmp must not get
    EXPECT_EQ(std::memcmp(a.d.x.data(), b.d.x.data(), bytes), 0);  // NaN and -0 included
  }
  EXPECT_EQ(a.d.categories, b.d.categories);
  EXPECT_EQ(a.d.categorical, b.d.categorical);
  EXPECT_EQ(a.d.target, b.d.target);
  EXPECT_EQ(a.d.lines, b.d.lines);
  EXPECT_EQ(a.d.weights, b.d.weights);
}

// A cell of column `column` (0-7): 0-5 numbers in every spelling, empty cells too if `missing`;
// 6 numbers and "NA"; 7 numbers and words.
std::string random_cell(Rng& rng, int column, bool missing) {
  static const char* kNumbers[] = {"0",
                                   "7",
                                   "255",
                                   "-3",
                                   "-0",
                                   "007",
                                   "123456789",
                                   "1234567890",
                                   "16777217",
                                   "0.5",
                                   "-2.25",
                                   ".5",
                                   "5.",
                                   "1e5",
                                   "+3",
                                   "1E-3",
                                   "1e-50",
                                   "1.00002783536911",
                                   "0.1234567890123456789",
                                   "3.4028235e38",
                                   " 4",
                                   "4 "};
  static const char* kWords[] = {"red", "n/a", "x y", "\xC3\xA9", "1.2.3", "--1"};
  if (column == 6 && rng.below(20) == 0) return "NA";
  if (column == 7 && rng.below(20) == 0) return kWords[rng.below(6)];
  if (missing && rng.below(30) == 0) return "";
  if (rng.below(3) == 0) return std::to_string(rng.below(100000));
  if (rng.below(3) == 0) {
    return "-" + std::to_string(rng.below(1000)) + "." + std::to_string(rng.below(1000));
  }
  return kNumbers[rng.below(sizeof kNumbers / sizeof *kNumbers)];
}

// A file of `rows` rows; with `quoted`, each row's first cell is quoted, so no row is plain.
std::string random_file(unsigned seed, int rows, bool quoted, bool missing, char delimiter = ',') {
  std::string text = "id";
  for (int c = 0; c < 8; ++c) text += delimiter + std::string("f") + std::to_string(c);
  text += delimiter + std::string("y\n");
  Rng cells(seed);
  for (int r = 0; r < rows; ++r) {
    const std::string id = {static_cast<char>('a' + r % 26), static_cast<char>('a' + r / 26 % 26)};
    text += quoted ? "\"" + id + "\"" : id;
    for (int c = 0; c < 8; ++c) text += delimiter + random_cell(cells, c, missing);
    text += delimiter + std::string(cells.below(2) ? "a" : "b") + (r % 7 ? "\n" : "\r\n");
  }
  return text;
}

TEST(PlainCellsTest, RowsReadAsWhenSplit) {
  int read = 0;  // seeds whose options read the file without a bad cell
  for (unsigned seed = 1; seed <= 32; ++seed) {
    SCOPED_TRACE(seed);
    CsvOptions options;
    options.ignore = {"id"};
    options.allow_missing = seed % 2 == 0;
    if (seed % 4 < 2) options.na_values = {"NA"};
    if (seed % 8 < 4) options.categorical = {"f7"};
    const bool missing = seed % 16 < 8;
    const Outcome plain = dataset_of(random_file(seed, 300, false, missing), "y", options);
    expect_same(plain, dataset_of(random_file(seed, 300, true, missing), "y", options));
    read += plain.error.empty();
  }
  EXPECT_GE(read, 4);
}

TEST(PlainCellsTest, CleanNumericFilesReadAsWhenSplit) {
  // Numbers only, so that plain rows are read in place from the first row on (and counted by row).
  Rng rng(5);
  std::string plain = "a,b,c,y\n", split = plain;
  for (int r = 0; r < 500; ++r) {
    std::string row;
    for (int c = 0; c < 3; ++c) {
      const std::string cell =
          rng.below(2) ? std::to_string(rng.below(300)) : std::to_string(rng.below(100)) + ".125";
      row += cell + ",";
    }
    plain += row + "1\n";
    split += row + "\"1\"\n";
  }
  // A word in column a late in the file: the mixed-column error counts its numbers.
  for (const std::string& tail : {std::string(), std::string("oops,1,2,1\n")}) {
    expect_same(dataset_of(plain + tail, "y", {}), dataset_of(split + tail, "y", {}));
  }
}

TEST(PlainCellsTest, DecimalCommaAndOtherDelimiters) {
  CsvOptions comma;
  comma.decimal = ',';
  comma.delimiter = ';';
  comma.ignore = {"id"};
  comma.allow_missing = true;
  std::string plain = random_file(7, 200, false, true, ';');
  std::string split = random_file(7, 200, true, true, ';');
  expect_same(dataset_of(plain, "y", comma), dataset_of(split, "y", comma));
  for (char delimiter : {'\t', '|', '.', '-', '5'}) {
    SCOPED_TRACE(delimiter);
    CsvOptions options;
    options.delimiter = delimiter;
    options.ignore = {"id"};
    options.allow_missing = true;
    expect_same(dataset_of(random_file(8, 100, false, true, delimiter), "y", options),
                dataset_of(random_file(8, 100, true, true, delimiter), "y", options));
  }
}

TEST(PlainCellsTest, FeaturesInAnotherOrderAndKeptCells) {
  CsvOptions options;
  options.allow_missing = true;
  const std::vector<std::string> names = {"f3", "f0", "f7", "f1"};
  const std::string plain = random_file(9, 300, false, true);
  const std::string split = random_file(9, 300, true, true);
  expect_same(features_of(plain, names, options), features_of(split, names, options));
  // Kept cells, one of them a feature's, come out as in the file; a bad cell stops both alike.
  for (bool missing : {false, true}) {
    std::vector<std::string> kept[2];
    std::string errors[2];
    for (int q = 0; q < 2; ++q) {
      std::istringstream in(random_file(10, 300, q == 1, missing));
      CsvOptions stream_options = options;
      stream_options.na_values = {"NA"};
      stream_options.categorical = {"f7"};
      FeatureStream stream("p.csv", in, names, stream_options, {"f7", "y"});
      Dataset chunk;
      std::vector<std::string> part;
      errors[q] = test::error_of([&] {
        while (stream.next(chunk, &part, 64))
          kept[q].insert(kept[q].end(), part.begin(), part.end());
      });
    }
    EXPECT_EQ(kept[0], kept[1]);
    EXPECT_EQ(errors[0], errors[1]);
    EXPECT_EQ(kept[0].size(), 600u) << errors[0];
  }
}

TEST(PlainCellsTest, ReaderGivesPlainLinesWhole) {
  std::istringstream in("a,b,c\n1,2,3\n\"1\",2,3\n1,2\n1,2,3,4\n1,2,3");
  CsvReader reader("t.csv", in);
  std::vector<std::string_view> fields;
  std::string_view plain;
  std::vector<std::string> got;
  while (reader.next(fields, 3, plain)) {
    if (!plain.empty()) {
      EXPECT_EQ(plain.data()[plain.size()], '\0');
      got.push_back("plain " + std::string(plain));
    } else {
      got.push_back("split " + std::to_string(fields.size()));
    }
  }
  EXPECT_EQ(got, (std::vector<std::string>{"plain a,b,c", "plain 1,2,3", "split 3", "split 2",
                                           "split 4", "plain 1,2,3"}));
}

TEST(PlainCellsTest, ErrorsStillNameLineAndColumn) {
  const Outcome o = dataset_of("a,b,y\n1,2,x\n3,1e999,x\n4,5\n", "y", {});
  EXPECT_HAS(o.error, "p.csv:3: column 'b' (2): '1e999' is out of range for float");
  EXPECT_HAS(o.error, "stopped the reading: p.csv:4: 2 fields, expected 3");
  EXPECT_HAS(dataset_of("a,b,y\n1,2,x\n3,abc,x\n", "y", {}).error,
             "p.csv:3: column 'b' (2): 'abc' is not a number, but 1 other cells");
  EXPECT_HAS(dataset_of("a,b,y\n1,,x\n", "y", {}).error, "p.csv:2: column 'b' (2): missing value");
}

}  // namespace
}  // namespace nnfit::data
