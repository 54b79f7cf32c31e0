// Successive halving (Jamieson and Talwalkar 2016; scikit-learn's HalvingGridSearchCV) with
// epochs as the resource: every candidate trains a few epochs, the best 1/eta continue from
// their weights for eta times as many epochs, and so on until the last rung trains the
// survivors to the full --epochs. Continuing a trial gives bit-identical weights to training it
// that far in one go (train::Trainer), so a resumed search that retrains a promoted trial from
// scratch gets the same numbers, and the last rung's scores equal a plain search's.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "search/search.h"
#include "search/select.h"

namespace nnfit::search {

struct HalvingOptions {
  int eta = 3;         // reduction factor, >= 2
  int min_epochs = 0;  // epochs of the first rung; 0 = as few as the rungs need (at least 1)
  Scoring scoring = Scoring::kLoss;  // what promotes a candidate (--scoring)
  // A candidate promoted to every rung it finishes, besides the best (the baseline: so that
  // the last rung can compare it at the full epochs instead of pruning it after a few).
  std::optional<std::size_t> keep = std::nullopt;
};

struct Rung {
  std::size_t candidates = 0;  // how many candidates the rung trains
  int epochs = 0;              // to how many epochs in total
};

// The rungs for n candidates and max_epochs: rung k keeps ceil(n / eta^k) candidates and
// trains them to round(max_epochs / eta^(last - k)) epochs, the last rung to max_epochs.
// There are 1 + min(floor(log_eta n), floor(log_eta(max_epochs / min_epochs))) rungs.
// ConfigError for eta < 2 or min_epochs > max_epochs (naming --eta / --min-epochs).
std::vector<Rung> halving_rungs(std::size_t n, int max_epochs, const HalvingOptions& h);

// ConfigError if the candidates search 'epochs' (the resource), or the search is sharded.
void check_halving(const std::vector<Candidate>& candidates, std::size_t shard_count);

// The ids (indices into results) of the k best of `ids`: the best score first, ties by loss,
// then id; diverged and unfinished trials are never promoted; `keep` (if among ids, finished
// and not diverged) is promoted as well. Returned in id order.
std::vector<std::size_t> promote(const std::vector<std::size_t>& ids,
                                 const std::vector<TrialResult>& results, std::size_t k,
                                 Scoring scoring = Scoring::kLoss,
                                 std::optional<std::size_t> keep = std::nullopt);

struct HalvingResult {
  // [k][i]: candidate i in rung k (done = false if it was not in the rung, or the search
  // stopped before it ran).
  std::vector<std::vector<TrialResult>> rungs;
  bool complete = false;  // every rung ran; false if interrupted or out of budget
};

// Runs the rungs over the candidates (options as in run_trials; a journal's results are keyed
// by trial_key(params, rung); max_trials counts trainings of a candidate in a rung; sharding is
// a ConfigError). on_trial is called after each new training with the number done and the
// number of trainings the search still needs.
HalvingResult run_halving(const std::vector<train::PreparedData>& sets,
                          const train::TrainOptions& base, const std::vector<Candidate>& candidates,
                          const RunOptions& options, const HalvingOptions& halving);

// Each candidate's result at the last rung it reached (for the table and the refit).
std::vector<TrialResult> final_results(const std::vector<std::vector<TrialResult>>& rungs);

}  // namespace nnfit::search
