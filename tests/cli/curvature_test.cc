// `nnfit train --lr auto` logs and records the chosen rate; `nnfit curvature` reports the
// Hessian's spectrum of a trained model with consistent numbers.
#include <gtest/gtest.h>
#include <spdlog/fmt/fmt.h>

#include <nlohmann/json.hpp>

#include "cli/cli_test_util.h"

namespace nnfit::cli::testing {
namespace {

class CurvatureCliTest : public CliTest {};

TEST_F(CurvatureCliTest, LrAutoLogsRecordsAndUsesTheChosenRate) {
  const CliResult r =
      run_cli({"train", "--data", data_path("iris.csv"), "--target", "species", "--epochs", "4",
               "--no-progress", "--lr", "auto", "--json", "--model", path("auto.nnfit")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("--lr auto: lambda_max"), std::string::npos) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  const double rate = j["lr_auto"]["lr"].get<double>();
  EXPECT_DOUBLE_EQ(rate, 1.0 / j["lr_auto"]["lambda_max"].get<double>());
  const model::Model m = load("auto.nnfit");
  EXPECT_EQ(m.options.lr, rate);
  EXPECT_TRUE(m.options.lr_auto);
  ASSERT_EQ(train("default.nnfit", {}).code, 0);
  EXPECT_FALSE(load("default.nnfit").params == m.params);
  EXPECT_FALSE(load("default.nnfit").options.lr_auto);
}

// Linear regression with L2: H = [x; 1][x; 1]' / N plus L2 on the weights, positive definite.
TEST_F(CurvatureCliTest, ReportsLambdaMaxLambdaMinAndTheirRatio) {
  const std::string data = data_path("diabetes.csv");
  ASSERT_EQ(run_cli({"train", "--data", data, "--target", "progression", "--hidden", "0",
                     "--epochs", "5", "--l2", "0.1", "--model", path("m.nnfit"), "--quiet"})
                .code,
            0);
  const CliResult j = run_cli({"curvature", "--model", path("m.nnfit"), "--data", data, "--json"});
  ASSERT_EQ(j.code, 0) << j.err;
  const nlohmann::json s = nlohmann::json::parse(j.out);
  EXPECT_GT(s["rows"].get<int>(), 100);
  const double top = s["lambda_max"].get<double>(), low = s["lambda_min"].get<double>();
  EXPECT_GT(top, low);
  ASSERT_FALSE(s["indefinite"].get<bool>());
  EXPECT_GT(low, 0.0);
  EXPECT_DOUBLE_EQ(s["condition"].get<double>(), top / low);
  const CliResult t = run_cli({"curvature", "--model", path("m.nnfit"), "--data", data});
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find(fmt::format("lambda_max  {:.6g}", top)), std::string::npos) << t.out;
  EXPECT_NE(t.out.find(fmt::format("condition   {:.6g}", top / low)), std::string::npos) << t.out;
}

// Softmax regression: adding a constant to every bias leaves the loss unchanged, so the
// Hessian has a zero eigenvalue; the estimate (a Rayleigh quotient, never below it) is near 0.
TEST_F(CurvatureCliTest, AFlatDirectionGivesALambdaMinNearZero) {
  ASSERT_EQ(train("m.nnfit", {"--hidden", "0"}).code, 0);
  const CliResult t =
      run_cli({"curvature", "--model", path("m.nnfit"), "--data", data_path("iris.csv"), "--json"});
  ASSERT_EQ(t.code, 0) << t.err;
  const nlohmann::json s = nlohmann::json::parse(t.out);
  EXPECT_NEAR(s["lambda_min"].get<double>(), 0.0, 1e-3 * s["lambda_max"].get<double>());
}

}  // namespace
}  // namespace nnfit::cli::testing
