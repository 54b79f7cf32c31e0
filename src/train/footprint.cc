// Network size and training-memory estimate (see footprint.h).
#include "train/footprint.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "core/error.h"
#include "nn/size.h"

namespace nnfit::train {

Footprint footprint(const nn::NetworkSpec& spec, std::int64_t batch_size, std::int64_t rows) {
  using nn::saturating_add;
  using nn::saturating_mul;
  Footprint f;
  f.layers = nn::layer_sizes_text(spec);
  f.parameters = nn::parameter_count(spec);
  std::uint64_t units = static_cast<std::uint64_t>(std::max<Index>(spec.outputs, 0));
  for (Index h : spec.hidden)
    units =
        saturating_add(units, saturating_mul(2, static_cast<std::uint64_t>(std::max<Index>(h, 0))));
  const auto batch = static_cast<std::uint64_t>(std::max<std::int64_t>(batch_size, 256));
  const std::uint64_t floats = saturating_add(saturating_mul(10, f.parameters),
                                              saturating_mul(saturating_mul(2, units), batch));
  f.network_bytes = saturating_mul(4, floats);
  const auto width = static_cast<std::uint64_t>(std::max<Index>(spec.inputs, 0) + 1);
  f.data_bytes = saturating_mul(
      4, saturating_mul(width, static_cast<std::uint64_t>(std::max<std::int64_t>(rows, 0))));
  return f;
}

std::uint64_t available_memory() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t kb = 0;
  std::string unit;
  while (in >> key >> kb >> unit) {
    if (key == "MemAvailable:") return kb * 1024;
  }
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0
             ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page)
             : 0;
}

std::string bytes_text(std::uint64_t bytes) {
  const char* units[] = {"bytes", "KB", "MB", "GB", "TB", "PB", "EB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 6) {
    v /= 1000;
    ++u;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

void check_fits(const Footprint& f, std::uint64_t available) {
  if (available == 0 || f.network_bytes <= available) return;
  const std::string count =
      f.parameters == nn::kSaturated ? "more than 1.8e19" : std::to_string(f.parameters);
  throw ConfigError("network " + f.layers + " has " + count + " parameters and needs about " +
                    bytes_text(f.network_bytes) + " to train, but only " + bytes_text(available) +
                    " of memory is available; reduce --hidden (or --batch-size)");
}

}  // namespace nnfit::train
