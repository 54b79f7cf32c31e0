// The three output + loss pairs of loss.h, computed from logits so they stay finite for any
// logit: softmax-NLL via max-shifted log-sum-exp, sigmoid-BCE via softplus, squared error.
// Shapes: logits z (K, B), targets (1, B) class indices / {0,1} labels, or (K, B) values.
#include "nn/loss.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace nnfit::nn {
namespace {

void check_shapes(const ConstMatrixRef& logits, const ConstMatrixRef& targets, Index rows) {
  if (targets.rows() != rows || targets.cols() != logits.cols()) {
    throw DataError("targets are " + std::to_string(targets.rows()) + "x" +
                    std::to_string(targets.cols()) + ", expected " + std::to_string(rows) + "x" +
                    std::to_string(logits.cols()) + " for logits of " +
                    std::to_string(logits.rows()) + " rows");
  }
}

// The class index stored as a Scalar in targets(0, b). Throws DataError unless in [0, k).
Index class_index(const ConstMatrixRef& targets, Index b, Index k) {
  const Scalar t = targets(0, b);
  const auto c = static_cast<Index>(t);
  if (!(t >= 0) || c >= k || static_cast<Scalar>(c) != t) {
    throw DataError("class target " + std::to_string(t) + " in column " + std::to_string(b) +
                    " is not an integer in [0, " + std::to_string(k) + ")");
  }
  return c;
}

// Numerically stable 1 / (1 + exp(-z)): never evaluates exp of a positive number.
double stable_sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

// softplus(z) - t z = max(z, 0) - t z + log1p(exp(-|z|)), finite for any z.
double bce(double z, double t) {
  return std::max(z, 0.0) - t * z + std::log1p(std::exp(-std::abs(z)));
}

class SoftmaxNll : public Loss {
 public:
  LossKind kind() const override { return LossKind::kSoftmaxNll; }

  double sum(const ConstMatrixRef& logits, const ConstMatrixRef& targets) const override {
    return sum_of<false>(logits, targets, nullptr);
  }
  double gradient(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                  MatrixRef dlogits) const override {
    return gradient_of<false>(logits, targets, nullptr, dlogits);
  }
  double weighted_sum(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                      const Scalar* weights) const override {
    return sum_of<true>(logits, targets, weights);
  }
  double weighted_gradient(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                           const Scalar* weights, MatrixRef dlogits) const override {
    return gradient_of<true>(logits, targets, weights, dlogits);
  }

  void output(const ConstMatrixRef& logits, MatrixRef out) const override {
    for (Index b = 0; b < logits.cols(); ++b) {
      out.col(b).array() = (logits.col(b).array() - logits.col(b).maxCoeff()).exp();
      out.col(b) /= out.col(b).sum();
    }
  }

 private:
  // loss_b = logsumexp(z_b) - z_tb = (m - z_tb) + log(sum_k exp(z_kb - m)), m = max_k z_kb.
  template <bool kWeighted>
  double sum_of(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                const Scalar* weights) const {
    check_shapes(logits, targets, 1);
    double total = 0;
    for (Index b = 0; b < logits.cols(); ++b) {
      const double m = logits.col(b).maxCoeff();
      double denom = 0;
      for (Index k = 0; k < logits.rows(); ++k) denom += std::exp(logits(k, b) - m);
      const Index t = class_index(targets, b, logits.rows());
      const double loss = (m - logits(t, b)) + std::log(denom);
      if constexpr (kWeighted) {
        total += static_cast<double>(weights[b]) * loss;
      } else {
        total += loss;
      }
    }
    return total;
  }

  // dz_kb = w_b (softmax(z_b)_k - [k == t_b]) / B; dlogits doubles as scratch for exp(z - m).
  template <bool kWeighted>
  double gradient_of(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                     const Scalar* weights, MatrixRef dlogits) const {
    check_shapes(logits, targets, 1);
    const Index batch = logits.cols();
    const double inv_b = 1.0 / static_cast<double>(batch);
    double total = 0;
    for (Index b = 0; b < batch; ++b) {
      const Scalar m = logits.col(b).maxCoeff();
      dlogits.col(b).array() = (logits.col(b).array() - m).exp();
      const double denom = dlogits.col(b).template cast<double>().sum();
      const Index t = class_index(targets, b, logits.rows());
      const double loss = (static_cast<double>(m) - logits(t, b)) + std::log(denom);
      double scale = inv_b;
      if constexpr (kWeighted) {
        const double w = static_cast<double>(weights[b]);
        scale = w * inv_b;
        total += w * loss;
      } else {
        total += loss;
      }
      dlogits.col(b) *= static_cast<Scalar>(scale / denom);
      dlogits(t, b) -= static_cast<Scalar>(scale);
    }
    return total * inv_b;
  }
};

class SigmoidBce : public Loss {
 public:
  LossKind kind() const override { return LossKind::kSigmoidBce; }

  double sum(const ConstMatrixRef& logits, const ConstMatrixRef& targets) const override {
    check_shapes(logits, targets, 1);
    double total = 0;
    for (Index b = 0; b < logits.cols(); ++b) total += bce(logits(0, b), targets(0, b));
    return total;
  }
  double weighted_sum(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                      const Scalar* weights) const override {
    check_shapes(logits, targets, 1);
    double total = 0;
    for (Index b = 0; b < logits.cols(); ++b) {
      total += static_cast<double>(weights[b]) * bce(logits(0, b), targets(0, b));
    }
    return total;
  }

  double gradient(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                  MatrixRef dlogits) const override {
    return gradient_of<false>(logits, targets, nullptr, dlogits);
  }
  double weighted_gradient(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                           const Scalar* weights, MatrixRef dlogits) const override {
    return gradient_of<true>(logits, targets, weights, dlogits);
  }

  void output(const ConstMatrixRef& logits, MatrixRef out) const override {
    out.array() = logits.array().logistic();
  }

 private:
  // d/dz [softplus(z) - t z] = sigmoid(z) - t; times w_b, divided by B for the mean.
  template <bool kWeighted>
  double gradient_of(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                     const Scalar* weights, MatrixRef dlogits) const {
    check_shapes(logits, targets, 1);
    const double inv_b = 1.0 / static_cast<double>(logits.cols());
    double total = 0;
    for (Index b = 0; b < logits.cols(); ++b) {
      const double z = logits(0, b), t = targets(0, b);
      if constexpr (kWeighted) {
        const double w = static_cast<double>(weights[b]);
        total += w * bce(z, t);
        dlogits(0, b) = static_cast<Scalar>(w * (stable_sigmoid(z) - t) * inv_b);
      } else {
        total += bce(z, t);
        dlogits(0, b) = static_cast<Scalar>((stable_sigmoid(z) - t) * inv_b);
      }
    }
    return total * inv_b;
  }
};

class SquaredError : public Loss {
 public:
  LossKind kind() const override { return LossKind::kSquaredError; }

  double sum(const ConstMatrixRef& logits, const ConstMatrixRef& targets) const override {
    check_shapes(logits, targets, logits.rows());
    return 0.5 * (logits.cast<double>() - targets.cast<double>()).squaredNorm();
  }
  double weighted_sum(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                      const Scalar* weights) const override {
    check_shapes(logits, targets, logits.rows());
    double total = 0;
    for (Index b = 0; b < logits.cols(); ++b) {
      total += static_cast<double>(weights[b]) *
               (logits.col(b).cast<double>() - targets.col(b).cast<double>()).squaredNorm();
    }
    return 0.5 * total;
  }

  // d/dz 0.5 ||z - t||^2 = z - t; divided by B for the mean.
  double gradient(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                  MatrixRef dlogits) const override {
    const double total = sum(logits, targets);
    const double inv_b = 1.0 / static_cast<double>(logits.cols());
    dlogits = (logits - targets) * static_cast<Scalar>(inv_b);
    return total * inv_b;
  }
  // w_b (z_b - t_b) / B.
  double weighted_gradient(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                           const Scalar* weights, MatrixRef dlogits) const override {
    const double total = weighted_sum(logits, targets, weights);
    const double inv_b = 1.0 / static_cast<double>(logits.cols());
    for (Index b = 0; b < logits.cols(); ++b) {
      dlogits.col(b) = (logits.col(b) - targets.col(b)) *
                       static_cast<Scalar>(static_cast<double>(weights[b]) * inv_b);
    }
    return total * inv_b;
  }

  void output(const ConstMatrixRef& logits, MatrixRef out) const override { out = logits; }
};

}  // namespace

std::string loss_name(LossKind kind) {
  switch (kind) {
    case LossKind::kSoftmaxNll: return "softmax_nll";
    case LossKind::kSigmoidBce: return "sigmoid_bce";
    case LossKind::kSquaredError: return "squared_error";
  }
  return "unknown";
}

LossKind parse_loss(const std::string& name) {
  for (LossKind k : {LossKind::kSoftmaxNll, LossKind::kSigmoidBce, LossKind::kSquaredError}) {
    if (name == loss_name(k)) return k;
  }
  throw ModelError("unknown loss '" + name +
                   "' (expected softmax_nll, sigmoid_bce or squared_error)");
}

std::unique_ptr<Loss> make_loss(LossKind kind) {
  switch (kind) {
    case LossKind::kSoftmaxNll: return std::make_unique<SoftmaxNll>();
    case LossKind::kSigmoidBce: return std::make_unique<SigmoidBce>();
    case LossKind::kSquaredError: return std::make_unique<SquaredError>();
  }
  throw ModelError("unknown loss kind");
}

}  // namespace nnfit::nn
