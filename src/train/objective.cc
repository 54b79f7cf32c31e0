// NetworkObjective (see objective.h).
#include "train/objective.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"

namespace nnfit::train {

NetworkObjective::NetworkObjective(nn::Network& net, const Matrix& x, const Matrix& y, double l1,
                                   double l2, Index max_batch, const Vector* weights,
                                   double max_norm)
    : net_(net),
      x_(x),
      y_(y),
      l1_(l1),
      l2_(l2),
      max_batch_(std::max<Index>(1, std::min<Index>(max_batch, x.cols()))),
      max_norm_(max_norm),
      xb_(x.rows(), max_batch_),
      yb_(y.rows(), max_batch_),
      grad_(net.param_count()) {
  net_.reserve(max_batch_);
  if (weights != nullptr) {
    if (weights->size() != x.cols()) {
      throw DataError("sample weights: " + std::to_string(weights->size()) + " for " +
                      std::to_string(x.cols()) + " training columns");
    }
    const double total = weights->cast<double>().sum();
    if (!(total > 0) || !std::isfinite(total)) {
      throw DataError("sample weights sum to " + std::to_string(total) +
                      "; they must be finite, >= 0 and not all zero");
    }
    w_ = (weights->cast<double>() * (static_cast<double>(x.cols()) / total)).cast<Scalar>();
    wb_.resize(max_batch_);
  }
}

void NetworkObjective::set_point(const Vector& w) {
  if (w.data() != net_.params().data()) net_.params() = w;
}

void NetworkObjective::penalty_gradient(const Scalar* w, const Scalar* g, const Scalar* m,
                                        Scalar* out, Index n, Scalar l1, Scalar l2) {
  for (Index i = 0; i < n; ++i) {
    // d/dw [l1 |w| + l2/2 w^2] = l1 sign(w) + l2 w, on weights only.
    const Scalar sign = static_cast<Scalar>((w[i] > 0) - (w[i] < 0));
    out[i] = g[i] + m[i] * (l2 * w[i] + l1 * sign);
  }
}

void NetworkObjective::add_penalty_gradient(const Vector& w, const Vector& g, Vector& out) const {
  penalty_gradient(w.data(), g.data(), net_.weight_mask().data(), out.data(), out.size(),
                   static_cast<Scalar>(l1_), static_cast<Scalar>(l2_));
}

const Vector& NetworkObjective::penalised(const Vector& w) {
  if (l1_ == 0 && l2_ == 0) return net_.grads();
  add_penalty_gradient(w, net_.grads(), grad_);
  return grad_;
}

optim::BatchEval NetworkObjective::batch(const Vector& w, const Index* rows, Index B) {
  set_point(w);
  if (splits(B)) return parallel_batch(rows, B);
  double loss;
  if (B == 1) {  // per-example SGD: a column is contiguous, no copy needed
    const Scalar* weight = weighted() ? w_.data() + rows[0] : nullptr;
    loss = net_.forward_backward(x_.col(rows[0]), y_.col(rows[0]), weight);
  } else {
    loss = gather_and_run(net_, rows, B, xb_, yb_, wb_);
  }
  return {loss, &penalised(net_.params())};
}

double NetworkObjective::gather_and_run(nn::Network& net, const Index* rows, Index B, Matrix& xb,
                                        Matrix& yb, Vector& wb) const {
  for (Index j = 0; j < B; ++j) {
    xb.col(j) = x_.col(rows[j]);
    yb.col(j) = y_.col(rows[j]);
  }
  if (weighted()) {
    for (Index j = 0; j < B; ++j) wb[j] = w_[rows[j]];
  }
  return net.forward_backward(xb.leftCols(B), yb.leftCols(B), weighted() ? wb.data() : nullptr);
}

void NetworkObjective::penalise_range(Scalar* out, Index lo, Index n) const {
  if (l1_ == 0 && l2_ == 0) return;
  penalty_gradient(net_.params().data() + lo, out, net_.weight_mask().data() + lo, out, n,
                   static_cast<Scalar>(l1_), static_cast<Scalar>(l2_));
}

namespace {

// Turns the network's training mode (dropout) off for a scope.
class InferenceMode {
 public:
  explicit InferenceMode(nn::Network& net) : net_(net), was_(net.training()) {
    net_.set_training(false);
  }
  ~InferenceMode() { net_.set_training(was_); }
  InferenceMode(const InferenceMode&) = delete;
  InferenceMode& operator=(const InferenceMode&) = delete;

 private:
  nn::Network& net_;
  bool was_;
};

}  // namespace

double NetworkObjective::full(const Vector& w, Vector* grad) {
  set_point(w);
  const Index n = x_.cols();
  if (grad == nullptr) {
    const Scalar* weights = weighted() ? w_.data() : nullptr;
    return net_.loss_sum(x_, y_, weights) / static_cast<double>(n) + penalty(w);
  }
  grad->resize(net_.param_count());
  return (pool_ == nullptr ? serial_full(*grad) : parallel_full(*grad)) + penalty(w);
}

double NetworkObjective::serial_full(Vector& grad) {
  Part whole;
  whole.net = &net_;
  whole.cols = x_.cols();
  full_part(whole, grad);
  if (l1_ != 0 || l2_ != 0) add_penalty_gradient(net_.params(), grad, grad);
  return whole.loss / static_cast<double>(x_.cols());
}

void NetworkObjective::full_part(Part& part, Vector& acc) {
  constexpr Index kChunk = 256;  // columns per forward_backward: wide products, few passes
  const InferenceMode no_dropout(*part.net);
  const auto n = static_cast<double>(x_.cols());
  acc.setZero();
  double sum = 0.0;
  for (Index begin = part.begin, end = part.begin + part.cols; begin < end; begin += kChunk) {
    const Index B = std::min(kChunk, end - begin);
    const double loss = part.net->forward_backward(x_.middleCols(begin, B), y_.middleCols(begin, B),
                                                   weighted() ? w_.data() + begin : nullptr);
    sum += loss * static_cast<double>(B);
    acc += static_cast<Scalar>(static_cast<double>(B) / n) * part.net->grads();
  }
  part.loss = sum;
}

void NetworkObjective::prefetch(const Index* rows, Index B) const {
  for (Index j = 0; j < B; ++j) {
    const Scalar* xc = x_.data() + rows[j] * x_.rows();
    __builtin_prefetch(xc);
    if (x_.rows() > 16) __builtin_prefetch(xc + 16);
    __builtin_prefetch(y_.data() + rows[j] * y_.rows());
  }
}

// Row r of a block is W(r, :): entries offset + r + rows * c, c < cols (column-major).
void NetworkObjective::project(Vector& w) {
  if (max_norm_ <= 0) return;
  for (const nn::WeightBlock& b : net_.weight_blocks()) {
    Eigen::Map<Matrix> W(w.data() + b.offset, b.rows, b.cols);
    for (Index r = 0; r < b.rows; ++r) {
      double sq = 0.0;
      for (Index c = 0; c < b.cols; ++c) sq += static_cast<double>(W(r, c)) * W(r, c);
      const double norm = std::sqrt(sq);
      if (norm > max_norm_) W.row(r) *= static_cast<Scalar>(max_norm_ / norm);
    }
  }
}

double NetworkObjective::penalty(const Vector& w) const {
  if (l1_ == 0 && l2_ == 0) return 0.0;
  const Vector& m = net_.weight_mask();
  double a = 0.0, q = 0.0;
  for (Index i = 0; i < w.size(); ++i) {
    a += m[i] * std::abs(static_cast<double>(w[i]));
    q += m[i] * static_cast<double>(w[i]) * w[i];
  }
  return l1_ * a + 0.5 * l2_ * q;
}

}  // namespace nnfit::train
