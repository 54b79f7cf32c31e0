// Standardizer: two-pass mean and population standard deviation per feature, in double.
#include "data/scaler.h"

#include <cfloat>
#include <cmath>
#include <string>

#include "core/error.h"

namespace nnfit::data {
namespace {

void check_rows(const Matrix& x, const Vector& mean) {
  if (x.rows() != mean.size()) {
    throw DataError("standardizer: data has " + std::to_string(x.rows()) + " features, expected " +
                    std::to_string(mean.size()) + " (was it fitted on other columns?)");
  }
}

}  // namespace

// Two passes over the samples, each reading x column by column (contiguous in memory) and
// accumulating all features at once in double.
void Standardizer::fit(const Matrix& x) {
  if (x.cols() == 0) throw DataError("standardizer: cannot fit on 0 samples");
  const double n = static_cast<double>(x.cols());
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(x.rows());
  for (Index j = 0; j < x.cols(); ++j) sum += x.col(j).cast<double>();
  const Eigen::VectorXd mu = sum / n;
  Eigen::VectorXd sq = Eigen::VectorXd::Zero(x.rows());
  for (Index j = 0; j < x.cols(); ++j) sq += (x.col(j).cast<double>() - mu).array().square().matrix();
  mean.resize(x.rows());
  scale.resize(x.rows());
  for (Index f = 0; f < x.rows(); ++f) {
    const double sd = std::sqrt(sq(f) / n);
    // Below a few float ulps of the mean the spread is rounding noise: treat as constant.
    const bool constant =
        !std::isfinite(sd) || sd < FLT_MIN || sd <= 4 * FLT_EPSILON * std::fabs(mu(f));
    mean(f) = static_cast<Scalar>(mu(f));
    scale(f) = constant ? Scalar(1) : static_cast<Scalar>(sd);
  }
}

void Standardizer::transform(Matrix& x) const {
  check_rows(x, mean);
  x.array().colwise() -= mean.array();
  x.array().colwise() /= scale.array();
}

}  // namespace nnfit::data
