// Finite-difference helpers for gradient tests: central differences in float32 data with the
// objective accumulated in double, compared to the analytic gradient by relative error.
#include "testing/grad_check.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace nnfit::test {
namespace {

// sum(r .* y) in double.
double weighted_sum(const Matrix& y, const Matrix& r) {
  return (y.cast<double>().array() * r.cast<double>().array()).sum();
}

Eigen::MatrixXd as_matrix(const Eigen::VectorXd& v, Index rows, Index cols) {
  return Eigen::Map<const Eigen::MatrixXd>(v.data(), rows, cols);
}

GradCheck make_result(Eigen::MatrixXd analytic, Eigen::MatrixXd numeric) {
  GradCheck c;
  c.analytic = std::move(analytic);
  c.numeric = std::move(numeric);
  c.error = relative_error(c.analytic, c.numeric);
  return c;
}

}  // namespace

double relative_error(const Eigen::MatrixXd& a, const Eigen::MatrixXd& n) {
  return (a - n).norm() / std::max(a.norm() + n.norm(), 1e-30);
}

Eigen::VectorXd numeric_gradient(Scalar* values, Index n, const std::function<double()>& f,
                                 std::vector<bool>* kinks) {
  Eigen::VectorXd g(n);
  const double f0 = kinks != nullptr ? f() : 0.0;
  if (kinks != nullptr) kinks->assign(static_cast<std::size_t>(n), false);
  for (Index i = 0; i < n; ++i) {
    const Scalar saved = values[i];
    const Scalar plus = static_cast<Scalar>(saved + kStep);
    const Scalar minus = static_cast<Scalar>(saved - kStep);
    values[i] = plus;
    const double f_plus = f();
    values[i] = minus;
    const double f_minus = f();
    values[i] = saved;
    g(i) = (f_plus - f_minus) / (static_cast<double>(plus) - static_cast<double>(minus));
    if (kinks != nullptr) {
      const double curvature = std::abs(f_plus + f_minus - 2 * f0);
      (*kinks)[static_cast<std::size_t>(i)] =
          curvature > 1e-6 * std::max(1.0, std::abs(f0)) &&
          curvature > 0.05 * std::abs(f_plus - f_minus);
    }
  }
  return g;
}

Matrix random_matrix(Index rows, Index cols, Rng& rng, double lo, double hi) {
  Matrix m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<Scalar>(rng.uniform(lo, hi));
  return m;
}

Matrix random_away_from_zero(Index rows, Index cols, Rng& rng, double min_abs) {
  Matrix m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) {
    const double magnitude = rng.uniform(min_abs, 1.0);
    m.data()[i] = static_cast<Scalar>(rng.uniform() < 0.5 ? -magnitude : magnitude);
  }
  return m;
}

BoundLayer::BoundLayer(std::unique_ptr<nn::Layer> l, Index input_size, Rng& rng)
    : layer(std::move(l)), in(input_size) {
  params = Vector::Zero(layer->param_count(in));
  grads = Vector::Zero(layer->param_count(in));
  layer->bind(params.data(), grads.data(), in);
  layer->init_params(rng);
  // Non-zero biases, so a bias gradient bug cannot hide behind b = 0.
  for (Index i = 0; i < params.size(); ++i) {
    if (params(i) == 0) params(i) = static_cast<Scalar>(rng.uniform(-0.5, 0.5));
  }
}

Matrix BoundLayer::forward(const Matrix& x) {
  Matrix y(layer->output_size(in), x.cols());
  layer->fprop(x, y);
  return y;
}

GradCheck check_input_gradient(BoundLayer& b, const Matrix& x, const Matrix& r) {
  const Matrix y = b.forward(x);
  Matrix dx(x.rows(), x.cols());
  b.layer->bprop(x, y, r, dx);
  Matrix xp = x;
  const auto f = [&] { return weighted_sum(b.forward(xp), r); };
  const Eigen::VectorXd numeric = numeric_gradient(xp.data(), xp.size(), f);
  return make_result(dx.cast<double>(), as_matrix(numeric, x.rows(), x.cols()));
}

GradCheck check_param_gradient(BoundLayer& b, const Matrix& x, const Matrix& r) {
  const Matrix y = b.forward(x);
  Matrix dx(x.rows(), x.cols());
  b.grads.setConstant(123);  // bprop must overwrite, not accumulate
  b.layer->bprop(x, y, r, dx);
  const auto f = [&] { return weighted_sum(b.forward(x), r); };
  const Eigen::VectorXd numeric = numeric_gradient(b.params.data(), b.params.size(), f);
  return make_result(b.grads.cast<double>(), numeric);
}

GradCheck check_loss_gradient(const nn::Loss& loss, const Matrix& logits, const Matrix& targets) {
  const double batch = static_cast<double>(logits.cols());
  Matrix dz(logits.rows(), logits.cols());
  loss.gradient(logits, targets, dz);
  Matrix zp = logits;
  const auto f = [&] { return loss.sum(zp, targets) / batch; };
  const Eigen::VectorXd numeric = numeric_gradient(zp.data(), zp.size(), f);
  return make_result(dz.cast<double>(), as_matrix(numeric, logits.rows(), logits.cols()));
}

GradCheck check_network_gradient(nn::Network& net, const Matrix& x, const Matrix& targets,
                                 bool skip_kinks) {
  const double batch = static_cast<double>(x.cols());
  net.forward_backward(x, targets);
  Eigen::VectorXd analytic = net.grads().cast<double>();
  const auto f = [&] { return net.loss_sum(x, targets) / batch; };
  std::vector<bool> kinks;
  Eigen::VectorXd numeric =
      numeric_gradient(net.params().data(), net.param_count(), f, skip_kinks ? &kinks : nullptr);
  Index skipped = 0;
  for (std::size_t i = 0; i < kinks.size(); ++i) {
    if (!kinks[i]) continue;
    analytic(static_cast<Index>(i)) = numeric(static_cast<Index>(i)) = 0;
    ++skipped;
  }
  GradCheck c = make_result(analytic, numeric);
  c.skipped = skipped;
  return c;
}

}  // namespace nnfit::test
