// `nnfit train`'s default protocol (--refit-folds auto) and rate (--lr default): 5-fold early
// stopping and a refit up to 10,000 training rows, a refit after one held-out part above, and
// what a flag names when one does; lr 0.001 for adam (the default optimizer), 0.01 for sgd.
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli_test_util.h"
#include "testing/csv_util.h"  // EXPECT_HAS

namespace nnfit::cli::testing {
namespace {

using Flags = std::vector<std::string>;

class ProtocolTest : public CliTest {
 protected:
  // A regression file of `rows` rows: y = x0 - x1 plus a little structure.
  std::string rows_file(int rows) {
    const std::string p = path("r" + std::to_string(rows) + ".csv");
    std::ofstream csv(p);
    csv << "x0,x1,y\n";
    for (int i = 0; i < rows; ++i) {
      const double a = (i % 97) / 97.0, b = (i % 89) / 89.0;
      csv << a << ',' << b << ',' << a - b + 0.1 * (i % 3) << '\n';
    }
    return p;
  }
  // One epoch of a 2-unit network on `data`: the protocol's name, fold count and auto flag.
  nlohmann::json protocol_of(const std::string& data, const Flags& extra = {}) {
    Flags args{"train", "--data", data, "--epochs", "1", "--hidden", "2", "--quiet",
               "--model", path("p.nnfit")};
    args.insert(args.end(), extra.begin(), extra.end());
    const CliResult r = run_cli(args);
    EXPECT_EQ(r.code, 0) << r.err;
    return load("p.nnfit").metrics.at("protocol");
  }
};

nlohmann::json protocol(const std::string& name, int folds, bool automatic) {
  return {{"name", name}, {"folds", folds}, {"auto", automatic}};
}

TEST_F(ProtocolTest, AutoUsesFiveFoldsUpToTenThousandRowsAndOneHeldOutPartAbove) {
  EXPECT_EQ(protocol_of(rows_file(10000)), protocol("folds", 5, true));
  EXPECT_EQ(protocol_of(rows_file(10001)), protocol("refit", 0, true));
  EXPECT_EQ(load("p.nnfit").metrics.at("refit").at("rows"), 10001);
  EXPECT_EQ(protocol_of(rows_file(10)), protocol("folds", 5, true));
  EXPECT_EQ(protocol_of(rows_file(9)), protocol("holdout", 0, true));  // < 2 rows per fold
  const model::Model small = load("p.nnfit");
  EXPECT_LT(small.metrics.at("train").at("rows").get<int>(), 9);  // a part was held out
}

TEST_F(ProtocolTest, AutoLogsWhatItChoseAndWhy) {
  const CliResult r = run_cli({"train", "--data", data_path("iris.csv"), "--epochs", "2",
                               "--no-progress", "--model", path("m.nnfit")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_HAS(r.err, "protocol: 5-fold early stopping, then a refit on all 150 rows");
  EXPECT_HAS(r.err, "--refit-folds 0 for one held-out part");
  EXPECT_HAS(r.err, "fold 5/5: best epoch");
  EXPECT_HAS(r.err, "mean of 5 folds (150 rows)");
  const model::Model m = load("m.nnfit");
  EXPECT_EQ(m.metrics.at("refit").at("rows"), 150);
  EXPECT_EQ(m.metrics.at("validation").at("folds"), 5);
  const CliResult big = run_cli({"train", "--data", rows_file(10001), "--epochs", "1",
                                 "--hidden", "2", "--no-progress", "--model", path("b.nnfit")});
  ASSERT_EQ(big.code, 0) << big.err;
  EXPECT_HAS(big.err, "protocol: early stopping on one held-out part, then a refit on all 10001 "
                      "rows for its best epoch count (--refit-folds auto: more than 10000 "
                      "training rows; --refit-folds 0 keeps the held-out run");
  EXPECT_EQ(big.err.find("fold 1/"), std::string::npos) << big.err;
  EXPECT_HAS(big.err, "refit: training on all 10001 rows");
  EXPECT_HAS(big.err, ", after the held-out run in ");
  EXPECT_HAS(r.err, ", after the folds in ");
}

TEST_F(ProtocolTest, AFlagThatNamesTheProtocolOverridesAuto) {
  const std::string iris = data_path("iris.csv");
  EXPECT_EQ(protocol_of(iris, {"--refit-folds", "0"}), protocol("holdout", 0, false));
  EXPECT_EQ(protocol_of(iris, {"--refit-folds", "3"}), protocol("folds", 3, false));
  EXPECT_EQ(protocol_of(iris, {"--refit"}), protocol("refit", 0, false));
  EXPECT_EQ(protocol_of(iris, {"--val-split", "0.3"}), protocol("holdout", 0, false));
  EXPECT_EQ(protocol_of(iris, {"--val-split", "0.2"}), protocol("holdout", 0, false));
  EXPECT_EQ(protocol_of(iris, {"--val-split", "0"}), protocol("all_rows", 0, false));
  EXPECT_EQ(protocol_of(iris, {"--val-data", data_path("iris.test.csv")}),
            protocol("holdout", 0, false));
  EXPECT_EQ(load("p.nnfit").metrics.at("validation").at("rows"), 30);  // iris.test.csv's
  std::ofstream(path("cfg.toml")) << "val-split = 0.25\n";
  EXPECT_EQ(protocol_of(iris, {"--config", path("cfg.toml")}), protocol("holdout", 0, false));
}

TEST_F(ProtocolTest, BadFoldCountsAreRefused) {
  for (const char* bad : {"1", "-1", "x", "2.5", ""}) {
    const CliResult r = train("bad.nnfit", {"--refit-folds", bad});
    EXPECT_EQ(r.code, 2) << bad;
    EXPECT_HAS(r.err, "--refit-folds");
    EXPECT_FALSE(std::filesystem::exists(path("bad.nnfit")));
  }
}

// The folds' recoveries are logged, and most folds still improving at --epochs warn.
TEST_F(ProtocolTest, FoldsReportRecoveriesAndStillImproving) {
  const CliResult r = train("m.nnfit", {"--optimizer", "sgd", "--lr", "1e6",
                                        "--max-recoveries", "40"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_HAS(r.err, "epoch 1 diverged (");
  const CliResult improving = train("i.nnfit", {"--epochs", "2"});
  ASSERT_EQ(improving.code, 0);
  EXPECT_HAS(improving.err, "still improving at the last epoch: raise --epochs (now 2)");
  // At 500 epochs some iris folds stop early and some do not: the warning follows the majority.
  const CliResult r500 = run_cli({"train", "--data", data_path("iris.csv"), "--epochs", "500",
                                  "--no-progress", "--model", path("f.nnfit")});
  ASSERT_EQ(r500.code, 0);
  int at_limit = 0;
  for (std::size_t at = 0; (at = r500.err.find("best epoch 500 of 500,", at)) != std::string::npos;
       ++at) {
    ++at_limit;
  }
  EXPECT_LT(at_limit, 5) << r500.err;
  EXPECT_EQ(r500.err.find("still improving") != std::string::npos, 2 * at_limit > 5) << r500.err;
}

TEST_F(ProtocolTest, TheDefaultRateIsTheOptimizersOwn) {
  const auto rate = [&](const Flags& f) {
    EXPECT_EQ(train("lr.nnfit", f).code, 0);
    return load("lr.nnfit").options.lr;
  };
  EXPECT_DOUBLE_EQ(rate({}), 0.001);
  EXPECT_EQ(load("lr.nnfit").options.optimizer, "adam");
  EXPECT_DOUBLE_EQ(rate({"--optimizer", "adamw"}), 0.001);
  EXPECT_DOUBLE_EQ(rate({"--optimizer", "sgd"}), 0.01);
  EXPECT_DOUBLE_EQ(rate({"--optimizer", "sgd", "--lr", "default"}), 0.01);
  EXPECT_DOUBLE_EQ(rate({"--optimizer", "sgd", "--lr", "0.05"}), 0.05);
  EXPECT_DOUBLE_EQ(rate({"--lr", "0.05", "--lr", "default"}), 0.001);  // the last flag wins
}

// --print-config writes the defaults as words, so a config read back keeps them per optimizer
// and per file; a search over optimizers gives each trial its optimizer's rate.
TEST_F(ProtocolTest, DefaultsAreWordsInTheConfigAndPerTrialInASearch) {
  const CliResult printed = train("unused.nnfit", {"--print-config"});
  ASSERT_EQ(printed.code, 0) << printed.err;
  EXPECT_HAS(printed.out, "optimizer = \"adam\"\nlr = \"default\"\n");
  EXPECT_HAS(printed.out, "refit-folds = \"auto\"\n");
  std::ofstream(path("run.toml")) << printed.out;
  ASSERT_EQ(train("c.nnfit", {"--config", path("run.toml"), "--optimizer", "sgd"}).code, 0);
  EXPECT_DOUBLE_EQ(load("c.nnfit").options.lr, 0.01);
  EXPECT_EQ(load("c.nnfit").metrics.at("protocol"), protocol("folds", 5, true));
  for (const char* optimizer : {"sgd", "adam"}) {
    const CliResult r = run_cli({"gridsearch", "--data", data_path("iris.csv"), "--epochs", "2",
                                 "--grid", std::string("optimizer=") + optimizer, "--quiet",
                                 "--no-baseline",
                                 "--model", path("g.nnfit"), "--results", path("g.csv")});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_DOUBLE_EQ(load("g.nnfit").options.lr, optimizer == std::string("sgd") ? 0.01 : 0.001);
  }
}

}  // namespace
}  // namespace nnfit::cli::testing
