// run_tpe: the TPE search over run_trials, one call per batch, with the budgets, the journal
// and the progress of the whole search.
#include <algorithm>
#include <chrono>
#include <limits>
#include <set>

#include "core/error.h"
#include "search/tpe.h"
#include "search/trial.h"

namespace nnfit::search {
namespace {

// The state of a run_tpe call, shared by its batches.
struct TpeSearch {
  const std::vector<train::PreparedData>& sets;
  const train::TrainOptions& base;
  const RunOptions& options;
  std::chrono::steady_clock::time_point t0;
  std::size_t total = 0;     // new trainings the search needs (for on_trial)
  std::size_t new_done = 0;  // new trainings finished so far
  std::vector<TrialResult> results = {};
};

void check_tpe(const RunOptions& options, const TpeRun& run) {
  if (options.shard_count > 1) {
    throw ConfigError(
        "TPE and --shard exclude each other: TPE proposes each batch from the "
        "results of all earlier batches, so the shards would wait on each other; "
        "shard a random search (--space with --trials) instead, or use --jobs");
  }
  if (run.trials < 0 || run.batch < 1) {
    throw ConfigError("a TPE search needs trials >= 0 and a batch >= 1 (got " +
                      std::to_string(run.trials) + " and " + std::to_string(run.batch) + ")");
  }
}

// The options of the next batch: what is left of the search's budgets (no new trial once one
// is spent), and on_trial counting over the whole search.
RunOptions batch_options(TpeSearch& s) {
  const RunOptions& o = s.options;
  RunOptions b = o;
  const auto taken = static_cast<long>(s.new_done);
  if (o.max_trials > 0) {
    b.max_trials = o.max_trials - taken;
    if (b.max_trials <= 0) b.run_new = false;
  }
  if (o.max_seconds > 0) {
    b.max_seconds = o.max_seconds -
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - s.t0).count();
    if (b.max_seconds <= 0) b.run_new = false;
  }
  b.on_trial = [&s](const TrialResult& r, std::size_t, std::size_t) {
    ++s.new_done;  // run_trials calls on_trial under its mutex, one at a time
    s.total = std::max(s.total, s.new_done);
    if (s.options.on_trial) s.options.on_trial(r, s.new_done, s.total);
  };
  return b;
}

// Runs a batch and appends its results; false if one did not finish (the search stops).
bool run_batch(TpeSearch& s, const std::vector<Candidate>& batch) {
  std::vector<TrialResult> got = run_trials(s.sets, s.base, batch, batch_options(s));
  const bool complete =
      std::all_of(got.begin(), got.end(), [](const TrialResult& r) { return r.done; });
  s.results.insert(s.results.end(), std::make_move_iterator(got.begin()),
                   std::make_move_iterator(got.end()));
  return complete;
}

// The finished results as observations, diverged ones scored inf.
std::vector<Observation> observations(const std::vector<TrialResult>& results,
                                      const std::function<double(const TrialResult&)>& score) {
  std::vector<Observation> out;
  for (const TrialResult& r : results) {
    if (!r.done) continue;
    out.push_back({r.params, r.diverged ? std::numeric_limits<double>::infinity() : score(r)});
  }
  return out;
}

// The enqueued candidates, each once, at most `trials`.
std::vector<Candidate> first_batch(const TpeRun& run) {
  std::vector<Candidate> out;
  std::set<std::string> seen;
  for (const Candidate& c : run.enqueued) {
    if (static_cast<int>(out.size()) < run.trials && seen.insert(canonical(c)).second) {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::uint64_t tpe_batch_seed(std::uint64_t seed, int b) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (static_cast<std::uint64_t>(b) + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;  // splitmix64's finaliser
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::vector<TrialResult> run_tpe(const std::vector<train::PreparedData>& sets,
                                 const train::TrainOptions& base, const SearchSpace& space,
                                 std::uint64_t seed, const RunOptions& options, const TpeRun& run,
                                 const std::function<double(const TrialResult&)>& score) {
  check_tpe(options, run);
  check_sets(sets);
  const auto trials = static_cast<std::size_t>(run.trials);
  const std::size_t journaled = options.finished ? options.finished->size() : 0;
  TpeSearch s{sets, base, options, std::chrono::steady_clock::now()};
  s.total = trials - std::min(trials, journaled);
  const std::vector<Candidate> enqueued = first_batch(run);
  if (!enqueued.empty() && !run_batch(s, enqueued)) return s.results;
  for (int b = 0; s.results.size() < trials; ++b) {
    const int n =
        static_cast<int>(std::min(trials - s.results.size(), static_cast<std::size_t>(run.batch)));
    const std::vector<Candidate> batch =
        tpe_propose(space, observations(s.results, score), n, tpe_batch_seed(seed, b), run.tpe);
    if (batch.empty() || !run_batch(s, batch)) break;  // the space is exhausted, or stopped
  }
  return s.results;
}

}  // namespace nnfit::search
