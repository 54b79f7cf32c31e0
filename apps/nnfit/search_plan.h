// What `nnfit gridsearch` searches, decided before the data are read: the space (--grid,
// --space, or the default space), the sampler, the candidates, the baseline trial and the shard.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gridsearch_command.h"
#include "search/space.h"

namespace nnfit::cli {

// A search as planned before the data are read.
struct Plan {
  search::SearchSpace space;
  std::string how;                      // grid | random | tpe
  std::vector<search::Candidate> cands;  // TPE: a preview (checked, not run)
  std::optional<search::Candidate> base;
  std::pair<std::size_t, std::size_t> shard{0, 1};  // --shard I/N: {I - 1, N}
};

// The plan of the command; ConfigError for what cannot be searched (bad values, halving or
// shards with TPE, --trials with a grid alone, ...). Warns about --min-epochs with halving.
Plan plan_search(const GridsearchCommand& c);

// The number of trials TPE runs, or random search draws (--trials, or the default space's 30).
int trials(const GridsearchCommand& c, const std::string& how);

// The index of the baseline among the results, if it ran.
std::optional<std::size_t> baseline_index(const std::vector<search::TrialResult>& results,
                                          const std::optional<search::Candidate>& base,
                                          const train::TrainOptions& opt);

// "successive halving (eta 3): 27 -> 9 -> 3 -> 1 candidates, trained to 7, 22, 67, 200 epochs".
void log_rungs(std::size_t n, const GridsearchCommand& c);

}  // namespace nnfit::cli
