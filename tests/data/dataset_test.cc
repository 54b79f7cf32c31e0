// Tests for read_dataset / read_features (in-memory CSVs, plus iris); the target encoding is
// tested in target_test.cc.
#include "data/dataset.h"
#include "data/target.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "testing/csv_util.h"
#include "testing/paths.h"


namespace nnfit::data {
namespace {

Dataset load(const std::string& text, const std::string& target = "",
             const CsvOptions& options = {}) {
  std::istringstream in(text);
  return read_dataset("d.csv", in, target, options);
}

// The DataError message of loading `text`, or "" if it loaded.
std::string load_error(const std::string& text, const std::string& target = "",
                       const CsvOptions& options = {}) {
  try {
    load(text, target, options);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

using test::collecting;

CsvOptions with_delimiter(char delimiter) {
  CsvOptions options;
  options.delimiter = delimiter;
  return options;
}

CsvOptions no_header() {
  CsvOptions options;
  options.header = false;
  return options;
}

TEST(ReadDatasetTest, DefaultTargetIsLastColumn) {
  const Dataset d = load("a,b,label\n1,2,x\n3,4.5,y\n");
  EXPECT_EQ(d.source, "d.csv");
  EXPECT_EQ(d.feature_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(d.target_name, "label");
  ASSERT_EQ(d.x.rows(), 2);
  ASSERT_EQ(d.x.cols(), 2);
  EXPECT_FLOAT_EQ(d.x(0, 0), 1.0f);
  EXPECT_FLOAT_EQ(d.x(1, 0), 2.0f);
  EXPECT_FLOAT_EQ(d.x(0, 1), 3.0f);
  EXPECT_FLOAT_EQ(d.x(1, 1), 4.5f);
  EXPECT_EQ(d.target, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(d.lines, (std::vector<unsigned>{2, 3}));
}

TEST(ReadDatasetTest, TargetByNameAndByIndex) {
  const std::string text = "a,b,c\n1,2,3\n4,5,6\n";
  const Dataset by_name = load(text, "a");
  EXPECT_EQ(by_name.target_name, "a");
  EXPECT_EQ(by_name.feature_names, (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(by_name.target, (std::vector<std::string>{"1", "4"}));
  const Dataset by_index = load(text, "1");
  EXPECT_EQ(by_index.target_name, "b");
  EXPECT_FLOAT_EQ(by_index.x(1, 1), 6.0f);
}

TEST(ReadDatasetTest, HeaderNameWinsOverIndex) {
  const Dataset d = load("x,0,z\n1,2,3\n", "0");
  EXPECT_EQ(d.target_name, "0");
  EXPECT_EQ(d.target, (std::vector<std::string>{"2"}));
}

TEST(ReadDatasetTest, QuotedCrlfTrimmedAndBlankLines) {
  const Dataset d = load("\"f,1\", f2 ,\"kind\"\r\n 1 ,\"2\", \"a,b\" \r\n\r\n3,4,c\r\n");
  EXPECT_EQ(d.feature_names, (std::vector<std::string>{"f,1", "f2"}));
  EXPECT_EQ(d.target_name, "kind");
  EXPECT_EQ(d.x.cols(), 2);
  EXPECT_FLOAT_EQ(d.x(0, 0), 1.0f);
  EXPECT_EQ(d.lines, (std::vector<unsigned>{2, 4}));
}

TEST(ReadDatasetTest, RaggedRowNamesLineAndCounts) {
  const std::string msg = load_error("a,b,c,d,e\n1,2,3,4,5\n1,2,3,4\n");
  EXPECT_HAS(msg, "d.csv:3: 4 fields, expected 5 (header has 5 columns)");
}

TEST(ReadDatasetTest, RowLongerThanHeaderNamesLineAndCounts) {
  EXPECT_HAS(load_error("a,b\n1,2\n1,2,3\n"),
             "d.csv:3: 3 fields, expected 2 (header has 2 columns); quote fields that contain ','");
  CsvOptions semicolon;
  semicolon.delimiter = ';';
  EXPECT_HAS(load_error("a;b\n1;2;3\n", "", semicolon), "quote fields that contain ';'");
  EXPECT_HAS(load_error("1,2,3\n4,5\n", "", no_header()),
             "d.csv:2: 2 fields, expected 3 (the first row has 3 fields)");
}

TEST(ReadDatasetTest, NoHeaderNamesColumnsByIndex) {
  const Dataset d = load("\n1,2,a\n3,4,b\n", "", no_header());
  EXPECT_EQ(d.feature_names, (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(d.target_name, "2");
  EXPECT_EQ(d.target, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(d.lines, (std::vector<unsigned>{2, 3}));
  ASSERT_EQ(d.x.cols(), 2);
  EXPECT_FLOAT_EQ(d.x(0, 0), 1.0f);
  const Dataset by_index = load("1,2,3\n4,5,6\n", "1", no_header());
  EXPECT_EQ(by_index.target_name, "1");
  EXPECT_EQ(by_index.feature_names, (std::vector<std::string>{"0", "2"}));
  EXPECT_EQ(by_index.target, (std::vector<std::string>{"2", "5"}));
  EXPECT_FLOAT_EQ(by_index.x(1, 1), 6.0f);
  EXPECT_HAS(load_error("1,2,a\n", "3", no_header()), "target column index 3 is out of range");
  EXPECT_HAS(load_error("", "", no_header()), "d.csv: empty file");
}

TEST(ReadDatasetTest, DelimiterDetectedGivenOrFromTsvName) {
  const Dataset semi = load("a;b;y\n1.5;2;x\n");
  EXPECT_EQ(semi.feature_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_FLOAT_EQ(semi.x(0, 0), 1.5f);
  std::istringstream tsv("a\tb\n1\t2\n");
  EXPECT_EQ(read_dataset("d.tsv", tsv, "").target_name, "b");
  CsvOptions pipe;
  pipe.delimiter = '|';
  EXPECT_EQ(load("a|b\n1|2\n", "", pipe).target, (std::vector<std::string>{"2"}));
  EXPECT_HAS(load_error("a|b\n1|2\n", "", with_delimiter(',')),
             "d.csv:1: only one column (delimiter ','); need at least one feature column");
}

TEST(ReadDatasetTest, MultiLineQuotedTarget) {
  const Dataset d = load("a,b,note\n1,2,\"two\nlines\"\n3,4,x\n", "note");
  EXPECT_EQ(d.target, (std::vector<std::string>{"two\nlines", "x"}));
  EXPECT_EQ(d.lines, (std::vector<unsigned>{2, 4}));
}

TEST(ReadDatasetTest, WarnsOncePerColumnAboutTrimmedWhitespace) {
  std::vector<std::string> warnings;
  const Dataset d = load("a,b,y\n 1,2 ,x\n 3, 4,\ty\n5,6,z\n", "", collecting(&warnings));
  EXPECT_FLOAT_EQ(d.x(1, 1), 4.0f);
  EXPECT_EQ(d.target, (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(warnings, (std::vector<std::string>{
                          "d.csv:2: column 'a' (1): surrounding whitespace in ' 1' trimmed",
                          "d.csv:2: column 'b' (2): surrounding whitespace in '2 ' trimmed",
                          "d.csv:3: column 'y' (3): surrounding whitespace in '\ty' trimmed"}));
}

TEST(ReadDatasetTest, WarnsOnceAboutSkippedBlankLines) {
  std::vector<std::string> warnings;
  const Dataset d = load("\na,y\n1,2\n  \n3,4\n\r\n", "", collecting(&warnings));
  EXPECT_EQ(d.lines, (std::vector<unsigned>{3, 5}));
  EXPECT_EQ(warnings, (std::vector<std::string>{"d.csv: skipped 3 blank lines (1, 4, 6)"}));
  std::string many = "a,y\n";
  for (int i = 0; i < 12; ++i) many += "1,2\n\n";
  warnings.clear();
  load(many, "", collecting(&warnings));
  EXPECT_EQ(warnings,
            (std::vector<std::string>{
                "d.csv: skipped 12 blank lines (3, 5, 7, 9, 11, 13, 15, 17, 19, 21, ...)"}));
  warnings.clear();
  load("a,y\n1,2\n\n", "", collecting(&warnings));
  EXPECT_EQ(warnings, (std::vector<std::string>{"d.csv: skipped 1 blank line (3)"}));
}

TEST(ReadDatasetTest, UnderflowReadsAsZeroWithOneWarningPerColumn) {
  std::vector<std::string> warnings;
  const Dataset d =
      load("a,b,y\n1e-50,1e-40,x\n-1e-400,0e-999,y\n1e-60,0,z\n", "", collecting(&warnings));
  EXPECT_EQ(d.x(0, 0), 0.0f);
  EXPECT_EQ(d.x(0, 1), 0.0f);
  EXPECT_GT(d.x(1, 0), 0.0f);  // a float denormal, kept
  EXPECT_EQ(warnings,
            (std::vector<std::string>{"d.csv:2: column 'a' (1): '1e-50' is below "
                                      "float's smallest magnitude (1.4e-45); read as 0"}));
  EXPECT_HAS(load_error("a,y\n3.5e38,1\n"), "d.csv:2: column 'a' (1): '3.5e38' is out of range");
  EXPECT_HAS(load_error("a,y\n1,1\ninf,1\n"), "d.csv:3: column 'a' (1): 'inf' is not a finite");
}

TEST(ReadDatasetTest, BinaryContentIsError) {
  using namespace std::string_literals;
  EXPECT_HAS(load_error("a,y\n1,2\n\x89PNG\r\n"s), "d.csv:3: invalid UTF-8 at byte column 1");
  // A NUL byte is reported first, wherever it is in the line.
  EXPECT_HAS(load_error("a,y\n\x89PNG\0\0\n"s),
             "d.csv:2: NUL byte (binary file?) at byte column 5");
  EXPECT_HAS(load_error("a,y\n1,2\n3,\0\n"s), "d.csv:3: NUL byte (binary file?)");
}

TEST(ReadDatasetTest, NonNumericFeatureNamesColumnAndValue) {
  const std::string msg = load_error("sepal length,sepal width,y\n1,2,a\n1,abc,b\n");
  EXPECT_HAS(msg, "d.csv:3: column 'sepal width' (2): 'abc' is not a number");
}

TEST(ReadDatasetTest, TextColumnIsCategorical) {
  const Dataset d = load("label,a,b\nT,1,2\nI,3,4\n");
  EXPECT_EQ(d.categorical, (std::vector<bool>{true, false}));
  EXPECT_EQ(d.categories[0], (std::vector<std::string>{"I", "T"}));
  EXPECT_EQ(d.x, (Matrix(2, 2) << 1, 0, 1, 3).finished());
  EXPECT_EQ(load("label,a,b\nT,1,2\nI,3,4\n", "label").target, (std::vector<std::string>{"T", "I"}));
}

TEST(ReadDatasetTest, EmptyFeatureCell) {
  const std::string msg = load_error("a,b,y\n1,,a\n");
  EXPECT_HAS(msg, "d.csv:2: column 'b' (2)");
  EXPECT_HAS(msg, "missing value (empty cell); fill it in, drop the row, or pass --impute");
}

TEST(ReadDatasetTest, NanInfOverflowFeatureCells) {
  EXPECT_HAS(load_error("a,y\nnan,1\n"), "d.csv:2: column 'a' (1): 'nan' is not a finite number");
  EXPECT_HAS(load_error("a,y\n1,1\n-inf,1\n"), "d.csv:3: column 'a' (1): '-inf' is not a finite");
  EXPECT_HAS(load_error("a,b,y\n1,1e309,1\n"), "d.csv:2: column 'b' (2): '1e309' is out of range");
}

TEST(ReadDatasetTest, EmptyTargetCell) {
  const std::string msg = load_error("a,y\n1,2\n3,\n");
  EXPECT_HAS(msg, "d.csv:3: target column 'y' (2): cell is empty");
}

TEST(ReadDatasetTest, SchemaErrors) {
  EXPECT_HAS(load_error(""), "d.csv: empty file");
  EXPECT_HAS(load_error("a,b\n"), "d.csv:1: no data rows");
  EXPECT_HAS(load_error("a,b,a\n1,2,3\n"), "duplicate column name 'a' (columns 1 and 3)");
  EXPECT_HAS(load_error("only\n1\n"), "need at least one feature column");
  const std::string missing = load_error("alpha,beta\n1,2\n", "gamma");
  EXPECT_HAS(missing, "d.csv:1: target column 'gamma' not found");
  EXPECT_HAS(missing, "available columns: 'alpha', 'beta'");
  EXPECT_HAS(load_error("a,b\n1,2\n", "2"), "target column index 2 is out of range");
}

TEST(ReadFeaturesTest, SelectsColumnsByNameInGivenOrder) {
  std::istringstream in("y,b,a,extra\ncat,2,1,zz\ndog,4,3,\n");
  const Dataset d = read_features("p.csv", in, {"a", "b"});
  const Matrix& x = d.x;
  ASSERT_EQ(x.rows(), 2);
  ASSERT_EQ(x.cols(), 2);
  EXPECT_FLOAT_EQ(x(0, 0), 1.0f);
  EXPECT_FLOAT_EQ(x(1, 0), 2.0f);
  EXPECT_FLOAT_EQ(x(0, 1), 3.0f);
  EXPECT_FLOAT_EQ(x(1, 1), 4.0f);
  EXPECT_EQ(d.lines, (std::vector<unsigned>{2, 3}));
  EXPECT_EQ(d.feature_columns, (std::vector<std::size_t>{2, 1}));
}

TEST(ReadFeaturesTest, HeaderlessPipeFileWithWarnings) {
  std::istringstream in("9|1| 2\n9|3|4\n\n");
  std::vector<std::string> warnings;
  CsvOptions options = collecting(&warnings);
  options.header = false;
  options.delimiter = '|';
  const Dataset d = read_features("p.csv", in, {"2", "1"}, options);
  EXPECT_EQ(d.x, (Matrix(2, 2) << 2, 4, 1, 3).finished());
  EXPECT_EQ(d.lines, (std::vector<unsigned>{1, 2}));
  EXPECT_EQ(warnings, (std::vector<std::string>{
                          "p.csv: ignoring columns the model does not use: '0'",
                          "p.csv:1: column '2' (3): surrounding whitespace in ' 2' trimmed",
                          "p.csv: skipped 1 blank line (3)"}));
}

TEST(ReadFeaturesTest, ExpectedExtraColumnsAreSkippedSilently) {
  std::istringstream in("id,a,y,note\n7,1,x,hello\n");
  std::vector<std::string> warnings;
  CsvOptions options = collecting(&warnings);
  options.ignore = {"id", "y"};
  EXPECT_EQ(read_features("p.csv", in, {"a"}, options).x, (Matrix(1, 1) << 1).finished());
  EXPECT_EQ(warnings, (std::vector<std::string>{"p.csv: ignoring columns the model does not use: 'note'"}));
}

TEST(ReadDatasetTest, IgnoredColumnsAreNotParsed) {
  CsvOptions options;
  options.ignore = {"id", "comment"};
  std::istringstream in("id,a,comment,y\nx-17,1,\"free, text\",p\nx-18,2,,q\n");
  const Dataset d = read_dataset("d.csv", in, "y", options);
  EXPECT_EQ(d.feature_names, (std::vector<std::string>{"a"}));
  EXPECT_EQ(d.x, (Matrix(1, 2) << 1, 2).finished());
  std::istringstream again("id,a,y\n1,2,3\n");
  options.ignore = {"ID"};
  try {
    read_dataset("d.csv", again, "y", options);
    FAIL() << "no error for an unknown --ignore column";
  } catch (const DataError& e) {
    EXPECT_HAS(e.what(), "--ignore names column 'ID', which the header does not have");
  }
  std::istringstream target("id,a,y\n1,2,3\n");
  options.ignore = {"y"};
  EXPECT_THROW(read_dataset("d.csv", target, "y", options), ConfigError);
}

TEST(ReadFeaturesTest, MissingColumnAndBadCell) {
  std::istringstream missing("a,c\n1,2\n");
  try {
    read_features("p.csv", missing, {"a", "b"});
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_HAS(e.what(), "p.csv:1: column 'b' not found");
  }
  std::istringstream bad("a,b\n1,x\n");
  try {
    read_features("p.csv", bad, {"b"});
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_HAS(e.what(), "p.csv:2: column 'b' (2): 'x' is not a number");
  }
}

// Rows of 100 cells, "123456.5" each in rows [long_begin, long_end), else "1" each.
std::string uneven_rows(int rows, int long_begin, int long_end) {
  std::string text = "y";
  for (int c = 0; c < 100; ++c) text += ",c" + std::to_string(c);
  for (int r = 0; r < rows; ++r) {
    text += "\n" + std::to_string(r % 3);
    const bool long_row = r >= long_begin && r < long_end;
    for (int c = 0; c < 100; ++c) text += long_row ? ",123456.5" : ",1";
  }
  return text + "\n";
}

TEST(ReadDatasetTest, FileOfKnownSizeReadsAsStream) {
  // From a file, the matrix is reserved for the rows that the file's size should hold, as
  // estimated from the first rows: about right, too many (short rows first), too few (long rows
  // first, so that it grows again).
  const auto path = std::filesystem::temp_directory_path() / "nnfit_dataset_estimate.csv";
  for (const auto& [begin, end] : {std::pair{0, 0}, std::pair{500, 3000}, std::pair{0, 500}}) {
    const std::string text = uneven_rows(3000, begin, end);
    std::ofstream(path, std::ios::binary) << text;
    const Dataset from_file = read_dataset(path.string(), "y");
    const Dataset from_stream = load(text, "y");
    ASSERT_EQ(from_file.x.cols(), 3000);
    EXPECT_TRUE(from_file.x == from_stream.x);
    EXPECT_EQ(from_file.target, from_stream.target);
  }
  std::filesystem::remove(path);
}

TEST(IrisTest, ReadsRealFile) {
  const Dataset d = read_dataset(test::data_path("iris.csv"), "");
  EXPECT_EQ(d.x.rows(), 4);
  EXPECT_EQ(d.x.cols(), 150);
  EXPECT_EQ(d.feature_names.size(), 4u);
  EXPECT_EQ(d.feature_names[1], "sepal width (cm)");
  EXPECT_EQ(d.target_name, "species");
  EXPECT_FLOAT_EQ(d.x(0, 0), 5.1f);
  const TargetEncoding enc = fit_target(d, Task::kAuto);
  EXPECT_EQ(enc.task, Task::kClassification);
  EXPECT_EQ(enc.classes, (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
  const Matrix y = encode_target(d, enc);
  for (int k = 0; k < 3; ++k) EXPECT_EQ((y.array() == float(k)).count(), 50);
  const Matrix x = read_features(test::data_path("iris.csv"),
                                 {"petal width (cm)", "sepal length (cm)"}).x;
  EXPECT_FLOAT_EQ(x(1, 0), 5.1f);
  EXPECT_FLOAT_EQ(x(0, 0), 0.2f);
}

}  // namespace
}  // namespace nnfit::data
