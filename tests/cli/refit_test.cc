// train --refit: early stopping on the held-out part picks the epoch count, then a fresh
// network trains on every row for that many epochs and is the model saved.
#include <cmath>

#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

class RefitTest : public CliTest {};

TEST_F(RefitTest, RetrainsOnAllRowsForTheHeldOutBestEpochCount) {
  ASSERT_EQ(train("h.nnfit", {"--epochs", "40", "--patience", "3", "--refit-folds", "0"}).code, 0);
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

TEST_F(RefitTest, FoldsPickTheMeanBestEpochThenTrainOnAllRows) {
  const CliResult r = train("f.nnfit", {"--epochs", "30", "--patience", "3", "--refit-folds", "3"});
  ASSERT_EQ(r.code, 0) << r.err;
  const model::Model m = load("f.nnfit");
  const std::vector<int> best = m.metrics.at("refit").at("fold_best_epochs");
  ASSERT_EQ(best.size(), 3u);
  const double mean = (best[0] + best[1] + best[2]) / 3.0;
  EXPECT_EQ(m.metrics.at("refit").at("epochs"), std::max(1L, std::lround(mean)));
  EXPECT_EQ(m.metrics.at("refit").at("rows"), 150);
  EXPECT_EQ(m.metrics.at("validation").at("folds"), 3);
  EXPECT_EQ(m.metrics.at("validation").at("rows"), 150);  // every row validated once
  ASSERT_EQ(train("g.nnfit", {"--epochs", "30", "--patience", "3", "--refit-folds", "3"}).code, 0);
  EXPECT_EQ(read_text(path("f.nnfit")), read_text(path("g.nnfit")));  // reproducible
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--refit-folds", "1"},
        std::vector<std::string>{"--refit-folds", "3", "--refit"},
        std::vector<std::string>{"--refit-folds", "3", "--val-data", data_path("iris.test.csv")}}) {
    const CliResult e = train("bad.nnfit", bad);
    EXPECT_EQ(e.code, 2) << bad.back();
    EXPECT_HAS(e.err, "--refit-folds");
  }
}

}  // namespace
}  // namespace nnfit::cli::testing
