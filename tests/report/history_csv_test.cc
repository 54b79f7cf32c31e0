// Reading train --history's CSV back: columns by name, gaps, and errors naming file and line.
#include "report/history_csv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "core/error.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::report::history_csv_test {
namespace {

LearningCurve parse(const std::string& text) {
  std::istringstream in(text);
  return read_history_csv("h.csv", in);
}

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const DataError& e) {
    return e.what();
  }
  return "no error";
}

TEST(HistoryCsvTest, ReadsWhatTrainWrites) {
  const LearningCurve c = parse(
      "epoch,train_loss,val_loss,val_acc,lr,seconds\n"
      "1,1.5,1.4,0.5,0.01,0.1\n2,1.0,0.9,0.7,0.01,0.1\n3,0.8,0.95,0.7,0.01,0.1\n");
  EXPECT_EQ(c.epochs, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(c.train_loss, (std::vector<double>{1.5, 1.0, 0.8}));
  EXPECT_EQ(c.val_loss, (std::vector<double>{1.4, 0.9, 0.95}));
  EXPECT_EQ(c.marked_epoch, 2);
  EXPECT_EQ(c.marked_label, "lowest validation loss: epoch 2");
}

TEST(HistoryCsvTest, EmptyValidationCellsAndNanAreGaps) {
  const LearningCurve c = parse(
      "epoch,train_loss,val_loss,val_rmse,lr,seconds\n1,2,,,0.1,0\n2,nan,,,0.1,0\n3,inf,,,0.1,0\n");
  EXPECT_TRUE(std::isnan(c.val_loss[0]));
  EXPECT_TRUE(std::isnan(c.train_loss[1]));
  EXPECT_TRUE(std::isinf(c.train_loss[2]));
  EXPECT_EQ(c.marked_epoch, 0);  // no validation: nothing marked
}

TEST(HistoryCsvTest, ErrorsNameTheFileLineAndWhatToDo) {
  EXPECT_HAS(error_of(""), "h.csv: the file is empty");
  EXPECT_HAS(error_of("epoch,loss\n1,2\n"),
             "h.csv:1: no 'train_loss' column; expected the CSV "
             "that nnfit train --history writes");
  EXPECT_HAS(error_of("epoch,train_loss\n1,2\n2,abc\n"),
             "h.csv:3: column 'train_loss': 'abc' is not a number");
  EXPECT_HAS(error_of("epoch,train_loss\n"), "h.csv: no epochs, only a header");
  EXPECT_HAS(error_of("epoch,train_loss\n2,1\n1,1\n"), "h.csv:3: column 'epoch': epochs must");
  EXPECT_HAS(error_of("epoch,train_loss\n1,2,3\n"), "h.csv:2: 3 fields, expected 2");
}

}  // namespace
}  // namespace nnfit::report::history_csv_test
