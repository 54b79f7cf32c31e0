// Scalar and matrix aliases shared by the whole library.
// Layout legend: data are (features, N) column-major, one sample per column; a batch is (in, B).
#pragma once

#include <Eigen/Core>
#include <cstdint>

namespace nnfit {

using Scalar = float;  // float32 by default: half the memory traffic of double
using Index = Eigen::Index;
using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
using RowVector = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;
using MatrixRef = Eigen::Ref<Matrix>;
using ConstMatrixRef = Eigen::Ref<const Matrix>;
using VectorMap = Eigen::Map<Vector>;
using MatrixMap = Eigen::Map<Matrix>;

}  // namespace nnfit
