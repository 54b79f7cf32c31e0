// The curvature of the training objective at given weights: --lr auto and the curvature report.
// --lr auto: the learning rate from the curvature of the loss at the initial weights,
// lr = 1 / lambda_max (optim::lambda_max by power iteration on Hessian-vector products,
// optim::rate_from_curvature). The objective is the mean training loss plus the L2 term; L1 is
// left out (its Hessian is zero away from w = 0, and its sign flips at w = 0 would swamp the
// gradient differences).
#pragma once

#include "nn/network.h"
#include "train/config.h"

namespace nnfit::train {

// Rows the Hessian is estimated on: all training rows up to this many, else this many evenly
// spaced ones (columns floor(k N / kLrAutoRows)), so no draw from the training Rng is needed.
constexpr Index kLrAutoRows = 1000;

struct LrAuto {
  double lambda_max = 0.0;  // largest eigenvalue of the Hessian at the initial weights
  double rate = 0.0;        // the chosen learning rate, 1 / lambda_max
  Index rows = 0;           // rows the Hessian was estimated on
  int iterations = 0;       // power iterations run
  bool converged = false;   // the Rayleigh quotient settled (relative change < 1e-4)
};

// Estimates lambda_max of opt's objective (L2 included, L1 not) on x, y at net's current
// weights, on a copy of net (net itself is untouched), with a power-iteration start drawn from
// Rng(opt.seed) - not from the training stream, so the run's shuffles are those of the same
// run with --lr set to the chosen rate. Throws ConfigError when the curvature is not positive.
LrAuto choose_rate(const nn::Network& net, const Matrix& x, const Matrix& y,
                   const TrainOptions& opt);

// The ends of the Hessian's spectrum at net's weights (`nnfit curvature`): lambda_max, then
// lambda_min by power iteration on lambda_max I - H (optim::lambda_min); same objective and rows
// as choose_rate, power-iteration starts from Rng(seed). Both are Rayleigh quotients, so
// lambda_min is never below the true one: when it is positive the condition number is a lower
// bound, and a flat direction (e.g. softmax biases) may show as a small positive lambda_min.
struct Spectrum {
  double lambda_max = 0.0, lambda_min = 0.0;
  Index rows = 0;
  int iterations_max = 0, iterations_min = 0;
  bool converged_max = false, converged_min = false;
  // lambda_min <= 0: no condition number (a saddle or a flat direction, not a minimum).
  bool indefinite() const { return !(lambda_min > 0); }
  // lambda_max / lambda_min; NaN when indefinite.
  double condition() const;
};
Spectrum spectrum(const nn::Network& net, const Matrix& x, const Matrix& y, double l2,
                  std::uint64_t seed);

}  // namespace nnfit::train
