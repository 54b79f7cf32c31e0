#include "search/search.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>
#include <thread>

#include "core/error.h"

namespace nnfit::search {
namespace {

TrialResult run_one(const std::vector<train::PreparedData>& sets,
                    const train::TrainOptions& base, const Candidate& c,
                    const std::atomic<bool>* interrupt) {
  TrialResult r;
  r.params = c;
  r.seed = trial_seed(base.seed, c);
  train::TrainOptions opt = apply(c, base);
  opt.seed = r.seed;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    std::vector<double> losses;
    double metric = 0, epochs = 0;
    r.done = true;
    for (const train::PreparedData& p : sets) {
      Rng rng(r.seed);  // every fold starts from the same seed
      const train::TrainRun run = train::fit_prepared(p, opt, rng, {}, interrupt);
      r.done = r.done && !run.fit.interrupted;
      r.epochs_run += run.fit.epochs_run;
      epochs += run.fit.best_epoch;
      if (!r.model) r.model = std::make_shared<const model::Model>(run.model);
      if (p.x_test.cols() == 0) {
        losses.push_back(run.fit.best.val_loss);
        metric += run.fit.best.val_metric;
      } else {
        const train::Score s = train::score_on(run.model, p.x_test, p.y_test);
        losses.push_back(s.loss);
        metric += s.metric;
      }
    }
    const double n = static_cast<double>(losses.size());
    for (double l : losses) r.val_loss += l / n;
    for (double l : losses) r.val_sd += (l - r.val_loss) * (l - r.val_loss) / n;
    r.val_sd = std::sqrt(r.val_sd);
    r.val_metric = metric / n;
    r.best_epoch = static_cast<int>(std::lround(epochs / n));
  } catch (const TrainingDiverged&) {
    r.diverged = true;
    r.done = true;
    r.val_loss = std::numeric_limits<double>::infinity();
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace

std::vector<TrialResult> run_trials(const std::vector<train::PreparedData>& sets,
                                    const train::TrainOptions& base,
                                    const std::vector<Candidate>& candidates,
                                    const RunOptions& options) {
  if (sets.empty() || sets[0].x_val.cols() == 0) {
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
      TrialResult r = run_one(sets, base, candidates[i], options.interrupt);
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
