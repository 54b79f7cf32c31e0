// Gradient check of a network: bprop's analytic gradient of the objective (mean loss over a
// batch + L1/L2 on weights), computed by the production float32 code (train::NetworkObjective),
// against central differences of the same objective per parameter. The differences are taken on
// check::Reference, a double-precision copy of the forward pass (the float forward's rounding
// would dominate them: see README "Checking gradients"), or, for comparison, on the float
// network itself. Dropout is checked under fixed masks, sample weights as a weighted mean.
//
// Per parameter i: error_i = |a_i - n_i| / max(|a_i|, |n_i|, floor), floor = 1e-6 max_j |n_j|
// (a gradient entry a million times below the largest carries no relative digits in float).
// A failing entry is excused as a kink (a ReLU input or an L1 weight at or within +-h of zero,
// where central differences are meaningless) when the two one-sided differences disagree by
// more than the tolerance and the analytic value matches one of them (to 1e-2, and 10x better
// than the central difference); kinks are counted, not hidden.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/rng.h"
#include "nn/network.h"

namespace nnfit::check {

enum class Differences { kDouble, kFloat };

struct GradcheckOptions {
  Index rows = 16;            // the batch: the first `rows` columns of x (all if fewer)
  double tolerance = 1e-4;    // pass when every checked error_i <= tolerance
  Index params = 2000;        // check all parameters up to this many, else a sample of this many
                              // (every layer keeps its share, at least one); 0 = all
  double l1 = 0.0, l2 = 0.0;  // the penalty, as train applies it (weights only)
  Differences differences = Differences::kDouble;
  double step = 0.0;  // 0 = 1e-5 (double) or 4e-3 (float), times max(1, |w_i|)
  // Sample weights, one per column of x (the batch takes the first `rows`), as train weighs
  // its loss (--weight-column times --class-weight); empty = unweighted. The objective's data
  // term is then the batch's weighted mean loss sum_b w_b loss_b / sum_b w_b, in the float
  // code (train::NetworkObjective) and in the reference alike.
  Vector weights;
  // Called on the network before anything is evaluated, after its dropout masks are fixed: the
  // place to swap in a layer or loss under test (nn::Network::replace_layer, replace_loss).
  // May be empty.
  std::function<void(nn::Network&)> prepare;
};

// The largest error among one layer's checked parameters.
struct LayerCheck {
  std::string name;             // "dense 1 (4 -> 8)"
  Index offset = 0, count = 0;  // the layer's slice of the parameter vector
  Index checked = 0, kinks = 0;
  double max_error = 0.0;
  Index worst = -1;                      // parameter index of max_error (-1 if none checked)
  double analytic = 0.0, numeric = 0.0;  // at worst
};

struct GradcheckResult {
  std::vector<LayerCheck> layers;  // layers with parameters, in order
  double max_error = 0.0;
  Index checked = 0, kinks = 0, parameters = 0, rows = 0;
  double loss = 0.0;  // the objective at w (double reference, or float)
  double step = 0.0;  // the difference step used (times max(1, |w_i|))
  // |f_float(w) - f_double(w)| / max(1, |f|): the reference computes the same function as the
  // network (float rounding ~1e-7); above kForwardTolerance the check fails whatever the errors.
  double forward_gap = 0.0;
  bool weighted = false;          // opt.weights were given
  bool weights_vary = false;      // and they are not all equal on the batch (equal weights
                                  // give the unweighted loss: the weighting goes unchecked)
  Index masked = 0, dropped = 0;  // dropout: mask entries over the batch, and how many are 0
  bool passed = false;
};

constexpr double kForwardTolerance = 1e-5;

// Checks net at its current parameters on the first opt.rows columns of x, y. rng draws the
// parameter sample (only when one is needed). net.params() is restored bit for bit.
// Dropout (net.has_dropout()): the check is of forward_backward in training mode under ONE
// mask per dropout layer: the masks are fixed, drawn by the analytic pass, read by the
// reference (y = x .* keep / (1 - p) at the same positions) and kept for every difference; on
// return they are unfixed again (training draws a new mask per batch).
GradcheckResult gradcheck(nn::Network& net, const Matrix& x, const Matrix& y,
                          const GradcheckOptions& opt, Rng& rng);

}  // namespace nnfit::check
