// The size of a network before it is built: its parameter count and an estimate of the memory
// training it needs, so that a network that cannot fit is refused with the numbers instead of
// failing with std::bad_alloc (or swapping for minutes).
#pragma once

#include <cstdint>
#include <string>

#include "nn/network.h"

namespace nnfit::train {

struct Footprint {
  std::string layers;            // "4-64-3"
  std::uint64_t parameters = 0;  // saturating (nn::kSaturated = "more than fits in 64 bits")
  // float32 bytes: 10 parameter-sized vectors (weights, gradients, weight mask, penalised
  // gradient, momentum, best-epoch copy, and the final model's network and weights) plus the
  // activations and their gradients for a batch (at least 256 columns, the evaluation chunk).
  std::uint64_t network_bytes = 0;
  std::uint64_t data_bytes = 0;  // the prepared training and validation matrices (already held)
};

Footprint footprint(const nn::NetworkSpec& spec, std::int64_t batch_size, std::int64_t rows);
// MemAvailable from /proc/meminfo, else the physical memory; 0 if unknown.
std::uint64_t available_memory();
// "1.2 MB", "30.0 GB".
std::string bytes_text(std::uint64_t bytes);
// Throws ConfigError with the numbers (and to reduce --hidden or --batch-size) if
// f.network_bytes exceeds available (0 = unknown: no check).
void check_fits(const Footprint& f, std::uint64_t available);

}  // namespace nnfit::train
