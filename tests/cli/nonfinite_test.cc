// A model whose outputs are not finite is a clear error in predict and evaluate, never NaN
// predictions or an endless ROC AUC.
#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

using NonFiniteTest = CliTest;

TEST_F(NonFiniteTest, PredictAndEvaluateRefuseNonFiniteOutputs) {
  ASSERT_EQ(train("m.nnfit", {}).code, 0);
  model::Model m = load("m.nnfit");
  // Finite weights (a valid file) so large that the network's outputs overflow to NaN/Inf, as
  // after a step with --lr 1e36.
  for (Index i = 0; i < m.params.size(); ++i) m.params[i] = (i % 2 ? -3e38f : 3e38f);
  io::save_model(m, path("huge.nnfit"));
  const CliResult predict =
      run_cli({"predict", "--model", path("huge.nnfit"), "--data", data_path("iris.csv")});
  EXPECT_EQ(predict.code, 1);
  EXPECT_HAS(predict.err, "not finite");
  EXPECT_EQ(predict.out.find("nan"), std::string::npos) << predict.out;
  const CliResult evaluate =
      run_cli({"evaluate", "--model", path("huge.nnfit"), "--data", data_path("iris.csv")});
  EXPECT_EQ(evaluate.code, 1);
  EXPECT_HAS(evaluate.err, "iris.csv:2: the model's output for this row is not finite");
}

}  // namespace
}  // namespace nnfit::cli::testing
