// The hyper-parameter search space of `nnfit gridsearch`: grid axes (--grid KEY=V1,V2,...) and
// random distributions (--space KEY=loguniform(a,b)|uniform(a,b)|int(a,b)|choice(v1,...)), the
// candidates they give, and how a candidate sets train::TrainOptions.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/rng.h"
#include "train/config.h"

namespace nnfit::search {

// The searchable keys: lr, momentum, hidden, activation, l1, l2, batch-size, epochs, patience,
// min-delta (flag names; '_' is accepted for '-').
const std::vector<std::string>& searchable_keys();

struct GridAxis {
  std::string key;
  std::vector<std::string> values;
};

struct Distribution {
  enum class Kind { kLogUniform, kUniform, kInt, kChoice };
  std::string key;
  Kind kind = Kind::kUniform;
  double low = 0, high = 0;          // kLogUniform (low > 0), kUniform, kInt (integers)
  std::vector<std::string> choices;  // kChoice
};

struct SearchSpace {
  std::vector<GridAxis> grid;
  std::vector<Distribution> random;
};

// "lr=0.1,0.01" -> {lr, {0.1, 0.01}}. Values are separated by '|' if the text has one (for
// values that contain commas: "hidden=64|128,64"), else by ','. ConfigError naming the
// argument for an unknown key, an empty value, or a key given twice.
GridAxis parse_grid_axis(const std::string& arg);
// "lr=loguniform(1e-4,1e-1)", "batch-size=int(16,128)", "activation=choice(relu,tanh)",
// "hidden=choice(64|128,64)". ConfigError naming the argument for anything else.
Distribution parse_distribution(const std::string& arg);

// A candidate: (key, value text) pairs sorted by key, e.g. {{"hidden","128,64"},{"lr","0.01"}}.
using Candidate = std::vector<std::pair<std::string, std::string>>;

// "hidden=128,64 lr=0.01": the canonical text of a candidate (journal key, seed input).
std::string canonical(const Candidate& c);

// Every combination of the grid axes (the first axis varies slowest), in a fixed order.
std::vector<Candidate> grid_candidates(const std::vector<GridAxis>& grid);

// `trials` distinct candidates drawn from the distributions (combined with every grid
// combination when both are given: each draw picks a grid point too), reproducible from seed.
// ConfigError when the space has fewer distinct candidates than asked for (after 100 draws per
// missing candidate).
std::vector<Candidate> random_candidates(const SearchSpace& space, int trials, std::uint64_t seed);

// One random candidate: a point of `grid` (grid_candidates(space.grid)) and a draw of each of
// the space's distributions, sorted by key.
Candidate draw_candidate(const SearchSpace& space, const std::vector<Candidate>& grid, Rng& rng);

// The shortest text of a double that reads back to it: how drawn numbers are written, so that
// a candidate's canonical text (and trial_seed) is stable.
std::string format_number(double v);

// opt with the candidate's values set; ConfigError naming the key and value if one is invalid.
train::TrainOptions apply(const Candidate& c, train::TrainOptions opt);

// The seed of a trial: a hash of the base seed and canonical(c), independent of the trial's
// position in the list and of the job that runs it.
std::uint64_t trial_seed(std::uint64_t base, const Candidate& c);

}  // namespace nnfit::search
