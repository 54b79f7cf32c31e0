// The model `nnfit gridsearch` saves for its best trial (--refit; search/final.h), with the
// search's record, and the line that says how it was made.
#pragma once

#include <nlohmann/json.hpp>
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
  nlohmann::json selection;  // how the best trial was chosen (scoring, score, select, folds)
};

struct TrialCount {
  std::size_t run = 0;  // finished (this run or the journal's)
  std::size_t all = 0;  // in the search
};

// Trains the final model of `best` on `in` / `sets` as o.mode says, records the search in its
// metrics["search"] (best parameters, score, trials, trials_run, complete, refit) and saves it
// to o.model_path. A partial search (--max-trials / --max-time: trials.run < trials.all)
// saves too, with a warning that says so.
// Returns the saved model's metrics.
nlohmann::json save_final_model(const FinalModelOptions& o, const search::TrialResult& best,
                                const train::InputData& in,
                                const std::vector<train::PreparedData>& sets, TrialCount trials);

// gridsearch --json: the best parameters and score, the trials run and in all, the model path
// and how it was made (--refit), and what validated it (the model's metrics.validation).
nlohmann::json search_summary(const search::TrialResult& best, std::size_t trials_run,
                              std::size_t trials, const std::string& model_path,
                              const std::string& mode, const nlohmann::json& model_metrics);

}  // namespace nnfit::cli
