// A Tree-structured Parzen Estimator sampler for `nnfit gridsearch` (Bergstra et al. 2011,
// "Algorithms for Hyper-Parameter Optimization"; univariate, as Optuna's default TPESampler):
// the finished trials are split into the best few (good) and the rest (bad), each key gets a
// density l(x) fitted to the good trials and g(x) to the bad ones, and a proposal is the draw
// from l that maximises l(x) / g(x). The search proposes in fixed batches, each from the
// results of the earlier ones only, so that it is reproducible from its seed, independent of
// --jobs, and resumable from a journal.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "search/search.h"
#include "search/space.h"

namespace nnfit::search {

// A finished trial as TPE sees it: its parameters and score (lower is better; inf or NaN is a
// failed trial, ranked worst).
struct Observation {
  Candidate params;
  double score = 0;
};

struct TpeOptions {
  // Random candidates before the model is used (Optuna's n_startup_trials).
  int startup = 10;
  // Draws from l(x) per key and proposal, the best l/g kept (Optuna's n_ei_candidates).
  int ei_candidates = 24;
  // The good share of the observations: the best min(ceil(gamma n), 25) (Optuna's gamma is
  // 0.1, Hyperopt's 0.25).
  double gamma = 0.1;
};

// `count` distinct candidates, none equal (canonical text) to one in history, over the space's
// distributions (space.random) and grid axes (space.grid, treated as categorical). With fewer
// than options.startup observations they are random draws. The good observations are the best
// min(ceil(n / 10), 25) of the n, ties by history order. Per key:
// - loguniform (in log space), uniform and int (rounded and clamped to the bounds): a mixture
//   of Gaussians truncated to the range, one at each observation with Hyperopt's bandwidth
//   (the larger distance to its neighbours, clipped to [range / min(100, 1 + n), range]) plus
//   a prior one at the centre with sigma = the range;
// - choice and grid keys: the observations' counts plus 1 per value.
// An observation's value that is not in the space (a key it lacks, a number out of bounds, a
// value not among the choices) is left out of that key's densities. A proposal that repeats
// one is drawn again; after 10 model draws a random draw is taken, and in a space of only
// choice, int and grid keys (up to 100,000 points) an unseen point is picked when random draws
// keep repeating. Fewer than count are returned only when the space has no more distinct
// candidates (or, in a larger space, 100 random draws all repeated one): the caller reports it.
// Reproducible from the inputs alone. ConfigError for count < 0, startup < 0 or
// ei_candidates < 1.
std::vector<Candidate> tpe_propose(const SearchSpace& space,
                                   const std::vector<Observation>& history, int count,
                                   std::uint64_t seed, const TpeOptions& options = {});

struct TpeRun {
  int trials = 0;  // total candidates (enqueued included)
  int batch = 4;   // proposals per batch: a constant, not --jobs
  TpeOptions tpe;
  std::vector<Candidate> enqueued;  // run first (e.g. train's defaults), duplicates once
};

// The TPE search: the enqueued candidates (up to run.trials) first, then batches of run.batch
// proposals until run.trials candidates; batch b (0-based, after the enqueued) is proposed with
// tpe_propose from the results of everything before it, scored by score(r) (diverged: inf),
// with a seed mixed from (seed, b). Each batch runs with run_trials (trial seeds, jobs and the
// journal `finished` as there). The budgets of options hold for the whole search: max_trials
// new trainings in all, max_seconds from this call. A batch with a trial that did not finish
// (interrupt, budget, or with run_new false a trial missing from `finished`) is the last: the
// result holds every candidate proposed so far in order, unrun ones with done = false, and can
// be shorter than run.trials (also when the space runs out of distinct candidates).
// on_trial counts over the whole search: done is the new trainings so far, total run.trials
// less the trials in `finished` (as run_trials and run_halving count). ConfigError for
// sharding (each batch needs all earlier results), trials < 0 or batch < 1.
std::vector<TrialResult> run_tpe(const std::vector<train::PreparedData>& sets,
                                 const train::TrainOptions& base, const SearchSpace& space,
                                 std::uint64_t seed, const RunOptions& options, const TpeRun& run,
                                 const std::function<double(const TrialResult&)>& score);

// The seed of proposal batch b of a search seeded with seed (a hash of both).
std::uint64_t tpe_batch_seed(std::uint64_t seed, int b);

}  // namespace nnfit::search
