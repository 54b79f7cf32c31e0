#include "search/tpe.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <string>

#include "core/error.h"

namespace nnfit::search {
namespace {

constexpr int kModelAttempts = 10;       // model draws per proposal before a random one
constexpr int kRandomAttempts = 100;     // random draws per proposal before enumerating
constexpr double kEnumerateLimit = 1e5;  // the most points of a discrete space enumerated
constexpr double kPi = 3.14159265358979323846;
constexpr double kLogSqrt2Pi = 0.91893853320467274178;  // log(sqrt(2 pi))

// One key of the space as TPE models it: categorical (a grid axis or choice) or numeric.
struct Axis {
  std::string key;
  std::vector<std::string> values;     // categorical
  const Distribution* dist = nullptr;  // numeric: loguniform, uniform or int
  double low = 0, high = 0;            // numeric: the range TPE works in (log, linear, int +-0.5)
};

std::vector<Axis> axes_of(const SearchSpace& space) {
  std::vector<Axis> out;
  for (const GridAxis& g : space.grid) out.push_back({g.key, g.values, nullptr, 0, 0});
  for (const Distribution& d : space.random) {
    Axis a{d.key, d.choices, nullptr, 0, 0};
    if (d.kind != Distribution::Kind::kChoice) a.dist = &d;
    if (d.kind == Distribution::Kind::kLogUniform) {
      a.low = std::log(d.low);
      a.high = std::log(d.high);
    } else if (d.kind == Distribution::Kind::kUniform) {
      a.low = d.low;
      a.high = d.high;
    } else if (d.kind == Distribution::Kind::kInt) {  // each integer owns a bin of width 1
      a.low = d.low - 0.5;
      a.high = d.high + 0.5;
    }
    out.push_back(std::move(a));
  }
  return out;
}

// The value `text` of axis a where TPE works: a category's index, or the number (its log for
// loguniform); none if it is not in the space.
std::optional<double> internal(const Axis& a, const std::string& text) {
  if (a.dist == nullptr) {
    const auto it = std::find(a.values.begin(), a.values.end(), text);
    if (it == a.values.end()) return std::nullopt;
    return static_cast<double>(it - a.values.begin());
  }
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  const Distribution& d = *a.dist;
  if (ec != std::errc() || end != text.data() + text.size() || !(v >= d.low && v <= d.high)) {
    return std::nullopt;
  }
  if (d.kind == Distribution::Kind::kInt && v != std::floor(v)) return std::nullopt;
  return d.kind == Distribution::Kind::kLogUniform ? std::log(v) : v;
}

// The text of an internal value x of axis a, in bounds, as space.cc writes drawn values.
std::string text_of(const Axis& a, double x) {
  if (a.dist == nullptr) return a.values[static_cast<std::size_t>(x)];
  const Distribution& d = *a.dist;
  switch (d.kind) {
    case Distribution::Kind::kLogUniform:
      return format_number(std::clamp(std::exp(x), d.low, d.high));
    case Distribution::Kind::kInt:
      return std::to_string(static_cast<long long>(std::clamp(std::round(x), d.low, d.high)));
    default:
      return format_number(std::clamp(x, d.low, d.high));
  }
}

// An index drawn with probability proportional to weights[i].
std::size_t pick(const std::vector<double>& weights, Rng& rng) {
  double total = 0;
  for (double w : weights) total += w;
  double u = rng.uniform() * total;
  for (std::size_t i = 0; i + 1 < weights.size(); ++i) {
    if (u < weights[i]) return i;
    u -= weights[i];
  }
  return weights.size() - 1;
}

// A standard normal draw (Box-Muller; Rng has no normal distribution of its own).
double normal(Rng& rng) {
  const double u = 1.0 - rng.uniform();  // in (0, 1]
  return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * kPi * rng.uniform());
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// A mixture of Gaussians truncated to [low, high] (Optuna's _ParzenEstimator).
struct Parzen {
  std::vector<double> weights, mus, sigmas;
  double low = 0, high = 0;
};

// The estimator of the observations xs: a component at each, with the larger distance to its
// sorted neighbours as sigma, clipped to [range / min(100, 1 + components), range], and a prior
// component at the centre with sigma = range; equal weights.
Parzen fit_parzen(std::vector<double> xs, double low, double high) {
  const double range = high - low, prior = 0.5 * (low + high);
  std::sort(xs.begin(), xs.end());
  const auto prior_at = std::lower_bound(xs.begin(), xs.end(), prior) - xs.begin();
  xs.insert(xs.begin() + prior_at, prior);
  const std::size_t n = xs.size();
  Parzen p{std::vector<double>(n, 1.0 / static_cast<double>(n)), xs, std::vector<double>(n, range),
           low, high};
  const double min_sigma = range / std::min(100.0, 1.0 + static_cast<double>(n));
  for (std::size_t i = 0; i < n && n > 1; ++i) {
    const double left = i > 0 ? xs[i] - xs[i - 1] : 0, right = i + 1 < n ? xs[i + 1] - xs[i] : 0;
    p.sigmas[i] = std::clamp(std::max(left, right), min_sigma, range);
  }
  p.sigmas[static_cast<std::size_t>(prior_at)] = range;
  return p;
}

// log of component k's density at x, or with bins of its mass on [x - 0.5, x + 0.5] (the
// density where that underflows); truncated to [low, high].
double log_component(const Parzen& p, std::size_t k, double x, bool bins) {
  const double mu = p.mus[k], s = p.sigmas[k];
  const double log_z = std::log(normal_cdf((p.high - mu) / s) - normal_cdf((p.low - mu) / s));
  if (bins) {
    const double d = std::abs(x - mu);  // by symmetry, in the lower tail where erfc is exact
    const double mass = normal_cdf((0.5 - d) / s) - normal_cdf((-0.5 - d) / s);
    if (mass > 0) return std::log(mass) - log_z;
  }
  const double z = (x - mu) / s;
  return -0.5 * z * z - std::log(s) - kLogSqrt2Pi - log_z;
}

double log_density(const Parzen& p, double x, bool bins) {
  std::vector<double> terms(p.mus.size());
  for (std::size_t k = 0; k < terms.size(); ++k) {
    terms[k] = std::log(p.weights[k]) + log_component(p, k, x, bins);
  }
  const double top = *std::max_element(terms.begin(), terms.end());
  if (!std::isfinite(top)) return top;
  double sum = 0;
  for (double t : terms) sum += std::exp(t - top);
  return top + std::log(sum);
}

double sample(const Parzen& p, Rng& rng) {
  const std::size_t k = pick(p.weights, rng);
  for (int i = 0; i < 100; ++i) {  // accepts at least a third of the draws (|mu - edge| <= sigma)
    const double x = p.mus[k] + p.sigmas[k] * normal(rng);
    if (x >= p.low && x <= p.high) return x;
  }
  return p.mus[k];
}

// A key's densities: l from the good observations, g from the bad.
struct KeyModel {
  Axis axis;
  Parzen l, g;                 // numeric
  std::vector<double> pl, pg;  // categorical: probabilities
};

// Categorical probabilities: the counts of the observed indices plus 1 per value.
std::vector<double> fit_categorical(const std::vector<double>& xs, std::size_t n) {
  std::vector<double> w(n, 1.0);
  for (double x : xs) w[static_cast<std::size_t>(x)] += 1.0;
  for (double& v : w) v /= static_cast<double>(n + xs.size());
  return w;
}

// The values of axis a among the observations, where they have one in the space.
std::vector<double> values_of(const Axis& a, const std::vector<const Observation*>& obs) {
  std::vector<double> out;
  for (const Observation* o : obs) {
    for (const auto& [key, text] : o->params) {
      if (key != a.key) continue;
      if (const std::optional<double> x = internal(a, text)) out.push_back(*x);
    }
  }
  return out;
}

// The observations split into the best min(ceil(gamma n), 25) (lowest scores, NaN as inf,
// ties by order) and the rest.
std::pair<std::vector<const Observation*>, std::vector<const Observation*>> split(
    const std::vector<Observation>& history, double gamma) {
  std::vector<const Observation*> order;
  for (const Observation& o : history) order.push_back(&o);
  const auto key = [](const Observation* o) {
    return std::isnan(o->score) ? std::numeric_limits<double>::infinity() : o->score;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](const Observation* a, const Observation* b) { return key(a) < key(b); });
  const auto good = std::min<std::size_t>(
      static_cast<std::size_t>(std::ceil(gamma * static_cast<double>(history.size()) - 1e-9)),
      std::min<std::size_t>(25, history.size()));
  return {std::vector<const Observation*>(order.begin(), order.begin() + good),
          std::vector<const Observation*>(order.begin() + good, order.end())};
}

std::vector<KeyModel> fit_model(const SearchSpace& space, const std::vector<Observation>& history,
                                double gamma) {
  const auto [good, bad] = split(history, gamma);
  std::vector<KeyModel> model;
  for (Axis& a : axes_of(space)) {
    KeyModel m{std::move(a), {}, {}, {}, {}};
    if (m.axis.dist != nullptr) {
      m.l = fit_parzen(values_of(m.axis, good), m.axis.low, m.axis.high);
      m.g = fit_parzen(values_of(m.axis, bad), m.axis.low, m.axis.high);
    } else {
      m.pl = fit_categorical(values_of(m.axis, good), m.axis.values.size());
      m.pg = fit_categorical(values_of(m.axis, bad), m.axis.values.size());
    }
    model.push_back(std::move(m));
  }
  return model;
}

// log l(x) - log g(x) for key model m.
double log_ratio(const KeyModel& m, double x) {
  if (m.axis.dist == nullptr) {
    const auto i = static_cast<std::size_t>(x);
    return std::log(m.pl[i]) - std::log(m.pg[i]);
  }
  const bool bins = m.axis.dist->kind == Distribution::Kind::kInt;
  return log_density(m.l, x, bins) - log_density(m.g, x, bins);
}

// The best of `draws` draws from l by l(x) / g(x) (the first of equals), as text.
std::string sample_key(const KeyModel& m, int draws, Rng& rng) {
  double best_x = 0, best = -std::numeric_limits<double>::infinity();
  for (int i = 0; i < draws; ++i) {
    double x = m.axis.dist == nullptr ? static_cast<double>(pick(m.pl, rng)) : sample(m.l, rng);
    if (m.axis.dist != nullptr && m.axis.dist->kind == Distribution::Kind::kInt) {
      x = std::clamp(std::round(x), m.axis.dist->low, m.axis.dist->high);
    }
    const double r = log_ratio(m, x);
    if (i == 0 || r > best || std::isnan(best)) {
      best = r;
      best_x = x;
    }
  }
  return text_of(m.axis, best_x);
}

Candidate sample_model(const std::vector<KeyModel>& model, int draws, Rng& rng) {
  Candidate c;
  for (const KeyModel& m : model) c.emplace_back(m.axis.key, sample_key(m, draws, rng));
  std::sort(c.begin(), c.end());
  return c;
}

// Every point of a space of only grid, choice and int keys, if it has at most kEnumerateLimit;
// else none.
std::vector<Candidate> enumerate(const SearchSpace& space) {
  std::vector<GridAxis> axes = space.grid;
  double size = 1;
  for (const GridAxis& g : axes) size *= static_cast<double>(g.values.size());
  for (const Distribution& d : space.random) {
    if (d.kind == Distribution::Kind::kLogUniform || d.kind == Distribution::Kind::kUniform)
      return {};
    size *= d.kind == Distribution::Kind::kChoice ? static_cast<double>(d.choices.size())
                                                  : d.high - d.low + 1;
    if (size > kEnumerateLimit) return {};
    GridAxis axis{d.key, d.choices};
    for (double v = d.low; d.kind == Distribution::Kind::kInt && v <= d.high; ++v) {
      axis.values.push_back(std::to_string(static_cast<long long>(v)));
    }
    axes.push_back(std::move(axis));
  }
  return size > kEnumerateLimit ? std::vector<Candidate>{} : grid_candidates(axes);
}

// The state of one tpe_propose call.
struct Proposer {
  const SearchSpace& space;
  std::vector<Candidate> grid;  // grid_candidates(space.grid)
  std::vector<KeyModel> model;  // empty during the startup
  int draws = 0;
  Rng rng;
  std::set<std::string> seen;                    // canonical texts of the history and the proposals
  std::optional<std::vector<Candidate>> points;  // enumerate(space), when first needed
};

bool take(Proposer& p, Candidate c, std::vector<Candidate>& out) {
  if (!p.seen.insert(canonical(c)).second) return false;
  out.push_back(std::move(c));
  return true;
}

// An unseen point of a small discrete space, uniformly; false if there is none (or the space
// is too large or continuous to enumerate).
bool take_unseen(Proposer& p, std::vector<Candidate>& out) {
  if (!p.points) p.points = enumerate(p.space);
  std::vector<std::size_t> unseen;
  for (std::size_t i = 0; i < p.points->size(); ++i) {
    if (p.seen.count(canonical((*p.points)[i])) == 0) unseen.push_back(i);
  }
  if (unseen.empty()) return false;
  return take(p, (*p.points)[unseen[p.rng.below(unseen.size())]], out);
}

// Appends one new distinct candidate to out; false if none was found.
bool propose_one(Proposer& p, std::vector<Candidate>& out) {
  for (int i = 0; i < kModelAttempts && !p.model.empty(); ++i) {
    if (take(p, sample_model(p.model, p.draws, p.rng), out)) return true;
  }
  for (int i = 0; i < kRandomAttempts; ++i) {
    if (take(p, draw_candidate(p.space, p.grid, p.rng), out)) return true;
  }
  return take_unseen(p, out);
}

}  // namespace

std::vector<Candidate> tpe_propose(const SearchSpace& space,
                                   const std::vector<Observation>& history, int count,
                                   std::uint64_t seed, const TpeOptions& options) {
  if (count < 0 || options.startup < 0 || options.ei_candidates < 1) {
    throw ConfigError("TPE needs count >= 0, startup >= 0 and ei_candidates >= 1 (got " +
                      std::to_string(count) + ", " + std::to_string(options.startup) + ", " +
                      std::to_string(options.ei_candidates) + ")");
  }
  Proposer p{space, grid_candidates(space.grid), {}, options.ei_candidates, Rng(seed), {}, {}};
  if (static_cast<long>(history.size()) >= options.startup) p.model = fit_model(space, history, options.gamma);
  for (const Observation& o : history) p.seen.insert(canonical(o.params));
  std::vector<Candidate> out;
  while (static_cast<int>(out.size()) < count) {
    if (!propose_one(p, out)) break;  // the space has no more distinct candidates
  }
  return out;
}

}  // namespace nnfit::search
