// Curvature of the training objective (lr_auto.h): --lr auto and the spectrum report.
#include "train/lr_auto.h"

#include <algorithm>
#include <limits>
#include <memory>

#include "optim/curvature.h"
#include "train/objective.h"

namespace nnfit::train {
namespace {

// The objective lambda is measured on: up to kLrAutoRows evenly spaced columns of x, y, L2 but
// not L1, evaluated on its own copy of the network.
class SampledObjective {
 public:
  SampledObjective(const nn::Network& net, const Matrix& x, const Matrix& y, double l2)
      : net_(net), xs_(x.rows(), std::min(x.cols(), kLrAutoRows)), ys_(y.rows(), xs_.cols()) {
    for (Index k = 0; k < xs_.cols(); ++k) {
      const Index j = k * x.cols() / xs_.cols();  // every column when there are few enough
      xs_.col(k) = x.col(j);
      ys_.col(k) = y.col(j);
    }
    f_ = std::make_unique<NetworkObjective>(net_, xs_, ys_, 0.0, l2, 256);
    w_ = net_.params();
  }
  optim::Objective& f() { return *f_; }
  Vector& w() { return w_; }
  Index rows() const { return xs_.cols(); }

 private:
  nn::Network net_;
  Matrix xs_, ys_;
  std::unique_ptr<NetworkObjective> f_;
  Vector w_;
};

}  // namespace

LrAuto choose_rate(const nn::Network& net, const Matrix& x, const Matrix& y,
                   const TrainOptions& opt) {
  SampledObjective s(net, x, y, opt.l2);
  Rng rng(opt.seed);
  const optim::PowerResult p = optim::lambda_max(s.f(), s.w(), rng);
  LrAuto out;
  out.lambda_max = p.lambda;
  out.rate = optim::rate_from_curvature(p.lambda);
  out.rows = s.rows();
  out.iterations = p.iterations;
  out.converged = p.converged;
  return out;
}

double Spectrum::condition() const {
  return indefinite() ? std::numeric_limits<double>::quiet_NaN() : lambda_max / lambda_min;
}

Spectrum spectrum(const nn::Network& net, const Matrix& x, const Matrix& y, double l2,
                  std::uint64_t seed) {
  SampledObjective s(net, x, y, l2);
  Rng rng(seed);
  const optim::PowerResult top = optim::lambda_max(s.f(), s.w(), rng);
  // The low end converges slowly (near-zero eigenvalues crowd lambda_max - lambda_min), so a
  // tighter tolerance and more iterations than for lambda_max.
  const optim::PowerResult low = optim::lambda_min(s.f(), s.w(), rng, top.lambda, 2000, 1e-7);
  Spectrum out;
  out.lambda_max = top.lambda;
  out.lambda_min = low.lambda;
  out.rows = s.rows();
  out.iterations_max = top.iterations;
  out.iterations_min = low.iterations;
  out.converged_max = top.converged;
  out.converged_min = low.converged;
  return out;
}

}  // namespace nnfit::train
