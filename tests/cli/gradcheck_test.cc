// `nnfit gradcheck`: passes on real networks (classification and regression, each activation,
// L1/L2, --dropout, --class-weight, --weight-column), exits 1 with a layer whose bprop is wrong
// or a loss whose weighted gradient ignores the weights, and --rows / --tolerance / --params /
// --json / --float change what is checked or printed.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/cli_test_util.h"
#include "testing/broken.h"

namespace nnfit::cli::testing {
namespace {

CliResult gradcheck(std::vector<std::string> extra, const std::string& file = "iris.csv",
                    const std::string& target = "species") {
  const std::string data = std::filesystem::path(file).is_absolute() ? file : data_path(file);
  std::vector<std::string> args{"gradcheck", "--data", data, "--target", target};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cli(args);
}

nlohmann::json json_of(const CliResult& r) { return nlohmann::json::parse(r.out); }

TEST(GradcheckCliTest, RealNetworksPass) {
  for (const std::string act : {"tanh", "sigmoid", "relu"}) {
    const CliResult r =
        gradcheck({"--hidden", "8,5", "--activation", act, "--l1", "0.01", "--l2", "0.1"});
    EXPECT_EQ(r.code, 0) << act << r.out << r.err;
    EXPECT_NE(r.out.find("PASS"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("dense 3 (5 -> 3)"), std::string::npos) << r.out;
  }
  const CliResult reg = gradcheck({"--hidden", "6", "--activation", "tanh", "--l2", "0.05"},
                                  "diabetes.csv", "progression");
  EXPECT_EQ(reg.code, 0) << reg.out << reg.err;
}

TEST(GradcheckCliTest, AWrongBpropExitsOne) {
  gradcheck_prepare_hook() = [](nn::Network& net) {
    net.replace_layer(1, std::make_unique<test::WrongTanh>());
  };
  const CliResult r = gradcheck({"--hidden", "8", "--activation", "tanh", "--json"});
  gradcheck_prepare_hook() = nullptr;
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("gradcheck failed: max relative error"), std::string::npos) << r.err;
  const nlohmann::json j = json_of(r);
  EXPECT_FALSE(j["passed"].get<bool>());
  EXPECT_GT(j["layers"][0]["max_error"].get<double>(), 1e-2);
  EXPECT_LT(j["layers"][1]["max_error"].get<double>(), 1e-4);
}

TEST(GradcheckCliTest, FlagsChangeWhatIsCheckedAndPrinted) {
  const nlohmann::json all = json_of(gradcheck({"--hidden", "8", "--json"}));
  EXPECT_TRUE(all["passed"].get<bool>());
  EXPECT_EQ(all["parameters"].get<int>(), 4 * 8 + 8 + 8 * 3 + 3);
  EXPECT_EQ(all["checked"].get<int>() + all["kinks"].get<int>(), 67);
  EXPECT_EQ(all["rows"].get<int>(), 16);
  EXPECT_EQ(all["differences"], "double");
  EXPECT_EQ(all["step"].get<double>(), 1e-5);
  const nlohmann::json few =
      json_of(gradcheck({"--hidden", "8", "--json", "--rows", "3", "--params", "10"}));
  EXPECT_EQ(few["rows"].get<int>(), 3);
  EXPECT_LE(few["checked"].get<int>() + few["kinks"].get<int>(), 10);
  EXPECT_NE(few["loss"].get<double>(), all["loss"].get<double>());
  const CliResult strict = gradcheck({"--hidden", "8", "--tolerance", "1e-12"});
  EXPECT_EQ(strict.code, 1);
  EXPECT_NE(strict.out.find("FAIL"), std::string::npos) << strict.out;
  const std::vector<std::string> sigmoid{"--hidden", "8,5", "--activation", "sigmoid"};
  auto with = [&](std::vector<std::string> extra) {
    extra.insert(extra.begin(), sigmoid.begin(), sigmoid.end());
    return gradcheck(extra);
  };
  EXPECT_EQ(with({}).code, 0);
  const CliResult in_float = with({"--float", "--json"});
  EXPECT_EQ(in_float.code, 1);  // float's floor is far above 1e-4 (0.21 here)
  EXPECT_EQ(json_of(in_float)["differences"], "float");
  EXPECT_EQ(with({"--float", "--tolerance", "0.9"}).code, 0);
  EXPECT_NE(json_of(with({"--float", "--json", "--step", "1e-2"}))["max_error"],
            json_of(in_float)["max_error"]);
  EXPECT_EQ(gradcheck({"--rows", "0"}).code, 2);
}

TEST(GradcheckCliTest, DropoutAndClassWeightsAreCheckedNotRefused) {
  const nlohmann::json plain = json_of(gradcheck({"--hidden", "8", "--json"}));
  EXPECT_FALSE(plain["weighted"].get<bool>());
  EXPECT_EQ(plain["dropout"]["masked"].get<int>(), 0);
  const CliResult r = gradcheck({"--hidden", "8,5", "--dropout", "0.3", "--l2", "0.1"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("dropout under one fixed mask: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" of 208 hidden outputs dropped"), std::string::npos) << r.out;  // 13 x 16
  const nlohmann::json dropped = json_of(gradcheck({"--hidden", "8", "--dropout", "0.3", "--json"}));
  EXPECT_TRUE(dropped["passed"].get<bool>()) << dropped.dump();
  EXPECT_EQ(dropped["dropout"]["masked"].get<int>(), 8 * 16);
  EXPECT_GT(dropped["dropout"]["dropped"].get<int>(), 0);
  EXPECT_NE(dropped["loss"].get<double>(), plain["loss"].get<double>());
  // iris is sorted by class: the first 16 training rows are all setosa, one weight for all.
  const CliResult one_class = gradcheck({"--hidden", "8", "--class-weight", "setosa=4"});
  EXPECT_EQ(one_class.code, 0) << one_class.err;
  EXPECT_NE(one_class.out.find("leaves the weighting unchecked; raise --rows"), std::string::npos)
      << one_class.out;
  // All rows: named classes on iris; balanced on penguins (iris is balanced: factors all 1).
  const auto weighted_vs_plain = [](std::vector<std::string> flags, const std::string& file,
                                    const std::string& target, const std::string& cw) {
    flags.insert(flags.end(), {"--rows", "400", "--json"});
    const nlohmann::json plain_all = json_of(gradcheck(flags, file, target));
    flags.insert(flags.end(), {"--class-weight", cw});
    const nlohmann::json weighted = json_of(gradcheck(flags, file, target));
    EXPECT_TRUE(weighted["passed"].get<bool>()) << cw << weighted.dump();
    EXPECT_TRUE(weighted["weighted"].get<bool>() && weighted["weights_vary"].get<bool>()) << cw;
    EXPECT_NE(weighted["loss"].get<double>(), plain_all["loss"].get<double>()) << cw;
  };
  weighted_vs_plain({"--hidden", "8"}, "iris.csv", "species", "setosa=4,virginica=0.5");
  weighted_vs_plain({"--hidden", "8", "--impute", "mean"}, "penguins.csv", "Species", "balanced");
  const CliResult both = gradcheck({"--hidden", "6", "--activation", "relu", "--dropout", "0.5",
                                    "--class-weight", "versicolor=3", "--l1", "0.01", "--rows",
                                    "60"});
  EXPECT_EQ(both.code, 0) << both.out << both.err;
}

class GradcheckWeightColumnTest : public CliTest {};

TEST_F(GradcheckWeightColumnTest, AWeightColumnIsCheckedAndAWeightBlindGradientFails) {
  std::vector<std::string> w;  // every row: the checked batch is 16 rows of the shuffled split
  for (int i = 0; i < 150; ++i) w.push_back(std::vector<std::string>{"2", "0", "0.5", "3"}[i % 4]);
  const std::string data = with_weights("iris.csv", "w.csv", w);
  const std::string ones = with_weights("iris.csv", "ones.csv", {});
  const std::vector<std::string> flags{"--hidden", "8", "--weight-column", "w", "--json"};
  const nlohmann::json weighted = json_of(gradcheck(flags, data));
  EXPECT_TRUE(weighted["passed"].get<bool>()) << weighted.dump();
  EXPECT_TRUE(weighted["weighted"].get<bool>());
  EXPECT_NE(weighted["loss"].get<double>(), json_of(gradcheck(flags, ones))["loss"].get<double>());
  gradcheck_prepare_hook() = [](nn::Network& net) {
    net.replace_loss(std::make_unique<test::WeightBlindLoss>(net.loss().kind()));
  };
  const CliResult blind = gradcheck(flags, data);
  const CliResult blind_ones = gradcheck(flags, ones);
  const CliResult blind_class =
      gradcheck({"--hidden", "8", "--rows", "150", "--class-weight", "setosa=4"});
  gradcheck_prepare_hook() = nullptr;
  EXPECT_EQ(blind.code, 1) << blind.out;
  EXPECT_NE(blind.err.find("gradcheck failed: max relative error"), std::string::npos);
  EXPECT_EQ(blind_ones.code, 0) << blind_ones.out;  // equal weights: nothing to get wrong
  EXPECT_EQ(blind_class.code, 1) << blind_class.out;
}

TEST(GradcheckCliTest, AWrongBpropUnderDropoutExitsOne) {
  gradcheck_prepare_hook() = [](nn::Network& net) {
    net.replace_layer(1, std::make_unique<test::WrongTanh>());
  };
  const CliResult r =
      gradcheck({"--hidden", "8", "--activation", "tanh", "--dropout", "0.3", "--json"});
  gradcheck_prepare_hook() = nullptr;
  EXPECT_EQ(r.code, 1) << r.err;
  const nlohmann::json j = json_of(r);
  EXPECT_GT(j["layers"][0]["max_error"].get<double>(), 1e-2);
  EXPECT_GT(j["dropout"]["dropped"].get<int>(), 0);
}

}  // namespace
}  // namespace nnfit::cli::testing
