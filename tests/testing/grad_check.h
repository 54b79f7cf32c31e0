// Reusable finite-difference gradient checks for layers, losses and whole networks.
// Each check returns the analytic and numeric gradients and their relative error, so a test
// can assert on the error and also show that a corrupted gradient fails the same check.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "core/rng.h"
#include "core/types.h"
#include "nn/layer.h"
#include "nn/loss.h"
#include "nn/network.h"

namespace nnfit::test {

// Central-difference step for float32 data with entries of order 1.
// Error budget of a numeric derivative (f(x+h) - f(x-h)) / 2h computed in float32:
//   rounding:   the outputs that change carry ~6e-8 relative error, so ~6e-8 * |f| / h ~ 1e-4;
//   truncation: h^2 |f'''| / 6 ~ 2e-7 for smooth activations.
// Both are far below kTolerance = 1e-2, while real bugs (sign flip, missing factor such as 1/B,
// transposed index) give relative errors of 0.05 to 1. ReLU kinks are avoided by keeping its
// inputs at least 0.1 from zero (>> h).
constexpr double kStep = 1e-3;
constexpr double kTolerance = 1e-2;

struct GradCheck {
  Eigen::MatrixXd analytic;  // gradient from the code under test
  Eigen::MatrixXd numeric;   // central differences
  double error = 0;          // relative_error(analytic, numeric)
  Index skipped = 0;         // entries excluded as kinks (zeroed in both; see skip_kinks)
};

// ||a - n|| / max(||a|| + ||n||, 1e-30): 0 for a perfect match, 1 for opposite signs.
double relative_error(const Eigen::MatrixXd& a, const Eigen::MatrixXd& n);

// Numeric gradient of f with respect to values[0..n): central differences with step kStep,
// dividing by the step actually represented in float. Restores each value afterwards.
// If kinks is given, (*kinks)[i] is set when f is visibly non-smooth within +-h of values[i]:
// |f(x+h) + f(x-h) - 2 f(x)| (h^2 f'' ~ 1e-6 when smooth) exceeds both 1e-6 max(1, |f|) and
// 5% of |f(x+h) - f(x-h)|. That is a ReLU pre-activation crossing zero inside the step, where
// central differences are meaningless (the approach of ggml's grad_expect()).
Eigen::VectorXd numeric_gradient(Scalar* values, Index n, const std::function<double()>& f,
                                 std::vector<bool>* kinks = nullptr);

// Uniform entries in [lo, hi).
Matrix random_matrix(Index rows, Index cols, Rng& rng, double lo = -1, double hi = 1);
// Entries with |v| in [min_abs, 1] and random sign (keeps ReLU inputs off the kink).
Matrix random_away_from_zero(Index rows, Index cols, Rng& rng, double min_abs = 0.1);

// A layer bound to its own parameter and gradient buffers, as Network would bind it.
struct BoundLayer {
  BoundLayer(std::unique_ptr<nn::Layer> l, Index input_size, Rng& rng);
  Matrix forward(const Matrix& x);  // y = layer(x), freshly allocated
  std::unique_ptr<nn::Layer> layer;
  Index in;
  Vector params, grads;
};

// Checks dx from bprop(x, y, dy = r) against the numeric d(sum(r .* y(x)))/dx.
GradCheck check_input_gradient(BoundLayer& b, const Matrix& x, const Matrix& r);
// Checks the layer's gradient slice from bprop(x, y, dy = r) against d(sum(r .* y))/dparams.
GradCheck check_param_gradient(BoundLayer& b, const Matrix& x, const Matrix& r);
// Checks Loss::gradient against the numeric gradient of the mean loss sum(z, t) / B.
GradCheck check_loss_gradient(const nn::Loss& loss, const Matrix& logits, const Matrix& targets);
// Checks Network::grads() after forward_backward(x, t) against d(loss_sum(x, t) / B)/dparams.
// skip_kinks (for ReLU networks, whose hidden pre-activations a test cannot keep off zero)
// excludes kink entries from the comparison and counts them in GradCheck::skipped.
GradCheck check_network_gradient(nn::Network& net, const Matrix& x, const Matrix& targets,
                                 bool skip_kinks = false);

}  // namespace nnfit::test
