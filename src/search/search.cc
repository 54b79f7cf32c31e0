#include "search/search.h"

#include <algorithm>
#include <numeric>

#include "core/error.h"
#include "search/trial.h"

namespace nnfit::search {

std::vector<TrialResult> run_trials(const std::vector<train::PreparedData>& sets,
                                    const train::TrainOptions& base,
                                    const std::vector<Candidate>& candidates,
                                    const RunOptions& options) {
  check_sets(sets);
  for (const Candidate& c : candidates) apply(c, base);  // every candidate valid before any runs
  std::vector<TrialResult> results(candidates.size());
  std::vector<std::size_t> todo;
  Budget budget(options);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto it = options.finished ? options.finished->find(trial_key(candidates[i], 0))
                                     : std::map<std::string, TrialResult>::const_iterator{};
    if (options.finished && it != options.finished->end()) {
      results[i] = it->second;
    } else {
      results[i].params = candidates[i];
      const bool mine = i % options.shard_count == options.shard_index;
      if (options.run_new && mine && budget.take()) todo.push_back(i);
    }
  }
  Progress progress{todo.size()};
  run_parallel(todo, options.jobs, [&] { return budget.stop(); }, [&](std::size_t i) {
    return run_guarded(sets, base, candidates[i], [&] {
      TrialState state;
      TrialResult r = run_trial(sets, base, candidates[i], base.epochs, state, options.interrupt);
      return record(std::move(r), results[i], progress, options);
    });
  });
  return results;
}

std::vector<int> ranks(const std::vector<TrialResult>& results) {
  std::vector<std::size_t> order(results.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const TrialResult &x = results[a], &y = results[b];
    if (x.done != y.done) return x.done;
    if (x.rung != y.rung) return x.rung > y.rung;
    return x.val_loss < y.val_loss;
  });
  std::vector<int> rank(results.size());
  for (std::size_t k = 0; k < order.size(); ++k) rank[order[k]] = static_cast<int>(k + 1);
  return rank;
}

std::string trial_key(const Candidate& c, int rung) {
  return rung == 0 ? canonical(c) : canonical(c) + " @rung " + std::to_string(rung);
}

}  // namespace nnfit::search
