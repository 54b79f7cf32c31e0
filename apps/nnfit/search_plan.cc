#include "search_plan.h"

#include <spdlog/spdlog.h>

#include "core/error.h"
#include "search/default_space.h"

namespace nnfit::cli {
namespace {

// "2/3" -> {1, 3} (0-based index); ConfigError otherwise.
std::pair<std::size_t, std::size_t> parse_shard(const std::string& s) {
  const auto slash = s.find('/');
  try {
    if (slash != std::string::npos) {
      const unsigned long i = std::stoul(s.substr(0, slash)), n = std::stoul(s.substr(slash + 1));
      if (i >= 1 && i <= n && std::to_string(i) + "/" + std::to_string(n) == s) return {i - 1, n};
    }
  } catch (const std::exception&) {
  }
  throw ConfigError("invalid --shard '" + s + "': expected I/N with 1 <= I <= N, e.g. 2/4");
}

// Trials of a search of the default space without --trials (--max-time may stop it sooner).
constexpr int kDefaultSpaceTrials = 30;

// The space searched: --grid and --space, or with neither the default space
// (search/default_space.h).
search::SearchSpace read_space(const GridsearchCommand& c) {
  search::SearchSpace space;
  for (const auto& g : c.grid) space.grid.push_back(search::parse_grid_axis(g));
  for (const auto& s : c.space) space.random.push_back(search::parse_distribution(s));
  std::map<std::string, int> seen;
  for (const auto& a : space.grid) ++seen[a.key];
  for (const auto& d : space.random) ++seen[d.key];
  for (const auto& [key, n] : seen) {
    if (n > 1) throw ConfigError("'" + key + "' is searched twice; give each key once");
  }
  return space.grid.empty() && space.random.empty() ? search::default_space() : space;
}

// --sampler auto: grid for --grid alone, random with --space, tpe for the default space.
std::string sampler(const GridsearchCommand& c, const search::SearchSpace& space) {
  if (c.sampler != "auto") return c.sampler;
  if (c.grid.empty() && c.space.empty()) return "tpe";
  return space.random.empty() ? "grid" : "random";
}

// The baseline (search/default_space.h base_candidate: train's configuration with the
// command's flags), unless --no-baseline. TPE keeps it only where it lies in the space.
std::optional<search::Candidate> baseline(const GridsearchCommand& c,
                                          const search::SearchSpace& space,
                                          const std::string& how) {
  if (c.no_baseline) return std::nullopt;
  return search::base_candidate(space, c.opt, how == "tpe");
}

// The candidates of a grid or random search, the baseline first unless one of them sets the
// same options (TPE: a preview of random draws, to check the values before the data are read).
std::vector<search::Candidate> candidates(const GridsearchCommand& c,
                                          const search::SearchSpace& space,
                                          const std::string& how) {
  const int n = trials(c, how);  // also refuses --trials with a grid alone
  std::vector<search::Candidate> out = how == "grid"
                                           ? search::grid_candidates(space.grid)
                                           : search::random_candidates(space, n, c.opt.seed);
  const std::optional<search::Candidate> base = baseline(c, space, how);
  if (!base || how == "tpe") return out;
  for (const search::Candidate& x : out) {
    if (search::same_candidate(x, *base, c.opt)) return out;
  }
  out.insert(out.begin(), *base);
  return out;
}



}  // namespace

int trials(const GridsearchCommand& c, const std::string& how) {
  if (how == "grid") {
    if (c.trials > 0) throw ConfigError("--trials is for random search: add --space KEY=DIST");
    return 0;
  }
  if (c.trials > 0) return c.trials;
  if (c.grid.empty() && c.space.empty()) return kDefaultSpaceTrials;
  throw ConfigError(how + " search needs --trials N (N >= 1)");
}

std::optional<std::size_t> baseline_index(const std::vector<search::TrialResult>& results,
                                          const std::optional<search::Candidate>& base,
                                          const train::TrainOptions& opt) {
  for (std::size_t i = 0; base && i < results.size(); ++i) {
    if (search::same_candidate(results[i].params, *base, opt)) return i;
  }
  return std::nullopt;
}

void log_rungs(std::size_t n, const GridsearchCommand& c) {
  std::string counts, epochs;
  for (const search::Rung& r : search::halving_rungs(n, c.opt.epochs, c.halving_options)) {
    counts += (counts.empty() ? "" : " -> ") + std::to_string(r.candidates);
    epochs += (epochs.empty() ? "" : ", ") + std::to_string(r.epochs);
  }
  spdlog::info("successive halving (eta {}): {} candidates, trained to {} epochs",
               c.halving_options.eta, counts, epochs);
  if (counts.find('>') == std::string::npos) {
    spdlog::warn("successive halving has a single rung here (it needs at least --eta candidates "
                 "and --epochs >= eta * --halving-min-epochs), so it is a plain search");
  }
}


// What is decided before the data are read: the space, the sampler, the candidates (checked
// against train's options), the baseline, the shard.
Plan plan_search(const GridsearchCommand& c) {
  Plan p;
  p.space = read_space(c);
  p.how = sampler(c, p.space);
  p.cands = candidates(c, p.space, p.how);
  for (const search::Candidate& cand : p.cands) search::apply(cand, c.opt);  // before any data
  p.base = baseline(c, p.space, p.how);
  p.shard = c.shard.empty() ? std::pair<std::size_t, std::size_t>{0, 1} : parse_shard(c.shard);
  if (p.how == "tpe" && (c.halving || p.shard.second > 1)) {
    throw ConfigError(std::string(c.halving ? "--halving" : "--shard") +
                      " needs a list of candidates fixed in advance; --sampler tpe proposes each "
                      "batch from the results of the earlier ones: use --sampler random (with "
                      "--space and --trials) or a --grid");
  }
  if (c.halving) {
    search::check_halving(p.cands, p.shard.second);
    search::halving_rungs(p.cands.size(), c.opt.epochs, c.halving_options);
    if (c.opt.min_epochs > 0) {
      spdlog::warn("--min-epochs {} is early stopping's minimum inside each trial; successive "
                   "halving's shortest first rung is --halving-min-epochs",
                   c.opt.min_epochs);
    }
  }
  return p;
}

}  // namespace nnfit::cli
