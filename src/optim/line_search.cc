// Strong Wolfe line search (see line_search.h).
#include "optim/line_search.h"

#include <algorithm>
#include <cmath>

namespace nnfit::optim {
namespace {

struct Point {
  double a, phi, dphi;
};

// Minimiser of the cubic through lo and hi (N&W eq. 3.59), kept at least 10% of the interval
// away from either end; bisection when the cubic has no usable minimum.
double interpolate(const Point& lo, const Point& hi) {
  const double width = hi.a - lo.a;
  const double mid = lo.a + 0.5 * width;
  if (!std::isfinite(hi.phi) || !std::isfinite(hi.dphi)) return mid;
  const double d1 = lo.dphi + hi.dphi - 3 * (lo.phi - hi.phi) / (lo.a - hi.a);
  const double disc = d1 * d1 - lo.dphi * hi.dphi;
  if (disc < 0) return mid;
  const double d2 = std::copysign(std::sqrt(disc), width);
  const double a = hi.a - width * (hi.dphi + d2 - d1) / (hi.dphi - lo.dphi + 2 * d2);
  const double lo_end = std::min(lo.a, hi.a) + 0.1 * std::abs(width);
  const double hi_end = std::max(lo.a, hi.a) - 0.1 * std::abs(width);
  if (!std::isfinite(a)) return mid;
  return std::clamp(a, lo_end, hi_end);
}

class Search {
 public:
  Search(const std::function<double(double, double*)>& phi, double phi0, double dphi0,
         const WolfeOptions& o)
      : phi_(phi), phi0_(phi0), dphi0_(dphi0), o_(o) {}

  Point eval(double a) {
    Point p{a, 0.0, 0.0};
    p.phi = phi_(a, &p.dphi);
    ++evals_;
    return p;
  }
  bool armijo_fails(const Point& p) const {
    return !std::isfinite(p.phi) || p.phi > phi0_ + o_.c1 * p.a * dphi0_;
  }
  bool curvature_holds(const Point& p) const { return std::abs(p.dphi) <= -o_.c2 * dphi0_; }
  bool budget() const { return evals_ < o_.max_evals; }
  LineSearchResult done(const Point& p, bool ok) const { return {ok, p.a, p.phi, p.dphi, evals_}; }

  // Algorithm 3.6: lo satisfies sufficient decrease and has the lowest phi so far.
  LineSearchResult zoom(Point lo, Point hi) {
    Point p = lo;
    while (budget()) {
      p = eval(interpolate(lo, hi));
      if (armijo_fails(p) || p.phi >= lo.phi) {
        hi = p;
        continue;
      }
      if (curvature_holds(p)) return done(p, true);
      if (p.dphi * (hi.a - lo.a) >= 0) hi = lo;
      lo = p;
    }
    return done(p, false);
  }

 private:
  const std::function<double(double, double*)>& phi_;
  double phi0_, dphi0_;
  WolfeOptions o_;
  int evals_ = 0;
};

}  // namespace

LineSearchResult strong_wolfe(const std::function<double(double, double*)>& phi, double phi0,
                              double dphi0, double alpha1, const WolfeOptions& o) {
  Search s(phi, phi0, dphi0, o);
  Point prev{0.0, phi0, dphi0};
  double a = std::min(alpha1, o.alpha_max);
  for (bool first = true; s.budget(); first = false) {  // Algorithm 3.5: bracket, then zoom
    const Point p = s.eval(a);
    if (s.armijo_fails(p) || (!first && p.phi >= prev.phi)) return s.zoom(prev, p);
    if (s.curvature_holds(p)) return s.done(p, true);
    if (p.dphi >= 0) return s.zoom(p, prev);
    if (a >= o.alpha_max) return s.done(p, false);
    prev = p;
    a = std::min(2 * a, o.alpha_max);
  }
  return s.done(prev, false);
}

}  // namespace nnfit::optim
