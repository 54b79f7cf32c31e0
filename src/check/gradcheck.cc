// Gradient check (gradcheck.h): analytic gradient from the production objective, central
// differences on the double reference (or the float network), errors per layer.
#include "check/gradcheck.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "check/reference.h"
#include "core/error.h"
#include "train/objective.h"

namespace nnfit::check {
namespace {

// f with parameter i set to v; v is rounded in place to the value actually evaluated.
using Probe = std::function<double(Index i, double& v)>;

struct Sample {
  Index index = 0;
  double fp = 0, fm = 0, vp = 0, vm = 0, numeric = 0;
};

std::vector<LayerCheck> param_layers(const nn::Network& net) {
  std::vector<LayerCheck> out;
  for (std::size_t i = 0; i < net.layer_count(); ++i) {
    const Index in = net.layer_input_size(i);
    const Index count = net.layer(i).param_count(in);
    if (count == 0) continue;
    LayerCheck c;
    c.name = net.layer(i).kind() + " " + std::to_string(out.size() + 1) + " (" +
             std::to_string(in) + " -> " + std::to_string(net.layer(i).output_size(in)) + ")";
    c.offset = net.layer_offset(i);
    c.count = count;
    out.push_back(c);
  }
  return out;
}

// Which parameters of a layer are checked: all, or a share of opt.params drawn from rng.
std::vector<Index> chosen(const LayerCheck& l, Index dim, const GradcheckOptions& opt, Rng& rng) {
  std::vector<Index> idx(static_cast<std::size_t>(l.count));
  for (Index k = 0; k < l.count; ++k) idx[static_cast<std::size_t>(k)] = l.offset + k;
  if (opt.params <= 0 || dim <= opt.params) return idx;
  const Index share = std::clamp<Index>(opt.params * l.count / dim, 1, l.count);
  for (Index k = 0; k < share; ++k) {  // partial Fisher-Yates: the first `share` are a sample
    const auto j = static_cast<std::size_t>(
        k + static_cast<Index>(rng.below(static_cast<std::uint64_t>(l.count - k))));
    std::swap(idx[static_cast<std::size_t>(k)], idx[j]);
  }
  idx.resize(static_cast<std::size_t>(share));
  std::sort(idx.begin(), idx.end());
  return idx;
}

Sample difference(const Probe& f, Index i, double w0, double step) {
  Sample s;
  s.index = i;
  const double h = step * std::max(1.0, std::abs(w0));
  s.vp = w0 + h;
  s.vm = w0 - h;
  s.fp = f(i, s.vp);
  s.fm = f(i, s.vm);
  s.numeric = (s.fp - s.fm) / (s.vp - s.vm);  // the step actually represented
  return s;
}

double rel(double a, double n, double floor) {
  return std::abs(a - n) / std::max({std::abs(a), std::abs(n), floor});
}

// A kink (a ReLU input or an L1 weight at zero or crossing it within the step): the one-sided
// differences disagree by more than the tolerance and the analytic value is one of them (to
// 1e-2, and ten times closer to it than to the central difference, which averages the sides).
// A ReLU input exactly at zero is common under dropout: a row whose inputs to a unit are all
// dropped or zero leaves it at its bias, 0 at initialisation, whatever the step; that one row
// of the batch moves the sides of the unit's bias apart by only a few percent. A wrong gradient
// of a smooth function is about as far from both sides as from the centre, so is not excused.
bool is_kink(const Sample& s, double a, double f0, double w0, double floor, double tolerance) {
  const double left = (f0 - s.fm) / (w0 - s.vm);
  const double right = (s.fp - f0) / (s.vp - w0);
  if (rel(left, right, floor) <= tolerance) return false;
  const double side = std::min(rel(a, left, floor), rel(a, right, floor));
  return side <= 1e-2 && side <= 0.1 * rel(a, s.numeric, floor);
}

void score(LayerCheck& l, const std::vector<Sample>& samples, const Vector& g, const Vector& w,
           double f0, double floor, double tolerance) {
  for (const Sample& s : samples) {
    const double a = g[s.index];
    const double e = rel(a, s.numeric, floor);
    if (e > tolerance && is_kink(s, a, f0, w[s.index], floor, tolerance)) {
      ++l.kinks;
      continue;
    }
    ++l.checked;
    if (l.worst < 0 || e > l.max_error) {
      l.max_error = e;
      l.worst = s.index;
      l.analytic = a;
      l.numeric = s.numeric;
    }
  }
}

}  // namespace

namespace {

std::vector<Index> first_columns(Index n) {  // 0, 1, ..., n - 1
  std::vector<Index> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), Index{0});
  return v;
}

// The point of the check and the two ways of evaluating f around it. The analytic pass comes
// first: with dropout it draws the (fixed) masks that the reference then reads.
struct Point {
  Point(nn::Network& net, const Matrix& xb, const Matrix& yb, const Vector* wb,
        const GradcheckOptions& opt)
      : w(net.params()),
        wf(w),
        wd(w.cast<double>()),
        g(w.size()),
        dropout(net.has_dropout()),
        columns(first_columns(xb.cols())),
        objective(net, xb, yb, opt.l1, opt.l2, xb.cols(), wb),
        analytic_loss(float_value(w, &g)),  // the analytic gradient, by the code that trains
        ref(net, xb, yb, opt.l1, opt.l2, wb) {}
  // The float objective at v (and its gradient into grad, if given): full() on the batch, or,
  // with dropout (which full() never applies), batch() on all its columns in training mode.
  double float_value(const Vector& v, Vector* grad) {
    if (!dropout) return objective.full(v, grad);
    const optim::BatchEval e =
        objective.batch(v, columns.data(), static_cast<Index>(columns.size()));
    if (grad != nullptr) *grad = *e.grad;
    return e.loss + objective.penalty(v);
  }
  // f with parameter i at v (rounded in place to float for float differences).
  double probe(bool in_double, Index i, double& v) {
    if (in_double) {
      wd[i] = v;
      const double f = ref.value(wd);
      wd[i] = w[i];
      return f;
    }
    wf[i] = static_cast<Scalar>(v);
    v = wf[i];
    const double f = float_value(wf, nullptr);
    wf[i] = w[i];
    return f;
  }

  const Vector w;
  Vector wf;
  Eigen::VectorXd wd;
  Vector g;
  const bool dropout;
  std::vector<Index> columns;  // 0, 1, ..., B - 1: the batch() rows
  train::NetworkObjective objective;
  double analytic_loss;  // f at w from the analytic pass (unused: it only orders the passes)
  Reference ref;
};

// The batch's sample weights (the first `rows` of opt.weights), or empty.
Vector batch_weights(const GradcheckOptions& opt, Index columns, Index rows) {
  if (opt.weights.size() == 0) return {};
  if (opt.weights.size() != columns) {
    throw DataError("gradcheck: " + std::to_string(opt.weights.size()) + " sample weights for " +
                    std::to_string(columns) + " columns");
  }
  return opt.weights.head(rows);
}

// What the check is of: the parameters, the weights and masks, f(w) and the forward gap.
GradcheckResult at_point(Point& pt, const Vector& wb, bool in_double) {
  GradcheckResult r;
  r.parameters = pt.w.size();
  r.weighted = wb.size() != 0;
  r.weights_vary = r.weighted && wb.maxCoeff() != wb.minCoeff();
  r.masked = pt.ref.masked();
  r.dropped = pt.ref.dropped();
  // A second float evaluation, not the analytic pass's loss: masks that changed between passes
  // (not fixed) show up here as a gap.
  const double f_float = pt.float_value(pt.w, nullptr), f_double = pt.ref.value(pt.wd);
  r.loss = in_double ? f_double : f_float;
  r.forward_gap = std::abs(f_float - f_double) / std::max(1.0, std::abs(f_double));
  return r;
}

}  // namespace

GradcheckResult gradcheck(nn::Network& net, const Matrix& x, const Matrix& y,
                          const GradcheckOptions& opt, Rng& rng) {
  if (x.cols() == 0) throw DataError("gradcheck: no rows to check on");
  if (!(opt.tolerance > 0)) throw ConfigError("gradcheck: the tolerance must be > 0");
  net.fix_dropout_masks(true);
  if (opt.prepare) opt.prepare(net);
  const Index rows = std::clamp<Index>(opt.rows, 1, x.cols());
  const Matrix xb = x.leftCols(rows), yb = y.leftCols(rows);
  const Vector wb = batch_weights(opt, x.cols(), rows);
  Point pt(net, xb, yb, wb.size() != 0 ? &wb : nullptr, opt);
  const bool in_double = opt.differences == Differences::kDouble;
  const Probe probe = [&](Index i, double& v) { return pt.probe(in_double, i, v); };
  GradcheckResult r = at_point(pt, wb, in_double);
  r.rows = rows;
  const double step = r.step = opt.step > 0 ? opt.step : (in_double ? 1e-5 : 4e-3);
  r.layers = param_layers(net);
  std::vector<std::vector<Sample>> samples(r.layers.size());
  double largest = 0.0;
  for (std::size_t l = 0; l < r.layers.size(); ++l) {
    for (Index i : chosen(r.layers[l], pt.w.size(), opt, rng)) {
      samples[l].push_back(difference(probe, i, static_cast<double>(pt.w[i]), step));
      largest = std::max(largest, std::abs(samples[l].back().numeric));
    }
  }
  const double floor = std::max(1e-6 * largest, 1e-30);
  for (std::size_t l = 0; l < r.layers.size(); ++l) {
    score(r.layers[l], samples[l], pt.g, pt.w, r.loss, floor, opt.tolerance);
    r.max_error = std::max(r.max_error, r.layers[l].max_error);
    r.checked += r.layers[l].checked;
    r.kinks += r.layers[l].kinks;
  }
  net.params() = pt.w;
  net.fix_dropout_masks(false);
  r.passed = r.max_error <= opt.tolerance && r.forward_gap <= kForwardTolerance;
  return r;
}

}  // namespace nnfit::check
