// Inverted dropout kernels (see dropout.h).
#include "nn/dropout.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace nnfit::nn {

Dropout::Dropout(double rate, std::uint64_t seed) : rate_(rate), rng_(seed) {
  assert(rate >= 0.0 && rate < 1.0);
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void Dropout::reserve(Index units, Index max_batch) {
  if (mask_.rows() == units && mask_.cols() >= max_batch) return;
  if (mask_.rows() != units) drawn_ = 0;
  mask_.conservativeResize(units, max_batch);
}

// m = [u >= p] / (1 - p), drawn column-major (a fixed order, so a seed fixes the masks). One
// 64-bit draw gives two entries: u = k 2^-32 for each 32-bit half k, and u >= p exactly when
// k >= ceil(p 2^32), so p is honoured to 2^-32. An integer compare without a branch (a branch
// on a coin flip is mispredicted half the time); the generator is the cost that is left.
void Dropout::draw(Index batch) {
  const auto scale = static_cast<Scalar>(1.0 / (1.0 - rate_));
  const auto threshold = static_cast<std::uint64_t>(std::ceil(std::ldexp(rate_, 32)));
  const auto keep = [&](std::uint64_t k) { return static_cast<Scalar>(k >= threshold) * scale; };
  Scalar* m = mask_.data();
  const Index n = mask_.rows() * batch;  // the first `batch` columns are contiguous
  Index e = 0;
  for (; e + 1 < n; e += 2) {
    const std::uint64_t r = rng_.next();
    m[e] = keep(r >> 32);
    m[e + 1] = keep(r & 0xFFFFFFFFULL);
  }
  if (e < n) m[e] = keep(rng_.next() >> 32);
  drawn_ = std::max(drawn_, batch);
}

void Dropout::fprop(const ConstMatrixRef& x, MatrixRef y) {
  const Index batch = x.cols();
  reserve(x.rows(), std::max(batch, mask_.cols()));  // no-op once sized for this batch
  if (!fixed_ || drawn_ < batch) draw(batch);
  y.array() = x.array() * mask_.leftCols(batch).array();
}

// y = x .* m  =>  dx = dy .* m (the mask of the last fprop).
void Dropout::bprop(const ConstMatrixRef& /*x*/, const ConstMatrixRef& /*y*/,
                    const ConstMatrixRef& dy, MatrixRef dx) {
  if (dx.cols() > 0) dx.array() = dy.array() * mask_.leftCols(dy.cols()).array();
}

}  // namespace nnfit::nn
