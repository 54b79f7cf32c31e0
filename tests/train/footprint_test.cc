// Network size and training-memory estimate: exact parameter counts, no overflow for absurd
// layers, and a refusal that states the numbers.
#include "train/footprint.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "nn/size.h"

namespace nnfit::train {
namespace {

nn::NetworkSpec spec(Index inputs, std::vector<Index> hidden, Index outputs) {
  nn::NetworkSpec s;
  s.inputs = inputs;
  s.hidden = hidden;
  s.activations.assign(hidden.size(), nn::Activation::kRelu);
  s.outputs = outputs;
  s.loss = nn::LossKind::kSoftmaxNll;
  return s;
}

TEST(FootprintTest, ParameterCountMatchesTheBuiltNetwork) {
  const nn::NetworkSpec s = spec(4, {64}, 3);
  EXPECT_EQ(nn::parameter_count(s), static_cast<std::uint64_t>(nn::Network(s).param_count()));
  EXPECT_EQ(nn::parameter_count(spec(4, {5, 3}, 3)),
            static_cast<std::uint64_t>(nn::Network(spec(4, {5, 3}, 3)).param_count()));
  const Footprint f = footprint(s, 32, 150);
  EXPECT_EQ(f.layers, "4-64-3");
  EXPECT_EQ(f.parameters, 515u);
  EXPECT_GE(f.network_bytes, 3u * 4 * 515);  // at least weights, gradients and momentum
  EXPECT_EQ(f.data_bytes, 4u * 5 * 150);
}

TEST(FootprintTest, HugeLayersDoNotOverflow) {
  const Footprint f = footprint(spec(4, {3000000000}, 3), 32, 150);
  EXPECT_EQ(f.parameters, 4u * 3000000000 + 3000000000 + 3u * 3000000000 + 3);
  EXPECT_GT(f.network_bytes, 10u * 4 * f.parameters - 1);
  const Footprint g = footprint(spec(4, {4000000000, 4000000000, 4000000000}, 3), 32, 150);
  EXPECT_EQ(g.parameters, nn::kSaturated);
  EXPECT_EQ(g.network_bytes, nn::kSaturated);
}

TEST(FootprintTest, ANetworkThatCannotFitIsRefusedWithTheNumbers) {
  const Footprint f = footprint(spec(4, {50000, 50000}, 3), 32, 150);
  try {
    check_fits(f, 8000000000);
    ADD_FAILURE() << "not refused";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "network 4-50000-50000-3 has 2500450003 parameters and needs about " +
                  bytes_text(f.network_bytes) +
                  " to train, but only 8.0 GB of memory is available; reduce --hidden (or "
                  "--batch-size)");
  }
  EXPECT_NO_THROW(check_fits(footprint(spec(4, {64}, 3), 32, 150), 8000000000));
  EXPECT_NO_THROW(check_fits(f, 0));  // unknown: no check
  EXPECT_GT(available_memory(), 0u);
  EXPECT_EQ(bytes_text(1234567), "1.2 MB");
  EXPECT_EQ(bytes_text(999), "999 bytes");
}

}  // namespace
}  // namespace nnfit::train
