// train --refit: early stopping on the held-out part picks the epoch count, then a fresh
// network trains on every row for that many epochs and is the model saved.
#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

class RefitTest : public CliTest {};

TEST_F(RefitTest, RetrainsOnAllRowsForTheHeldOutBestEpochCount) {
  ASSERT_EQ(train("h.nnfit", {"--epochs", "40", "--patience", "3"}).code, 0);
  const CliResult r = train("r.nnfit", {"--epochs", "40", "--patience", "3", "--refit"});
  ASSERT_EQ(r.code, 0) << r.err;
  const model::Model held = load("h.nnfit"), refit = load("r.nnfit");
  const int best = held.metrics.at("best_epoch");
  EXPECT_EQ(refit.metrics.at("refit").at("rows"), 150);
  EXPECT_EQ(refit.metrics.at("refit").at("epochs"), best);
  EXPECT_EQ(refit.metrics.at("train").at("rows"), 150);
  EXPECT_EQ(refit.metrics.at("validation"), held.metrics.at("validation"));  // the estimate
  EXPECT_FALSE(refit.params == held.params);
  ASSERT_EQ(train("r2.nnfit", {"--epochs", "40", "--patience", "3", "--refit"}).code, 0);
  EXPECT_EQ(read_text(path("r.nnfit")), read_text(path("r2.nnfit")));  // reproducible
}

TEST_F(RefitTest, NeedsAHeldOutPart) {
  for (const std::vector<std::string>& flags :
       {std::vector<std::string>{"--refit", "--val-split", "0"},
        std::vector<std::string>{"--refit", "--val-data", data_path("iris.test.csv")}}) {
    const CliResult r = train("x.nnfit", flags);
    EXPECT_EQ(r.code, 2);
    EXPECT_HAS(r.err, "--refit needs a held-out part");
    EXPECT_FALSE(std::filesystem::exists(path("x.nnfit")));
  }
}

}  // namespace
}  // namespace nnfit::cli::testing
