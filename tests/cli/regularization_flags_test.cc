// `nnfit train --dropout / --max-norm / --clip-norm / --init` change the run, and spelling out
// their defaults changes nothing (run in-process through cli::run).
#include <cmath>

#include "cli/cli_test_util.h"
#include "nn/network.h"

namespace nnfit::cli::testing {
namespace {

using Flags = std::vector<std::string>;

class RegularizationFlagsTest : public CliTest {
 protected:
  Vector params(const std::string& name, const Flags& flags) {
    EXPECT_EQ(train(name, flags).code, 0) << name;
    return load(name).params;
  }
};

TEST_F(RegularizationFlagsTest, DefaultsSpelledOutGiveTheDefaultWeights) {
  const Vector def = params("default.nnfit", {});
  EXPECT_TRUE(def == params("explicit.nnfit", {"--init", "glorot", "--dropout", "0", "--max-norm",
                                               "0", "--clip-norm", "0"}));
}

TEST_F(RegularizationFlagsTest, DropoutChangesWeightsAndIsReproducible) {
  const Vector def = params("default.nnfit", {});
  const Vector a = params("a.nnfit", {"--dropout", "0.5"});
  EXPECT_FALSE(def == a);
  EXPECT_TRUE(a == params("b.nnfit", {"--dropout", "0.5"}));
  EXPECT_EQ(train("two.nnfit", {"--hidden", "8,4", "--dropout", "0.2,0.5"}).code, 0);
  EXPECT_NE(train("bad.nnfit", {"--hidden", "8", "--dropout", "0.2,0.5"}).code, 0);
  EXPECT_NE(train("bad.nnfit", {"--dropout", "1"}).code, 0);
}

TEST_F(RegularizationFlagsTest, MaxNormCapsEveryUnitsIncomingWeights) {
  const auto worst = [&](const std::string& name, const Flags& flags) {
    EXPECT_EQ(train(name, flags).code, 0);
    const model::Model m = load(name);
    const nn::Network net(m.spec);
    double w = 0;
    for (const nn::WeightBlock& b : net.weight_blocks()) {
      const Eigen::Map<const Matrix> W(m.params.data() + b.offset, b.rows, b.cols);
      for (Index r = 0; r < b.rows; ++r) w = std::max<double>(w, W.row(r).norm());
    }
    return w;
  };
  EXPECT_GT(worst("free.nnfit", {"--epochs", "20"}), 0.5);
  EXPECT_LE(worst("capped.nnfit", {"--epochs", "20", "--max-norm", "0.5"}), 0.5 + 1e-6);
}

TEST_F(RegularizationFlagsTest, ClipNormChangesWeights) {
  const Vector def = params("default.nnfit", {});
  EXPECT_FALSE(def == params("clip.nnfit", {"--clip-norm", "0.05"}));
  EXPECT_TRUE(def == params("loose.nnfit", {"--clip-norm", "1e6"}));  // never active
}

TEST_F(RegularizationFlagsTest, InitSelectsTheScheme) {
  const Vector def = params("default.nnfit", {"--epochs", "1"});
  EXPECT_TRUE(def == params("glorot.nnfit", {"--epochs", "1", "--init", "glorot"}));
  const Vector automatic = params("auto.nnfit", {"--epochs", "1", "--init", "auto"});
  const Vector he = params("he.nnfit", {"--epochs", "1", "--init", "he"});
  EXPECT_FALSE(def == automatic);  // He before the ReLU
  EXPECT_FALSE(automatic == he);   // the output layer differs (auto uses Glorot there)
  EXPECT_NE(train("bad.nnfit", {"--init", "xavier"}).code, 0);
}

}  // namespace
}  // namespace nnfit::cli::testing
