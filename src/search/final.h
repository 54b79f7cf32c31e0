// The model a search saves for its best trial (gridsearch --refit):
//   epochs    a fresh network on every training row for the best trial's best epoch count,
//             without validation (the behaviour before --refit existed)
//   protocol  `nnfit train`'s --refit-folds auto protocol with the best parameters: 5-fold early
//             stopping picks the epoch count, then every row (a refit after the held-out part
//             above 10,000 rows, which is `epochs`)
//   trial     the best trial's own model, trained on the training part with early stopping on
//             the search's validation split (retrained from its seed: the same bytes)
#pragma once

#include <string>
#include <vector>

#include "search/search.h"
#include "train/pipeline.h"

namespace nnfit::search {

enum class FinalModel { kEpochs, kProtocol, kTrial };

// "epochs" | "protocol" | "trial"; ConfigError otherwise.
FinalModel parse_final_model(const std::string& name);
std::string final_model_name(FinalModel mode);

// Trains the final model of `best` (its parameters over base, its seed) the way `mode` says.
// sets are the search's prepared sets (one split, or the folds: `trial` needs one split;
// ConfigError otherwise); trial_epochs is the best trial's epoch budget (halving's rung).
// The model's metrics["validation"] is what validated it: the folds' means (protocol), the
// split's (trial), or the best trial's score (epochs, where the final model saw those rows).
// `protocol` falls back to `trial` (one split) or `epochs` (folds) when its own training
// diverges past --max-recoveries where the trial did not: `used` says which ran, `fallback` why.
struct FinalRun {
  train::TrainRun run;
  FinalModel used = FinalModel::kEpochs;
  std::string fallback;  // empty, or the divergence that made protocol fall back
};
FinalRun final_model(FinalModel mode, const train::InputData& in,
                     const std::vector<train::PreparedData>& sets, const train::TrainOptions& base,
                     const TrialResult& best, int trial_epochs);

}  // namespace nnfit::search
