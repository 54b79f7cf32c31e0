// A small initialised network for tests: one activation for every hidden layer.
#pragma once

#include <vector>

#include "core/rng.h"
#include "nn/network.h"

namespace nnfit::test {

inline nn::Network small_network(Index inputs, std::vector<Index> hidden, nn::Activation act,
                                 Index outputs, nn::LossKind loss, std::uint64_t seed) {
  nn::NetworkSpec spec;
  spec.inputs = inputs;
  spec.hidden = std::move(hidden);
  spec.activations.assign(spec.hidden.size(), act);
  spec.outputs = outputs;
  spec.loss = loss;
  nn::Network net(spec);
  Rng rng(seed);
  net.init_params(rng);
  return net;
}

}  // namespace nnfit::test
