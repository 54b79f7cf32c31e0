#include "search/search.h"

#include <chrono>
#include <limits>
#include <mutex>
#include <numeric>
#include <thread>

#include "core/error.h"

namespace nnfit::search {
namespace {

TrialResult run_one(const train::PreparedData& p, const train::TrainOptions& base,
                    const Candidate& c, const std::atomic<bool>* interrupt) {
  TrialResult r;
  r.params = c;
  r.seed = trial_seed(base.seed, c);
  train::TrainOptions opt = apply(c, base);
  opt.seed = r.seed;
  const auto t0 = std::chrono::steady_clock::now();
  Rng rng(r.seed);
  try {
    const train::TrainRun run = train::fit_prepared(p, opt, rng, {}, interrupt);
    r.val_loss = run.fit.best.val_loss;
    r.val_metric = run.fit.best.val_metric;
    r.best_epoch = run.fit.best_epoch;
    r.epochs_run = run.fit.epochs_run;
    r.done = !run.fit.interrupted;
    r.model = std::make_shared<const model::Model>(run.model);
  } catch (const TrainingDiverged&) {
    r.diverged = true;
    r.done = true;
    r.val_loss = std::numeric_limits<double>::infinity();
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace

std::vector<TrialResult> run_trials(const train::PreparedData& p, const train::TrainOptions& base,
                                    const std::vector<Candidate>& candidates,
                                    const RunOptions& options) {
  if (p.x_val.cols() == 0) {
    throw ConfigError("a search needs validation rows to score the trials: use --val-split > 0 "
                      "or --val-data");
  }
  for (const Candidate& c : candidates) apply(c, base);  // every candidate valid before any runs
  std::vector<TrialResult> results(candidates.size());
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto it = options.finished ? options.finished->find(canonical(candidates[i]))
                                     : std::map<std::string, TrialResult>::const_iterator{};
    if (options.finished && it != options.finished->end()) {
      results[i] = it->second;
    } else {
      results[i].params = candidates[i];
      const bool mine = i % options.shard_count == options.shard_index;
      const bool budget =
          options.max_trials <= 0 || static_cast<long>(todo.size()) < options.max_trials;
      if (options.run_new && mine && budget) {
        todo.push_back(i);
      }
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  const auto out_of_time = [&] {
    return options.max_seconds > 0 &&
           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() >=
               options.max_seconds;
  };
  std::atomic<std::size_t> next{0};
  std::size_t finished = 0;
  std::mutex mutex;
  auto worker = [&] {
    for (std::size_t n = next++; n < todo.size(); n = next++) {
      const std::size_t i = todo[n];
      if (options.interrupt != nullptr && options.interrupt->load()) return;
      if (out_of_time()) return;
      TrialResult r = run_one(p, base, candidates[i], options.interrupt);
      std::lock_guard<std::mutex> lock(mutex);
      results[i] = std::move(r);
      if (!results[i].done) return;
      ++finished;
      if (options.on_trial) options.on_trial(results[i], finished, todo.size());
      results[i].model.reset();
    }
  };
  const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(todo.size())));
  std::vector<std::thread> threads;
  for (int t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  return results;
}

std::vector<int> ranks(const std::vector<TrialResult>& results) {
  std::vector<std::size_t> order(results.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const TrialResult &x = results[a], &y = results[b];
    if (x.done != y.done) return x.done;
    return x.val_loss < y.val_loss;
  });
  std::vector<int> rank(results.size());
  for (std::size_t k = 0; k < order.size(); ++k) rank[order[k]] = static_cast<int>(k + 1);
  return rank;
}

}  // namespace nnfit::search
