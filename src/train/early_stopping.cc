// Early stopping bookkeeping and the --monitor names.
#include "train/early_stopping.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace nnfit::train {

std::string monitor_name(Monitor m) {
  switch (m) {
    case Monitor::kValLoss:
      return "val_loss";
    case Monitor::kValAccuracy:
      return "val_accuracy";
    case Monitor::kValF1:
      return "val_f1";
    case Monitor::kValRmse:
      return "val_rmse";
  }
  return "val_loss";
}

Monitor parse_monitor(const std::string& name, bool classification) {
  for (Monitor m : {Monitor::kValLoss, Monitor::kValAccuracy, Monitor::kValF1, Monitor::kValRmse}) {
    if (monitor_name(m) != name) continue;
    const bool for_classes = m == Monitor::kValAccuracy || m == Monitor::kValF1;
    if (for_classes && !classification) {
      throw ConfigError("--monitor " + name +
                        " needs a classification target; for regression use val_loss or "
                        "val_rmse");
    }
    if (m == Monitor::kValRmse && classification) {
      throw ConfigError(
          "--monitor val_rmse needs a regression target; for classification use "
          "val_loss, val_accuracy or val_f1");
    }
    return m;
  }
  throw ConfigError("invalid --monitor '" + name +
                    "': expected one of val_loss, val_accuracy, val_f1, val_rmse");
}

bool maximised(Monitor m) { return m == Monitor::kValAccuracy || m == Monitor::kValF1; }

EarlyStopping::EarlyStopping(const StoppingRule& rule)
    : rule_(rule), patience_(static_cast<double>(rule.patience)) {}

bool EarlyStopping::update(int epoch, double value) {
  last_epoch_ = epoch;
  const bool better =
      rule_.maximise ? value > best_ + rule_.min_delta : value < best_ - rule_.min_delta;
  if (std::isfinite(value) && (best_epoch_ == 0 || better)) {
    best_epoch_ = epoch;
    best_ = value;
    bad_epochs_ = 0;
    if (rule_.look_ahead > 0) patience_ = std::max(patience_, epoch * rule_.look_ahead);
    return true;
  }
  ++bad_epochs_;
  return false;
}

bool EarlyStopping::should_stop() const {
  return last_epoch_ >= rule_.min_epochs && bad_epochs_ >= patience_;
}

}  // namespace nnfit::train
