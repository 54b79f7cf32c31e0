// Double-precision forward pass and loss (reference.h). Each formula mirrors a layer of src/nn
// (dense.h, activation.h, dropout.h, loss.h) written from its documented definition, not its
// float code.
#include "check/reference.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "core/error.h"

namespace nnfit::check {
namespace {

double sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

bool known_kind(const std::string& kind) {
  // A new layer kind needs its formula in value() below. Dropout is not a layer of the list
  // but a step after one (Network::dropout), checked under one FIXED mask: see the constructor.
  return kind == "dense" || kind == "identity" || kind == "sigmoid" || kind == "tanh" ||
         kind == "relu";
}

// The 0/1 keep pattern of d's last mask for `batch` columns (its nonzero entries).
Eigen::MatrixXd keep_of(const nn::Dropout& d, Index batch) {
  if (!d.has_mask(batch)) {
    throw Error("gradcheck: a dropout layer has no mask for " + std::to_string(batch) +
                " columns; fix the masks and run forward_backward once before the reference");
  }
  return (d.mask(batch).array() != 0).cast<double>().matrix();
}

Eigen::VectorXd checked_weights(const Vector* weights, Index columns) {
  if (weights == nullptr) return {};
  const Eigen::VectorXd w = weights->cast<double>();
  if (w.size() != columns || !((w.array() >= 0).all() && w.sum() > 0 && w.allFinite())) {
    throw Error("gradcheck reference: need " + std::to_string(columns) +
                " finite sample weights >= 0, not all zero");
  }
  return w;
}

}  // namespace

Reference::Reference(const nn::Network& net, const Matrix& x, const Matrix& y, double l1,
                     double l2, const Vector* weights)
    : loss_(net.loss().kind()),
      x_(x.cast<double>()),
      y_(y.cast<double>()),
      mask_(net.weight_mask().cast<double>()),
      weights_(checked_weights(weights, x.cols())),
      l1_(l1),
      l2_(l2) {
  for (std::size_t i = 0; i < net.layer_count(); ++i) {
    const nn::Layer& layer = net.layer(i);
    if (!known_kind(layer.kind())) {
      throw Error("gradcheck has no double-precision formula for layer kind '" + layer.kind() +
                  "'; add it to src/check/reference.cc");
    }
    const Index in = net.layer_input_size(i);
    Step s{layer.kind(), in, layer.output_size(in), net.layer_offset(i), {}, 1.0};
    if (const nn::Dropout* d = net.dropout(i)) {
      s.keep = keep_of(*d, x.cols());
      s.scale = 1.0 / (1.0 - d->rate());
      masked_ += s.keep.size();
      dropped_ += s.keep.size() - static_cast<Index>(s.keep.sum());
    }
    steps_.push_back(std::move(s));
  }
}

double Reference::value(const Eigen::VectorXd& w) {
  a_ = x_;
  for (const Step& s : steps_) {
    if (s.kind == "dense") {  // y = W x + b, W (out, in) column-major, then b
      const Eigen::Map<const Eigen::MatrixXd> W(w.data() + s.offset, s.out, s.in);
      const Eigen::Map<const Eigen::VectorXd> b(w.data() + s.offset + s.out * s.in, s.out);
      b_.noalias() = W * a_;
      b_.colwise() += b;
    } else if (s.kind == "tanh") {
      b_ = a_.array().tanh().matrix();
    } else if (s.kind == "sigmoid") {
      b_ = a_.unaryExpr([](double v) { return sigmoid(v); });
    } else if (s.kind == "relu") {
      b_ = a_.cwiseMax(0.0);
    } else {  // identity
      b_ = a_;
    }
    if (s.keep.size() != 0) b_ = (b_.array() * s.keep.array() * s.scale).matrix();  // dropout
    a_.swap(b_);
  }
  double penalty = 0.0;
  if (l1_ != 0 || l2_ != 0) {
    penalty = l1_ * (mask_.array() * w.array().abs()).sum() +
              0.5 * l2_ * (mask_.array() * w.array().square()).sum();
  }
  return mean_loss(loss_, a_, y_, weights_.size() != 0 ? &weights_ : nullptr) + penalty;
}

double mean_loss(nn::LossKind kind, const Eigen::MatrixXd& z, const Eigen::MatrixXd& t,
                 const Eigen::VectorXd* w) {
  double total = 0.0;
  for (Index b = 0; b < z.cols(); ++b) {
    double loss = 0.0;
    switch (kind) {
      case nn::LossKind::kSoftmaxNll: {  // logsumexp(z) - z_t
        const double m = z.col(b).maxCoeff();
        const double lse = m + std::log((z.col(b).array() - m).exp().sum());
        loss = lse - z(static_cast<Index>(t(0, b)), b);
        break;
      }
      case nn::LossKind::kSigmoidBce: {  // softplus(z) - t z
        const double v = z(0, b);
        loss = std::max(v, 0.0) - t(0, b) * v + std::log1p(std::exp(-std::abs(v)));
        break;
      }
      case nn::LossKind::kSquaredError:  // 0.5 ||z - t||^2
        loss = 0.5 * (z.col(b) - t.col(b)).squaredNorm();
        break;
    }
    total += w == nullptr ? loss : (*w)[b] * loss;
  }
  return total / (w == nullptr ? static_cast<double>(z.cols()) : w->sum());
}

}  // namespace nnfit::check
