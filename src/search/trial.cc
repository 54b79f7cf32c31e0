#include "search/trial.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <iomanip>
#include <limits>
#include <new>
#include <sstream>
#include <system_error>
#include <thread>

#include "core/error.h"

namespace nnfit::search {
namespace {

// Fills r's score from the runs of every set.
void score(const std::vector<train::PreparedData>& sets, const std::vector<train::TrainRun>& runs,
           TrialResult& r) {
  std::vector<double> losses;
  double metric = 0, epochs = 0;
  r.done = true;
  r.epochs_run = 0;
  for (std::size_t f = 0; f < sets.size(); ++f) {
    const train::TrainRun& run = runs[f];
    r.done = r.done && !run.fit.interrupted;
    r.epochs_run += run.fit.epochs_run;
    epochs += run.fit.best_epoch;
    if (sets[f].x_test.cols() == 0) {
      losses.push_back(run.fit.best.val_loss);
      metric += run.fit.best.val_metric;
    } else {
      const train::Score s =
          train::score_on(run.model, sets[f].x_test, sets[f].y_test, sets[f].w_test);
      losses.push_back(s.loss);
      metric += s.metric;
    }
  }
  const double n = static_cast<double>(losses.size());
  r.val_loss = r.val_sd = 0;
  for (double l : losses) r.val_loss += l / n;
  for (double l : losses) r.val_sd += (l - r.val_loss) * (l - r.val_loss) / n;
  r.val_sd = std::sqrt(r.val_sd);
  r.val_metric = metric / n;
  r.best_epoch = static_cast<int>(std::lround(epochs / n));
  r.model = std::make_shared<const model::Model>(runs[0].model);
}

}  // namespace

bool Budget::take() {
  if (options_.max_trials > 0 && taken_ >= options_.max_trials) return false;
  ++taken_;
  return true;
}

bool Budget::stop() const {
  if (options_.interrupt != nullptr && options_.interrupt->load()) return true;
  return options_.max_seconds > 0 &&
         std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count() >=
             options_.max_seconds;
}

void run_parallel(const std::vector<std::size_t>& todo, int jobs,
                  const std::function<bool()>& stop,
                  const std::function<bool(std::size_t)>& work) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;  // the first exception of any worker
  std::mutex error_mutex;
  auto worker = [&] {
    try {
      for (std::size_t n = next++; n < todo.size(); n = next++) {
        if (failed.load() || stop() || !work(todo[n])) return;
      }
    } catch (...) {  // an exception must not leave a thread (std::terminate): hand it over
      const std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      failed = true;
    }
  };
  const int threads_wanted = std::max(1, std::min<int>(jobs, static_cast<int>(todo.size())));
  std::vector<std::thread> threads;
  try {
    for (int t = 1; t < threads_wanted; ++t) threads.emplace_back(worker);
  } catch (const std::system_error&) {
    // No more threads to be had: run on those that started.
  }
  worker();
  for (std::thread& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

std::string parameter_count(const std::vector<train::PreparedData>& sets,
                            const train::TrainOptions& opt) {
  nn::NetworkSpec spec;
  model::set_output(spec, sets.at(0).model.target);
  long double count = 0, in = static_cast<long double>(sets[0].x_train.rows());
  for (const Index h : opt.hidden) {
    count += (in + 1) * static_cast<long double>(h);
    in = static_cast<long double>(h);
  }
  count += (in + 1) * static_cast<long double>(spec.outputs);
  std::ostringstream os;
  os << std::fixed << std::setprecision(0) << count << " parameters";
  return os.str();
}

bool run_guarded(const std::vector<train::PreparedData>& sets, const train::TrainOptions& base,
                 const Candidate& c, const std::function<bool()>& work) {
  try {
    return work();
  } catch (const std::exception& e) {
    const std::string what = dynamic_cast<const std::bad_alloc*>(&e) != nullptr
                                 ? std::string("out of memory (") + e.what() + ")"
                                 : std::string(e.what());
    const std::string message = "trial " + canonical(c) + " (" +
                                parameter_count(sets, apply(c, base)) + ") failed: " + what +
                                "; the search stopped (finished trials are in the journal of "
                                "--out-dir, if given)";
    if (dynamic_cast<const ConfigError*>(&e) != nullptr) throw ConfigError(message);
    throw Error(message);
  }
}

bool record(TrialResult r, TrialResult& slot, Progress& progress, const RunOptions& options) {
  std::lock_guard<std::mutex> lock(progress.mutex);
  slot = std::move(r);
  if (!slot.done) return false;
  ++progress.done;
  if (options.on_trial) options.on_trial(slot, progress.done, progress.total);
  slot.model.reset();
  return true;
}

void check_sets(const std::vector<train::PreparedData>& sets) {
  if (sets.empty() || sets[0].x_val.cols() == 0) {
    throw ConfigError("a search needs validation rows to score the trials: use --val-split > 0 "
                      "or --val-data");
  }
}

TrialResult run_trial(const std::vector<train::PreparedData>& sets, const train::TrainOptions& base,
                      const Candidate& c, int epochs, TrialState& state,
                      const std::atomic<bool>* interrupt) {
  TrialResult r;
  r.params = c;
  r.seed = trial_seed(base.seed, c);
  const auto t0 = std::chrono::steady_clock::now();
  try {
    if (state.diverged) throw TrainingDiverged("diverged in an earlier rung");
    if (state.fits.empty()) {
      train::TrainOptions opt = apply(c, base);
      opt.seed = r.seed;
      for (const train::PreparedData& p : sets) {  // every set starts from the same seed
        state.fits.push_back(std::make_unique<train::PreparedFit>(p, opt, Rng(r.seed), interrupt));
      }
    }
    std::vector<train::TrainRun> runs;
    for (auto& fit : state.fits) {
      fit->run_to(epochs);
      runs.push_back(fit->run());
    }
    score(sets, runs, r);
  } catch (const TrainingDiverged&) {
    state.diverged = true;
    state.fits.clear();
    r.diverged = true;
    r.done = true;
    r.val_loss = std::numeric_limits<double>::infinity();
  }
  state.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.seconds = state.seconds;
  return r;
}

}  // namespace nnfit::search
