#include "search/halving.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"
#include "search/trial.h"

namespace nnfit::search {

void check_halving(const std::vector<Candidate>& candidates, std::size_t shard_count) {
  if (shard_count > 1) {
    throw ConfigError("--halving and --shard exclude each other: each rung of successive halving "
                      "waits for the whole previous rung; shard a grid or random search instead");
  }
  for (const Candidate& c : candidates) {
    for (const auto& [key, value] : c) {
      if (key == "epochs") {
        throw ConfigError("--halving uses epochs as its resource (the last rung trains to "
                          "--epochs): do not search 'epochs'");
      }
    }
  }
}

namespace {

// The number of trainings the search still needs: every rung's candidates (with a kept
// candidate, one more in each later rung at most), less those in the journal.
std::size_t trainings_needed(const std::vector<Rung>& rungs, const std::vector<Candidate>& candidates,
                             const RunOptions& options, bool keep) {
  std::size_t total = 0;
  for (const Rung& r : rungs) total += r.candidates;
  if (keep) total += rungs.size() - 1;  // at most one more per later rung
  if (options.finished == nullptr) return total;
  for (std::size_t k = 0; k < rungs.size(); ++k) {
    for (const Candidate& c : candidates) {
      if (options.finished->count(trial_key(c, static_cast<int>(k + 1))) && total > 0) --total;
    }
  }
  return total;
}

}  // namespace

std::vector<Rung> halving_rungs(std::size_t n, int max_epochs, const HalvingOptions& h) {
  if (h.eta < 2) {
    throw ConfigError("invalid --eta " + std::to_string(h.eta) +
                      ": must be >= 2 (each rung keeps the best 1/eta of the candidates)");
  }
  if (h.min_epochs < 0 || h.min_epochs > max_epochs) {
    throw ConfigError("invalid --halving-min-epochs " + std::to_string(h.min_epochs) +
                      ": must be in [0, --epochs] (0 = as few as the rungs need)");
  }
  const double eta = h.eta, min_epochs = std::max(1, h.min_epochs);
  int last = 0;
  for (double p = eta; p <= static_cast<double>(n) && p * min_epochs <= max_epochs; p *= eta) {
    ++last;
  }
  std::vector<Rung> rungs;
  std::size_t keep = n;
  for (int k = 0; k <= last; ++k) {
    const double epochs = max_epochs / std::pow(eta, last - k);
    rungs.push_back({keep, std::max(1, static_cast<int>(std::lround(epochs)))});
    keep = (keep + static_cast<std::size_t>(h.eta) - 1) / static_cast<std::size_t>(h.eta);
  }
  rungs.back().epochs = max_epochs;
  return rungs;
}

std::vector<std::size_t> promote(const std::vector<std::size_t>& ids,
                                 const std::vector<TrialResult>& results, std::size_t k,
                                 Scoring scoring, std::optional<std::size_t> keep) {
  std::vector<std::size_t> ok;
  for (std::size_t id : ids) {
    if (results[id].done && !results[id].diverged) ok.push_back(id);
  }
  std::sort(ok.begin(), ok.end(), [&](std::size_t a, std::size_t b) {
    const double sa = score(results[a], scoring), sb = score(results[b], scoring);
    if (sa != sb) return sa < sb;
    if (results[a].val_loss != results[b].val_loss) return results[a].val_loss < results[b].val_loss;
    return a < b;
  });
  const bool kept = keep && std::find(ok.begin(), ok.end(), *keep) != ok.end();
  ok.resize(std::min(k, ok.size()));
  if (kept && std::find(ok.begin(), ok.end(), *keep) == ok.end()) ok.push_back(*keep);
  std::sort(ok.begin(), ok.end());
  return ok;
}

HalvingResult run_halving(const std::vector<train::PreparedData>& sets,
                          const train::TrainOptions& base, const std::vector<Candidate>& candidates,
                          const RunOptions& options, const HalvingOptions& halving) {
  check_sets(sets);
  check_halving(candidates, options.shard_count);
  for (const Candidate& c : candidates) apply(c, base);  // every candidate valid before any runs
  const std::size_t n = candidates.size();
  const std::vector<Rung> rungs = halving_rungs(n, base.epochs, halving);
  HalvingResult result;
  std::vector<std::vector<TrialResult>>& out = result.rungs;
  out.assign(rungs.size(), std::vector<TrialResult>(n));
  for (std::size_t k = 0; k < rungs.size(); ++k) {
    for (std::size_t i = 0; i < n; ++i) {
      out[k][i].params = candidates[i];
      out[k][i].rung = static_cast<int>(k + 1);
      out[k][i].budget = rungs[k].epochs;
    }
  }
  std::vector<TrialState> states(n);  // the fits of the candidates still in the search
  Progress progress{trainings_needed(rungs, candidates, options, halving.keep.has_value())};
  Budget budget(options);
  std::vector<std::size_t> alive(n);
  std::iota(alive.begin(), alive.end(), std::size_t{0});
  for (std::size_t k = 0; k < rungs.size(); ++k) {
    if (k > 0) {
      const std::vector<std::size_t> promoted = promote(alive, out[k - 1], rungs[k].candidates, halving.scoring, halving.keep);
      for (std::size_t i : alive) {
        if (!std::binary_search(promoted.begin(), promoted.end(), i)) states[i] = TrialState{};
      }
      alive = promoted;
    }
    std::vector<std::size_t> todo;
    for (std::size_t i : alive) {
      const std::string key = trial_key(candidates[i], static_cast<int>(k + 1));
      if (options.finished != nullptr && options.finished->count(key)) {
        out[k][i] = options.finished->at(key);
      } else if (options.run_new && budget.take()) {
        todo.push_back(i);
      }
    }
    const int epochs = rungs[k].epochs;
    run_parallel(todo, options.jobs, [&] { return budget.stop(); }, [&](std::size_t i) {
      return run_guarded(sets, base, candidates[i], [&] {
        TrialResult r = run_trial(sets, base, candidates[i], epochs, states[i], options.interrupt);
        r.rung = static_cast<int>(k + 1);
        r.budget = epochs;
        return record(std::move(r), out[k][i], progress, options);
      });
    });
    const bool complete = std::all_of(alive.begin(), alive.end(),
                                      [&](std::size_t i) { return out[k][i].done; });
    if (!complete) return result;  // interrupted, out of budget, or missing from the journals
  }
  result.complete = true;
  return result;
}

std::vector<TrialResult> final_results(const std::vector<std::vector<TrialResult>>& rungs) {
  std::vector<TrialResult> last = rungs.at(0);
  for (std::size_t k = 1; k < rungs.size(); ++k) {
    for (std::size_t i = 0; i < last.size(); ++i) {
      if (rungs[k][i].done) last[i] = rungs[k][i];
    }
  }
  return last;
}

}  // namespace nnfit::search
