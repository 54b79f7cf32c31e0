// Reading the learning-curve CSV that `nnfit train --history` writes
// (epoch,train_loss,val_loss,val_acc|val_rmse,lr,seconds) back into a LearningCurve.
#pragma once

#include <istream>
#include <string>

#include "report/term_plot.h"

namespace nnfit::report {

// The epoch, train_loss and (if present) val_loss columns, matched by header name; other
// columns are ignored. An empty cell, "nan" or "inf" is a point not drawn (NaN or inf). The
// marked epoch is the one with the lowest validation loss (none without validation).
// DataError naming the file (and line and column for a cell): a file that cannot be read, a
// missing epoch or train_loss column (what --history writes is named), a cell that is not a
// number, epochs that do not increase, a file without rows.
LearningCurve read_history_csv(const std::string& path);
LearningCurve read_history_csv(const std::string& name, std::istream& in);

}  // namespace nnfit::report
