// Network sizes from a spec (see size.h).
#include "nn/size.h"

namespace nnfit::nn {

std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r;
  return __builtin_mul_overflow(a, b, &r) ? kSaturated : r;
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r;
  return __builtin_add_overflow(a, b, &r) ? kSaturated : r;
}

std::vector<Index> layer_sizes(const NetworkSpec& spec) {
  std::vector<Index> sizes{spec.inputs};
  sizes.insert(sizes.end(), spec.hidden.begin(), spec.hidden.end());
  sizes.push_back(spec.outputs);
  return sizes;
}

std::string layer_sizes_text(const NetworkSpec& spec) {
  std::string s;
  for (Index n : layer_sizes(spec)) s += (s.empty() ? "" : "-") + std::to_string(n);
  return s;
}

std::uint64_t parameter_count(const NetworkSpec& spec) {
  const std::vector<Index> sizes = layer_sizes(spec);
  std::uint64_t total = 0;
  for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
    const auto in = static_cast<std::uint64_t>(sizes[l] > 0 ? sizes[l] : 0);
    const auto out = static_cast<std::uint64_t>(sizes[l + 1] > 0 ? sizes[l + 1] : 0);
    total = saturating_add(total, saturating_add(saturating_mul(in, out), out));
  }
  return total;
}

}  // namespace nnfit::nn
