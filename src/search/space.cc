#include "search/space.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <sstream>

#include "core/error.h"
#include "train/params.h"

namespace nnfit::search {
namespace {

std::string normal_key(std::string key) {
  std::replace(key.begin(), key.end(), '_', '-');
  const auto& keys = searchable_keys();
  if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
    std::string list;
    for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
    throw ConfigError("cannot search over '" + key + "'; searchable keys: " + list);
  }
  return key;
}

std::pair<std::string, std::string> split_assignment(const std::string& arg, const char* flag) {
  const auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size()) {
    throw ConfigError(std::string("invalid ") + flag + " '" + arg + "': expected KEY=VALUES");
  }
  return {normal_key(arg.substr(0, eq)), arg.substr(eq + 1)};
}

std::vector<std::string> split_values(const std::string& text, const std::string& arg) {
  const char sep = text.find('|') != std::string::npos ? '|' : ',';
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string v;
  while (std::getline(ss, v, sep)) {
    if (v.empty()) throw ConfigError("invalid '" + arg + "': an empty value");
    out.push_back(v);
  }
  if (!text.empty() && text.back() == sep) throw ConfigError("invalid '" + arg + "': an empty value");
  return out;
}

double number(const std::string& text, const std::string& arg) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
    throw ConfigError("invalid '" + arg + "': '" + text + "' is not a number");
  }
  return v;
}

std::string draw(const Distribution& d, Rng& rng) {
  switch (d.kind) {
    case Distribution::Kind::kLogUniform:
      return format_number(std::exp(rng.uniform(std::log(d.low), std::log(d.high))));
    case Distribution::Kind::kUniform:
      return format_number(rng.uniform(d.low, d.high));
    case Distribution::Kind::kInt: {
      const auto span = static_cast<std::uint64_t>(d.high - d.low) + 1;
      return std::to_string(static_cast<long long>(d.low) + static_cast<long long>(rng.next() % span));
    }
    case Distribution::Kind::kChoice:
      return d.choices[rng.next() % d.choices.size()];
  }
  return "";
}

// The same text, or numbers that are equal (0.1 and 0.10).
bool same_value(const std::string& a, const std::string& b) {
  if (a == b) return true;
  double x = 0, y = 0;
  const auto ra = std::from_chars(a.data(), a.data() + a.size(), x);
  const auto rb = std::from_chars(b.data(), b.data() + b.size(), y);
  return ra.ec == std::errc() && ra.ptr == a.data() + a.size() && rb.ec == std::errc() &&
         rb.ptr == b.data() + b.size() && x == y;
}

void sort_by_key(Candidate& c) { std::sort(c.begin(), c.end()); }

}  // namespace

const std::vector<std::string>& searchable_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out;
    for (const train::Param& p : train::params()) {
      if (p.searchable) out.push_back(p.name);
    }
    return out;
  }();
  return keys;
}

GridAxis parse_grid_axis(const std::string& arg) {
  const auto [key, text] = split_assignment(arg, "--grid");
  GridAxis axis{key, split_values(text, arg)};
  for (std::size_t i = 0; i < axis.values.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (same_value(axis.values[i], axis.values[j])) {
        throw ConfigError("invalid --grid '" + arg + "': '" + axis.values[i] + "' repeats '" +
                          axis.values[j] +
                          "', which would train the same trials twice; give "
                          "each value once");
      }
    }
  }
  return axis;
}

Distribution parse_distribution(const std::string& arg) {
  const auto [key, text] = split_assignment(arg, "--space");
  const auto open = text.find('(');
  if (open == std::string::npos || text.back() != ')') {
    throw ConfigError("invalid --space '" + arg +
                      "': expected loguniform(a,b), uniform(a,b), int(a,b) or choice(v1,v2,...)");
  }
  const std::string kind = text.substr(0, open);
  const std::string inner = text.substr(open + 1, text.size() - open - 2);
  Distribution d;
  d.key = key;
  if (kind == "choice") {
    d.kind = Distribution::Kind::kChoice;
    d.choices = split_values(inner, arg);
    return d;
  }
  const auto comma = inner.find(',');
  if (comma == std::string::npos) throw ConfigError("invalid --space '" + arg + "': expected two bounds");
  d.low = number(inner.substr(0, comma), arg);
  d.high = number(inner.substr(comma + 1), arg);
  if (kind == "loguniform") {
    d.kind = Distribution::Kind::kLogUniform;
    if (!(d.low > 0)) throw ConfigError("invalid --space '" + arg + "': loguniform needs a > 0");
  } else if (kind == "uniform") {
    d.kind = Distribution::Kind::kUniform;
  } else if (kind == "int") {
    d.kind = Distribution::Kind::kInt;
    if (d.low != std::floor(d.low) || d.high != std::floor(d.high)) {
      throw ConfigError("invalid --space '" + arg + "': int bounds must be integers");
    }
  } else {
    throw ConfigError("invalid --space '" + arg + "': unknown distribution '" + kind +
                      "' (loguniform, uniform, int, choice)");
  }
  if (!(d.low < d.high) && !(d.kind == Distribution::Kind::kInt && d.low == d.high)) {
    throw ConfigError("invalid --space '" + arg + "': needs a < b");
  }
  return d;
}

std::string canonical(const Candidate& c) {
  std::string s;
  for (const auto& [k, v] : c) s += (s.empty() ? "" : " ") + k + "=" + v;
  return s;
}

std::vector<Candidate> grid_candidates(const std::vector<GridAxis>& grid) {
  std::vector<Candidate> out{{}};
  for (const GridAxis& axis : grid) {
    std::vector<Candidate> next;
    for (const Candidate& c : out) {
      for (const std::string& v : axis.values) {
        Candidate n = c;
        n.emplace_back(axis.key, v);
        next.push_back(std::move(n));
      }
    }
    out = std::move(next);
  }
  for (Candidate& c : out) sort_by_key(c);
  return out;
}

std::vector<Candidate> random_candidates(const SearchSpace& space, int trials, std::uint64_t seed) {
  const std::vector<Candidate> grid = grid_candidates(space.grid);
  Rng rng(seed);
  std::vector<Candidate> out;
  std::set<std::string> seen;
  long attempts = 0;
  while (static_cast<int>(out.size()) < trials) {
    if (++attempts > 100L * trials) {
      throw ConfigError("the search space has only " + std::to_string(out.size()) +
                        " distinct candidates, fewer than --trials " + std::to_string(trials));
    }
    Candidate c = draw_candidate(space, grid, rng);
    if (seen.insert(canonical(c)).second) out.push_back(std::move(c));
  }
  return out;
}

Candidate draw_candidate(const SearchSpace& space, const std::vector<Candidate>& grid, Rng& rng) {
  Candidate c = grid[rng.next() % grid.size()];
  for (const Distribution& d : space.random) c.emplace_back(d.key, draw(d, rng));
  sort_by_key(c);
  return c;
}

std::string format_number(double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

train::TrainOptions apply(const Candidate& c, train::TrainOptions opt) {
  try {
    for (const auto& [key, v] : c) {
      const train::Param* p = train::find_param(key);
      if (p == nullptr) throw ConfigError("'" + key + "' is not a hyper-parameter");
      train::set_text(*p, opt, v);
    }
    train::validate(opt);
  } catch (const ConfigError& e) {
    throw ConfigError("candidate " + canonical(c) + ": " + e.what());
  }
  return opt;
}

std::uint64_t trial_seed(std::uint64_t base, const Candidate& c) {
  std::uint64_t h = 1469598103934665603ULL ^ base;  // FNV-1a over the base seed and the text
  for (const unsigned char ch : canonical(c)) {
    h ^= ch;
    h *= 1099511628211ULL;
  }
  h ^= h >> 33;  // final mix so that nearby texts give unrelated seeds
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

}  // namespace nnfit::search
