// Every `nnfit train` flag changes what the run does (run in-process through cli::run).
#include <nlohmann/json.hpp>

#include <algorithm>

#include "cli/cli_test_util.h"

namespace nnfit::cli::testing {
namespace {

using Flags = std::vector<std::string>;

class TrainFlagsTest : public CliTest {
 protected:
  // Trains twice, with flags a and b, and returns both models.
  std::pair<model::Model, model::Model> pair(const Flags& a, const Flags& b) {
    EXPECT_EQ(train("a.nnfit", a).code, 0);
    EXPECT_EQ(train("b.nnfit", b).code, 0);
    return {load("a.nnfit"), load("b.nnfit")};
  }
  void expect_params_differ(const Flags& a, const Flags& b) {
    const auto [ma, mb] = pair(a, b);
    ASSERT_EQ(ma.params.size(), mb.params.size());
    EXPECT_FALSE(ma.params == mb.params);
  }
};

TEST_F(TrainFlagsTest, DataChangesTheTrainingSet) {
  ASSERT_EQ(run_cli({"train", "--data", data_path("diabetes.csv"), "--epochs", "2", "--model",
                     path("d.nnfit"), "--quiet"}).code, 0);
  EXPECT_EQ(load("d.nnfit").target_name, "progression");
  EXPECT_EQ(load("d.nnfit").features.names().size(), 10u);
}

TEST_F(TrainFlagsTest, TargetByNameOrIndexDefaultLast) {
  const auto [by_name, by_index] = pair({"--target", "species"}, {"--target", "4"});
  EXPECT_TRUE(by_name.params == by_index.params);
  ASSERT_EQ(run_cli({"train", "--data", data_path("diabetes.csv"), "--epochs", "2", "--model",
                     path("c.nnfit"), "--quiet", "--target", "bmi"}).code, 0);
  EXPECT_EQ(load("c.nnfit").target_name, "bmi");
  EXPECT_EQ(load("c.nnfit").target.task, data::Task::kRegression);
  EXPECT_EQ(load("c.nnfit").features.names().back(), "progression");
  ASSERT_EQ(run_cli({"train", "--data", data_path("iris.csv"), "--epochs", "2", "--model",
                     path("last.nnfit"), "--quiet"}).code, 0);
  EXPECT_EQ(load("last.nnfit").target_name, "species");
}

TEST_F(TrainFlagsTest, ValDataAndValSplitSetTheValidationRows) {
  train("split.nnfit", {"--val-split", "0.5"});
  EXPECT_EQ(load("split.nnfit").metrics["validation"]["rows"], 75);
  train("none.nnfit", {"--val-split", "0"});
  EXPECT_EQ(load("none.nnfit").metrics["validation"]["rows"], 0);
  EXPECT_EQ(load("none.nnfit").metrics["train"]["rows"], 150);
  train("file.nnfit", {"--val-data", data_path("iris.test.csv")});
  EXPECT_EQ(load("file.nnfit").metrics["validation"]["rows"], 30);
}

TEST_F(TrainFlagsTest, TaskForcesRegressionOrClassification) {
  const auto task_of = [&](const std::string& task) {
    const std::string name = task + ".nnfit";
    EXPECT_EQ(run_cli({"train", "--data", data_path("diabetes.csv"), "--target", "sex", "--epochs",
                       "2", "--model", path(name), "--quiet", "--task", task}).code, 0);
    return load(name).target;
  };
  EXPECT_EQ(task_of("auto").task, data::Task::kClassification);  // sex is coded 1/2
  EXPECT_EQ(task_of("classification").classes, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(task_of("regression").task, data::Task::kRegression);
}

TEST_F(TrainFlagsTest, HiddenAndActivationShapeTheNetwork) {
  const auto [a, b] = pair({"--hidden", "8,4", "--activation", "tanh,sigmoid"}, {"--hidden", "0"});
  EXPECT_EQ(a.spec.hidden, (std::vector<Index>{8, 4}));
  EXPECT_EQ(a.spec.activations,
            (std::vector<nn::Activation>{nn::Activation::kTanh, nn::Activation::kSigmoid}));
  EXPECT_TRUE(b.spec.hidden.empty());
  expect_params_differ({"--activation", "relu"}, {"--activation", "tanh"});
}

TEST_F(TrainFlagsTest, OptimizerAcceptsSgdAndRejectsUnknownNames) {
  EXPECT_EQ(train("a.nnfit", {"--optimizer", "sgd"}).code, 0);
  const auto bad = train("b.nnfit", {"--optimizer", "adm"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("sgd, adam, adamw, lbfgs, newton"), std::string::npos) << bad.err;
}

TEST_F(TrainFlagsTest, LearningRateChangesWeights) { expect_params_differ({"--lr", "0.01"}, {"--lr", "0.05"}); }
TEST_F(TrainFlagsTest, MomentumChangesWeights) {
  expect_params_differ({"--optimizer", "sgd", "--momentum", "0"},
                       {"--optimizer", "sgd", "--momentum", "0.5"});
}
TEST_F(TrainFlagsTest, BatchSizeChangesWeights) { expect_params_differ({"--batch-size", "1"}, {"--batch-size", "16"}); }
TEST_F(TrainFlagsTest, L1ChangesWeights) { expect_params_differ({}, {"--l1", "0.01"}); }
TEST_F(TrainFlagsTest, L2ChangesWeights) { expect_params_differ({}, {"--l2", "0.01"}); }
TEST_F(TrainFlagsTest, SeedChangesWeights) { expect_params_differ({"--seed", "1"}, {"--seed", "2"}); }

TEST_F(TrainFlagsTest, EpochsLimitsTraining) {
  const auto [a, b] = pair({"--epochs", "2", "--val-split", "0"}, {"--epochs", "3", "--val-split", "0"});
  EXPECT_EQ(a.metrics["epochs_run"], 2);
  EXPECT_EQ(b.metrics["epochs_run"], 3);
}

TEST_F(TrainFlagsTest, PatienceAndMinDeltaStopEarly) {
  // With a huge min-delta no epoch after the first counts as an improvement.
  // One held-out part (--refit-folds 0): epochs_run is the early-stopped run's.
  const auto [a, b] = pair({"--epochs", "50", "--min-delta", "100", "--patience", "2",
                            "--refit-folds", "0"},
                           {"--epochs", "50", "--min-delta", "100", "--patience", "5",
                            "--refit-folds", "0"});
  EXPECT_EQ(a.metrics["epochs_run"], 3);
  EXPECT_EQ(b.metrics["epochs_run"], 6);
  EXPECT_EQ(a.metrics["best_epoch"], 1);
  const auto [c, d] = pair({"--epochs", "12", "--patience", "3", "--min-delta", "0",
                            "--refit-folds", "0"},
                           {"--epochs", "12", "--patience", "3", "--min-delta", "100",
                            "--refit-folds", "0"});
  EXPECT_GT(c.metrics["epochs_run"].get<int>(), 4);
  EXPECT_EQ(d.metrics["epochs_run"], 4);
}

TEST_F(TrainFlagsTest, ThreadsSplitLargeBatches) {
  const CliResult one = train("a.nnfit", {"--threads", "1", "--json"});
  const CliResult two = train("b.nnfit", {"--threads", "2", "--json"});
  EXPECT_EQ(nlohmann::json::parse(one.out)["threads"], 1);
  EXPECT_EQ(nlohmann::json::parse(two.out)["threads"], 2);
  EXPECT_EQ(train("c.nnfit", {"--threads", "0"}).code, 2);
  // A small network's batches are not split: the same model as one thread.
  EXPECT_EQ(read_text(path("a.nnfit")), read_text(path("b.nnfit")));
  // A large one's are (9.6k parameters x 256 columns, 128 a part): another model than one
  // thread's, the same bytes on every run with two.
  auto wide = [&](const std::string& model, const char* threads) {
    return run_cli({"train", "--data", data_path("diabetes.csv"), "--hidden", "128,64",
                    "--batch-size", "256", "--epochs", "2", "--val-split", "0", "--threads",
                    threads, "--model", path(model), "--quiet"}).code;
  };
  ASSERT_EQ(wide("e.nnfit", "1"), 0);
  ASSERT_EQ(wide("f.nnfit", "2"), 0);
  ASSERT_EQ(wide("g.nnfit", "2"), 0);
  EXPECT_NE(read_text(path("e.nnfit")), read_text(path("f.nnfit")));
  EXPECT_EQ(read_text(path("f.nnfit")), read_text(path("g.nnfit")));
}

TEST_F(TrainFlagsTest, ModelPathIsWhereTheModelGoes) {
  ASSERT_EQ(train("x/../elsewhere.nnfit", {}).code, 1);  // x/ does not exist: an error, no file
  EXPECT_FALSE(std::filesystem::exists(path("elsewhere.nnfit")));
  ASSERT_EQ(train("here.nnfit", {}).code, 0);
  EXPECT_TRUE(std::filesystem::exists(path("here.nnfit")));
}

TEST_F(TrainFlagsTest, HistoryWritesOneLinePerEpoch) {
  ASSERT_EQ(train("m.nnfit", {"--history", path("h.csv"), "--epochs", "6", "--val-split", "0.2"}).code, 0);
  const std::string h = read_text(path("h.csv"));
  EXPECT_EQ(h.rfind("epoch,train_loss,val_loss,val_acc,lr,seconds\n", 0), 0u);
  EXPECT_EQ(std::count(h.begin(), h.end(), '\n'), 7);
}

TEST_F(TrainFlagsTest, JsonPrintsASummaryOnStdoutOnly) {
  const CliResult plain = train("a.nnfit", {});
  EXPECT_TRUE(plain.out.empty());
  const CliResult r = train("b.nnfit", {"--json"});
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"best_epoch", "train", "validation", "model", "load_seconds",
                          "train_seconds", "samples_per_second"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["model"], path("b.nnfit"));
  EXPECT_GT(j["samples_per_second"].get<double>(), 0.0);
  EXPECT_TRUE(j["validation"].contains("accuracy"));
}

TEST_F(TrainFlagsTest, QuietAndLogLevelControlStderr) {
  const auto loud = run_cli({"train", "--data", data_path("iris.csv"), "--epochs", "3", "--model",
                             path("a.nnfit")});
  EXPECT_NE(loud.err.find("epoch 3/3 "), std::string::npos) << loud.err;
  EXPECT_NE(loud.err.find("held-out accuracy"), std::string::npos);
  // train() passes --quiet: warnings only (4 epochs of iris are still improving at the end).
  const auto quiet = train("b.nnfit", {});
  EXPECT_EQ(quiet.err, "warning: still improving at the last epoch: raise --epochs (now 4)\n");
  const auto err_only = run_cli({"train", "--data", data_path("iris.csv"), "--epochs", "3",
                                 "--model", path("c.nnfit"), "--log-level", "error"});
  EXPECT_TRUE(err_only.err.empty()) << err_only.err;
  EXPECT_TRUE(loud.out.empty());
}

// iris.csv with another separator (it has no quoted fields) and optionally no header row.
std::string iris_text(char delimiter, bool header) {
  std::string text = read_text(data_path("iris.csv"));
  if (!header) text = text.substr(text.find('\n') + 1);
  std::replace(text.begin(), text.end(), ',', delimiter);
  return text;
}

TEST_F(TrainFlagsTest, DelimiterSelectsTheFieldSeparator) {
  std::ofstream(path("iris.txt")) << iris_text(';', true);
  const auto with = [&](const std::string& d) {
    return run_cli({"train", "--data", path("iris.txt"), "--epochs", "2", "--quiet", "--model",
                    path("m.nnfit"), "--delimiter", d});
  };
  EXPECT_EQ(with(";").code, 0);
  EXPECT_EQ(load("m.nnfit").features.names().size(), 4u);
  EXPECT_EQ(with("auto").code, 0);  // detected from the header line
  EXPECT_EQ(with(",").code, 1);     // one column: no feature columns
  EXPECT_EQ(with("x").code, 2);
  std::ofstream(path("iris.tsv")) << iris_text('\t', true);
  EXPECT_EQ(run_cli({"train", "--data", path("iris.tsv"), "--epochs", "2", "--quiet", "--model",
                     path("t.nnfit")}).code, 0);
  EXPECT_EQ(load("t.nnfit").target_name, "species");
}

TEST_F(TrainFlagsTest, NoHeaderNamesColumnsByIndex) {
  std::ofstream(path("iris.csv")) << iris_text(',', false);
  ASSERT_EQ(run_cli({"train", "--data", path("iris.csv"), "--epochs", "2", "--quiet", "--model",
                     path("a.nnfit"), "--no-header", "--target", "4"}).code, 0);
  EXPECT_EQ(load("a.nnfit").features.names(), (std::vector<std::string>{"0", "1", "2", "3"}));
  EXPECT_EQ(load("a.nnfit").target.classes.size(), 3u);
  // The default protocol's refit trains on every row: none was taken as a header.
  EXPECT_EQ(load("a.nnfit").metrics["train"]["rows"].get<int>(), 150);
  // Without the flag the first row is taken as the header.
  ASSERT_EQ(run_cli({"train", "--data", path("iris.csv"), "--epochs", "2", "--quiet", "--model",
                     path("b.nnfit"), "--target", "4"}).code, 0);
  EXPECT_EQ(load("b.nnfit").features.names()[0], "5.1");
}

TEST_F(TrainFlagsTest, IgnoreDropsColumnsAndPredictSkipsThem) {
  std::string text = read_text(data_path("iris.csv"));
  std::string with_id;
  std::istringstream lines(text);
  std::string line;
  for (int i = 0; std::getline(lines, line); ++i) {
    with_id += (i == 0 ? std::string("id,note,") : "row" + std::to_string(i) + ",\"x, y\",") + line + "\n";
  }
  std::ofstream(path("iris_id.csv")) << with_id;
  const auto train_with = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> args{"train", "--data", path("iris_id.csv"), "--epochs", "2",
                                  "--quiet", "--model", path("m.nnfit")};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  };
  // 'id' and 'note' are text: read as categories. 'id' has 150 (> --max-categories 100):
  // dropped with a warning and remembered as ignored.
  const CliResult wide = train_with({});
  ASSERT_EQ(wide.code, 0) << wide.err;
  EXPECT_NE(wide.err.find("column 'id' has 150 categories in 150 rows, more than "
                          "--max-categories 100; dropped"), std::string::npos) << wide.err;
  EXPECT_EQ(load("m.nnfit").features.names().size(), 5u);
  EXPECT_EQ(load("m.nnfit").features.categorical_names(), (std::vector<std::string>{"note"}));
  EXPECT_EQ(load("m.nnfit").ignored_columns, (std::vector<std::string>{"id"}));
  ASSERT_EQ(train_with({"--max-categories", "0"}).code, 0);  // no limit: all 6 kept
  EXPECT_EQ(load("m.nnfit").features.names().size(), 6u);
  ASSERT_EQ(train_with({"--ignore", "id,note"}).code, 0);
  EXPECT_EQ(load("m.nnfit").features.names().size(), 4u);
  EXPECT_EQ(load("m.nnfit").ignored_columns, (std::vector<std::string>{"id", "note"}));
  const CliResult p = run_cli({"predict", "--model", path("m.nnfit"), "--data", path("iris_id.csv")});
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_TRUE(p.err.empty()) << p.err;  // ignored columns and the target: no warning
  std::ofstream(path("extra.csv")) << "extra," << text.substr(0, text.find('\n')) << "\n0,1,2,3,4,setosa\n";
  const CliResult e = run_cli({"predict", "--model", path("m.nnfit"), "--data", path("extra.csv")});
  ASSERT_EQ(e.code, 0) << e.err;
  EXPECT_NE(e.err.find("ignoring columns the model does not use: 'extra'"), std::string::npos) << e.err;
  EXPECT_EQ(train_with({"--ignore", "nope"}).code, 1);
  EXPECT_EQ(train_with({"--ignore", "species", "--target", "species"}).code, 2);
}

TEST_F(TrainFlagsTest, PrintConfigWritesTomlThatReproducesTheRun) {
  const Flags flags{"--hidden", "8,4", "--activation", "tanh,relu", "--lr", "0.05",
                    "--val-split", "0.3", "--target", "4", "--delimiter", ",", "--seed", "9"};
  std::vector<std::string> args{"train", "--data", data_path("iris.csv"), "--epochs", "3",
                                "--model", path("direct.nnfit"), "--quiet"};
  args.insert(args.end(), flags.begin(), flags.end());
  args.push_back("--print-config");
  const CliResult printed = run_cli(args);
  ASSERT_EQ(printed.code, 0) << printed.err;
  EXPECT_FALSE(std::filesystem::exists(path("direct.nnfit")));  // printed, not trained
  EXPECT_NE(printed.out.find("lr = 0.05\n"), std::string::npos) << printed.out;
  EXPECT_NE(printed.out.find("hidden = \"8,4\"\n"), std::string::npos) << printed.out;
  EXPECT_NE(printed.out.find("no-header = false\n"), std::string::npos) << printed.out;
  EXPECT_NE(printed.out.find("quiet = true\n"), std::string::npos) << printed.out;
  EXPECT_NE(printed.out.find("momentum = 0.9\n"), std::string::npos) << printed.out;  // a default
  std::ofstream(path("eff.toml")) << printed.out;
  args.pop_back();
  ASSERT_EQ(run_cli(args).code, 0);
  const std::string direct = read_text(path("direct.nnfit"));
  std::filesystem::remove(path("direct.nnfit"));
  // The same run from the file alone (it names the same model path): a byte-identical model.
  ASSERT_EQ(run_cli({"train", "--config", path("eff.toml")}).code, 0);
  EXPECT_FALSE(direct.empty());
  EXPECT_EQ(read_text(path("direct.nnfit")), direct);
}

TEST_F(TrainFlagsTest, ConfigFileSetsOptionsAndFlagsWin) {
  std::ofstream(path("run.toml")) << "# a comment\nhidden = \"6\"\nepochs = 3\nlr = 0.02\n";
  ASSERT_EQ(train("a.nnfit", {"--config", path("run.toml")}).code, 0);
  EXPECT_EQ(load("a.nnfit").spec.hidden, (std::vector<Index>{6}));
  EXPECT_EQ(load("a.nnfit").options.lr, 0.02);
  ASSERT_EQ(run_cli({"train", "--data", data_path("iris.csv"), "--model", path("b.nnfit"), "--quiet",
                     "--config", path("run.toml"), "--lr", "0.03"}).code, 0);
  EXPECT_EQ(load("b.nnfit").options.lr, 0.03);
  EXPECT_EQ(load("b.nnfit").options.epochs, 3);
  std::ofstream(path("bad.toml")) << "learning_rate = 0.1\n";
  EXPECT_EQ(train("c.nnfit", {"--config", path("bad.toml")}).code, 2);
}

}  // namespace
}  // namespace nnfit::cli::testing
