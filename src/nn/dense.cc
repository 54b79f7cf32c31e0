// Dense layer kernels: y = W x + b and its backward pass, plus Glorot/He initialisation.
// Batch size 1 takes explicit vector paths (GEMV, outer product) to skip GEMM set-up cost.
#include "nn/dense.h"

#include <cassert>
#include <cmath>
#include <new>

namespace nnfit::nn {

Dense::Dense(Index output_size) : out_(output_size) { assert(output_size >= 1); }

void Dense::bind(Scalar* params, Scalar* grads, Index input_size) {
  in_ = input_size;
  // Placement new re-points a Map (the idiom documented by Eigen's Map class).
  new (&W_) MatrixMap(params, out_, in_);
  new (&b_) VectorMap(params + out_ * in_, out_);
  new (&dW_) MatrixMap(grads, out_, in_);
  new (&db_) VectorMap(grads + out_ * in_, out_);
}

double Dense::glorot_bound(Index fan_in, Index fan_out) {
  return std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
}

double Dense::he_bound(Index fan_in) { return std::sqrt(6.0 / static_cast<double>(fan_in)); }

void Dense::init_uniform(Rng& rng, double bound) {
  for (Index j = 0; j < W_.cols(); ++j) {
    for (Index i = 0; i < W_.rows(); ++i) {
      W_(i, j) = static_cast<Scalar>(rng.uniform(-bound, bound));
    }
  }
  b_.setZero();
}

// x: (in,B)  W: (out,in)  b: (out)  y: (out,B)
void Dense::fprop(const ConstMatrixRef& x, MatrixRef y) {
  if (x.cols() == 1) {
    y.col(0).noalias() = W_ * x.col(0);
    y.col(0) += b_;
    return;
  }
  // The bias first, then the product accumulated onto it: Eigen's "=" product zeroes y before
  // accumulating, so this saves that pass and the separate bias pass.
  y.colwise() = b_;
  y.noalias() += W_ * x;
}

// dy: (out,B)  dW: (out,in)  db: (out)  dx: (in,B)
// y_ib = sum_j W_ij x_jb + b_i  =>  dW = dy x^T,  db = sum_b dy_:b,  dx = W^T dy.
void Dense::bprop(const ConstMatrixRef& x, const ConstMatrixRef& /*y*/, const ConstMatrixRef& dy,
                  MatrixRef dx) {
  if (x.cols() == 1) {
    dW_.noalias() = dy.col(0) * x.col(0).transpose();
    db_ = dy.col(0);
    if (dx.cols() > 0) dx.col(0).noalias() = W_.transpose() * dy.col(0);
    return;
  }
  dW_.noalias() = dy * x.transpose();
  db_ = dy.rowwise().sum();
  if (dx.cols() > 0) dx.noalias() = W_.transpose() * dy;
}

}  // namespace nnfit::nn
