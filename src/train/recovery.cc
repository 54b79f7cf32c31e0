// Divergence recovery helpers (see recovery.h).
#include "train/recovery.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace nnfit::train {

std::string explosion(double train_loss, double first_loss) {
  // In the first epoch (no reference yet) the bound is kExplosionFactor itself.
  const double bound =
      kExplosionFactor * (std::isnan(first_loss) ? 1.0 : std::max(1.0, first_loss));
  if (!(train_loss > bound)) return "";
  std::ostringstream os;
  os.precision(3);
  os << "training loss " << train_loss << " exploded past " << bound;
  return os.str();
}

TrainOptions restart_options(const TrainOptions& opt, double lr, int epoch) {
  TrainOptions o = opt;
  o.lr_min = opt.lr_min * (lr / opt.lr);
  o.lr = lr;
  o.epochs = std::max(1, opt.epochs - epoch + 1);
  return o;
}

std::string extreme_feature(const Matrix& x, const std::vector<std::string>* names) {
  if (x.size() == 0) return "";
  Index row = 0, col = 0;
  const double z = x.cwiseAbs().maxCoeff(&row, &col);
  if (!(z >= kExtremeZ)) return "";
  const bool named = names != nullptr && static_cast<Index>(names->size()) == x.rows();
  std::ostringstream os;
  os.precision(3);
  os << (named ? "feature '" + (*names)[static_cast<std::size_t>(row)] + "'"
               : "input " + std::to_string(row + 1))
     << " has scaled values up to " << z
     << " standard deviations; consider clipping it or a log transform";
  return os.str();
}

std::string diverged_message(int epoch, const std::string& reason, double lr, bool full_batch,
                             int recoveries, const std::string& feature_hint) {
  std::ostringstream os;
  os.precision(6);
  os << "training diverged in epoch " << epoch << " (" << reason << ")";
  os << (full_batch ? " with a line-search step of " : " with --lr ") << lr;
  if (recoveries > 0) {
    os << " after " << recoveries << (recoveries == 1 ? " recovery" : " recoveries")
       << (full_batch ? " (history reset each time, --max-recoveries)"
                      : " (the rate halved each time, --max-recoveries)");
  }
  os << (full_batch ? "; try --l2 or --optimizer adam" : "; try a smaller --lr or --momentum");
  if (!feature_hint.empty()) os << "; or the inputs: " << feature_hint;
  os << " (no model was saved)";
  return os.str();
}

}  // namespace nnfit::train
