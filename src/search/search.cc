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

std::string trial_key(const Candidate& c, int rung) {
  return rung == 0 ? canonical(c) : canonical(c) + " @rung " + std::to_string(rung);
}

}  // namespace nnfit::search
