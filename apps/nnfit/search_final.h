// The model `nnfit gridsearch` saves for its best trial (--refit; search/final.h), with the
// search's record, and the line that says how it was made.
#pragma once

#include <string>
#include <vector>

#include "search/final.h"
#include "search/search.h"
#include "train/pipeline.h"

namespace nnfit::cli {

struct FinalModelOptions {
  std::string mode;        // --refit: epochs | protocol | trial
  std::string model_path;  // --model
  train::TrainOptions base;
  int trial_epochs = 0;    // the best trial's epoch budget (--epochs, or halving's rung)
};

// Trains the final model of `best` (one of `trials` trials) on `in` / `sets` as o.mode says,
// records the search in its metrics["search"] (best parameters, score, trials, refit) and
// saves it to o.model_path.
void save_final_model(const FinalModelOptions& o, const search::TrialResult& best,
                      const train::InputData& in, const std::vector<train::PreparedData>& sets,
                      std::size_t trials);

}  // namespace nnfit::cli
