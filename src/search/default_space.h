// The space `nnfit gridsearch` searches when given no --grid and no --space: the learning rate,
// the width and depth of the network, L2, the batch size and the activation, around `nnfit
// train`'s defaults (which are always the first candidate, so a search never saves a worse
// configuration than the default unless another one validated better).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "search/space.h"

namespace nnfit::search {

// The --space texts of the default space (README, `gridsearch --help`).
const std::vector<std::string>& default_space_texts();
SearchSpace default_space();

// The baseline: the candidate of base's own values for the keys of space (its rate resolved
// with with_default_lr), the configuration `nnfit train` would use. With within_space, nullopt
// unless every value lies in the space (a grid value or choice, a number within its bounds).
std::optional<Candidate> base_candidate(const SearchSpace& space, const train::TrainOptions& base,
                                        bool within_space = true);

// Whether a and b set the same options over base (lr=0.001 and lr=1e-3 do).
bool same_candidate(const Candidate& a, const Candidate& b, const train::TrainOptions& base);

}  // namespace nnfit::search
