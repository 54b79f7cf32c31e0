// The report of `nnfit gridsearch`: the results table (CSV) and the summary on stderr.
#pragma once

#include <string>
#include <vector>

#include "search/search.h"
#include "search/space.h"

namespace nnfit::cli {

// The searched keys, sorted (one table column each).
std::vector<std::string> keys(const search::SearchSpace& space);

// One CSV row per finished trial, in trial order: trial, the searched keys, (with halving)
// rung and budget_epochs, status (ok | diverged), val_loss, (with cross-validation)
// val_loss_sd, val_acc and val_f1 or val_rmse and val_r2, best_epoch (with several scored sets
// their mean), epochs_run (summed over the scored sets: the trial's training cost), seconds,
// seed, rank (search/select.h ranks: by --scoring, then the tie-breaks). A diverged
// trial's score columns and rank are empty, so every numeric column parses as a number.
std::string table(const std::vector<search::TrialResult>& results, const std::vector<int>& rank,
                  const std::vector<std::string>& keys, bool classification, bool cv,
                  bool halving);

// On stderr: the best parameters, the best and mean validation loss per value of each key
// over `scored` (trials comparable with each other: with halving, the first rung's), and a
// warning for a best value at the edge of a numeric grid axis. scope, if not empty, says which
// trials the per-value lines cover.
void log_summary(const std::vector<search::TrialResult>& scored, const search::SearchSpace& space,
                 const search::TrialResult& best, const std::string& scope = "");

}  // namespace nnfit::cli
