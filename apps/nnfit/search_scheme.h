// How `nnfit gridsearch` scores its trials on the data: one validation split or K folds
// (--folds), repeated with new assignments (--repeats), and the warnings and record of it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gridsearch_command.h"
#include "search/select.h"
#include "train/pipeline.h"

namespace nnfit::cli {

// --repeats auto repeats the folds with new assignments up to this many training rows, where
// the folds' validation parts (at most 200 rows) leave the ranking noisy and each fit is cheap.
inline constexpr Index kAutoRepeatRows = 1000;
inline constexpr int kAutoRepeats = 3;

// How the trials are scored: K folds (0: one validation split), each repeated with new
// assignments; auto_* when --folds auto or --repeats auto chose it.
struct Scheme {
  int folds = 0, repeats = 1;
  bool auto_folds = false, auto_repeats = false;
};

// "auto" -> -1, else a whole number >= min; ConfigError naming the flag.
int parse_count(const std::string& text, const std::string& flag, int min);

// --folds auto: train's rule (train::auto_folds: 5 folds for 10 to 10,000 training rows) unless
// --val-data, a --val-split on the command line or --refit trial (a model of one split) names
// one split. --repeats auto: kAutoRepeats with folds on at most kAutoRepeatRows rows, else 1.
Scheme resolve_scheme(const GridsearchCommand& c, Index rows);

// The prepared data every trial shares: for each repeat (its split drawn from the seed, mixed
// with the repeat's number after the first), one validation split or the K fold sets. Logs the
// inputs block and the scheme.
std::vector<train::PreparedData> prepare_sets(const GridsearchCommand& c, const Scheme& s,
                                              std::size_t n_candidates, train::InputData& in);

// A warning when many trials tie at the top validation accuracy: too few rows to rank them.
void warn_ties(const std::vector<search::TrialResult>& results, const Scheme& scheme,
               const std::vector<train::PreparedData>& sets);

// The record of how the search chose (the model's metrics.search, --json).
nlohmann::json selection_json(const search::TrialResult& best, search::Scoring scoring,
                              const GridsearchCommand& c, const Scheme& scheme);

}  // namespace nnfit::cli
