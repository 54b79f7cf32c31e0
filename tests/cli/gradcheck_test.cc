// `nnfit gradcheck`: passes on real networks (classification and regression, each activation,
// L1/L2), exits 1 with a layer whose bprop is wrong, and --rows / --tolerance / --params /
// --json / --float change what is checked or printed.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_test_util.h"
#include "nn/activation.h"

namespace nnfit::cli::testing {
namespace {

CliResult gradcheck(std::vector<std::string> extra, const std::string& file = "iris.csv",
                    const std::string& target = "species") {
  std::vector<std::string> args{"gradcheck", "--data", data_path(file), "--target", target};
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

// Test-only: tanh whose bprop drops the square.
class WrongTanh : public nn::Tanh {
 public:
  void bprop(const ConstMatrixRef&, const ConstMatrixRef& y, const ConstMatrixRef& dy,
             MatrixRef dx) override {
    if (dx.cols() > 0) dx.array() = dy.array() * (Scalar(1) - y.array());
  }
};

TEST(GradcheckCliTest, AWrongBpropExitsOne) {
  gradcheck_prepare_hook() = [](nn::Network& net) {
    net.replace_layer(1, std::make_unique<WrongTanh>());
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

TEST(GradcheckCliTest, RefusesWhatItDoesNotCheckInsteadOfIgnoringIt) {
  for (const std::vector<std::string>& flags :
       {std::vector<std::string>{"--dropout", "0.3"},
        std::vector<std::string>{"--class-weight", "balanced"}}) {
    const CliResult r = gradcheck(flags);
    EXPECT_EQ(r.code, 2) << flags[0];
    EXPECT_NE(r.err.find("gradcheck does not check " + flags[0]), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace nnfit::cli::testing
