// Sizes of a network computed from its spec alone, without building it: the layer sizes and
// the parameter count, in saturating 64-bit arithmetic so that absurd specs (a hidden layer of
// 3e9 units, a hostile model file) give a huge number instead of an overflow.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nn/network.h"

namespace nnfit::nn {

inline constexpr std::uint64_t kSaturated = UINT64_MAX;  // "at least this much"

// a * b and a + b, or kSaturated if the result does not fit.
std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b);
std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b);

// Every Dense layer's input size, then the output size: [inputs, hidden..., outputs].
std::vector<Index> layer_sizes(const NetworkSpec& spec);
// "4-64-3": the layer sizes joined by dashes.
std::string layer_sizes_text(const NetworkSpec& spec);
// Weights and biases of all Dense layers (sum of in * out + out), saturating. Sizes below 1
// count as 0 (Network refuses them anyway).
std::uint64_t parameter_count(const NetworkSpec& spec);

}  // namespace nnfit::nn
