// TrainOptions: every hyper-parameter of `nnfit train`, with its default and valid range.
// One struct is the single source of truth: the CLI binds its flags to these fields, the model
// file records them, and validate() gives config files and flags the same checks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/types.h"

namespace nnfit::train {

struct TrainOptions {
  // Hidden layer sizes, e.g. {256, 128}. Empty = no hidden layer (a linear/logistic model).
  std::vector<Index> hidden{64};
  // One activation for all hidden layers, or one per hidden layer: relu|tanh|sigmoid|identity.
  std::vector<std::string> activation{"relu"};
  // Optimiser. Only "sgd" (with optional momentum) for now.
  std::string optimizer = "sgd";
  // Learning rate alpha, > 0.
  double lr = 0.01;
  // Heavy-ball momentum mu in [0, 1): v <- mu v - lr g; w <- w + v.
  double momentum = 0.9;
  // Examples per gradient step, >= 1. 1 = true per-example SGD.
  Index batch_size = 32;
  // Maximum number of passes over the training set, >= 1.
  int epochs = 200;
  // L1 and L2 penalties on weights only (never biases), >= 0. Added to each batch's mean loss:
  // l1 * sum|w| + (l2 / 2) * sum w^2.
  double l1 = 0.0;
  double l2 = 0.0;
  // Early stopping: stop after `patience` epochs (>= 1) whose validation loss did not improve on
  // the best by more than `min_delta` (>= 0). The best epoch's weights are kept.
  int patience = 20;
  double min_delta = 1e-4;
  // Seed for initialisation, the validation split and the per-epoch shuffles.
  std::uint64_t seed = 42;
};

// Throws ConfigError naming the offending option and its value.
void validate(const TrainOptions& opt);

// Parses a layer list such as "256,128"; "" or "0" = no hidden layer. Throws ConfigError.
std::vector<Index> parse_hidden(const std::string& spec);

}  // namespace nnfit::train
