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
#include "search/select.h"

namespace nnfit::search {
namespace {

// One set's scores: on its scored fold (cross-validation) or its validation rows, where the
// loss and accuracy or RMSE are those early stopping saw at the best epoch.
Scores set_scores(const train::PreparedData& p, const train::TrainRun& run) {
  const bool cv = p.x_test.cols() > 0;
  const train::Score s = cv ? train::score_on(run.model, p.x_test, p.y_test, p.w_test)
                            : train::score_on(run.model, p.x_val, p.y_val, p.w_val);
  Scores out;
  out.loss = cv ? s.loss : run.fit.best.val_loss;
  const double metric = cv ? s.metric : run.fit.best.val_metric;
  if (p.model.target.task == data::Task::kClassification) {
    out.accuracy = metric;
    out.f1 = s.f1;
  } else {
    out.rmse = metric;
    out.r2 = s.r2;
  }
  return out;
}

// The mean and population standard deviation of each metric over the sets.
void summarise(const std::vector<Scores>& all, TrialResult& r) {
  const double n = static_cast<double>(all.size());
  for (const Scoring m : kAllScorings) {
    double Scores::*const f = score_field(m);
    double mean = 0, var = 0;
    for (const Scores& s : all) mean += s.*f / n;
    for (const Scores& s : all) var += (s.*f - mean) * (s.*f - mean) / n;
    r.scores.*f = mean;
    r.scores_sd.*f = std::sqrt(var);
  }
  r.n_scored = static_cast<int>(all.size());
}

// Fills r's score from the runs of every set.
void score(const std::vector<train::PreparedData>& sets, const std::vector<train::TrainRun>& runs,
           TrialResult& r) {
  const bool classification = sets[0].model.target.task == data::Task::kClassification;
  std::vector<Scores> all;
  double epochs = 0;
  r.done = true;
  r.epochs_run = 0;
  for (std::size_t f = 0; f < sets.size(); ++f) {
    r.done = r.done && !runs[f].fit.interrupted;
    r.epochs_run += runs[f].fit.epochs_run;
    epochs += runs[f].fit.best_epoch;
    all.push_back(set_scores(sets[f], runs[f]));
  }
  summarise(all, r);
  r.val_loss = r.scores.loss;
  r.val_sd = r.scores_sd.loss;
  r.val_metric = classification ? r.scores.accuracy : r.scores.rmse;
  r.best_epoch = static_cast<int>(std::lround(epochs / static_cast<double>(sets.size())));
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

long double n_parameters(const std::vector<train::PreparedData>& sets,
                         const train::TrainOptions& opt) {
  nn::NetworkSpec spec;
  model::set_output(spec, sets.at(0).model.target);
  long double count = 0, in = static_cast<long double>(sets[0].x_train.rows());
  for (const Index h : opt.hidden) {
    count += (in + 1) * static_cast<long double>(h);
    in = static_cast<long double>(h);
  }
  return count + (in + 1) * static_cast<long double>(spec.outputs);
}

std::string parameter_count(const std::vector<train::PreparedData>& sets,
                            const train::TrainOptions& opt) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(0) << n_parameters(sets, opt) << " parameters";
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
