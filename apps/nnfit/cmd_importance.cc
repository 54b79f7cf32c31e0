// `nnfit importance`: permutation feature importance of a saved model on a labelled CSV, as a
// table or as the JSON that `nnfit report --importance` reads.
#include <spdlog/spdlog.h>

#include <Eigen/Core>
#include <memory>
#include <utility>

#include "cli.h"
#include "data/target.h"
#include "eval/importance.h"
#include "eval/labelled.h"
#include "io/model_io.h"

namespace nnfit::cli {
namespace {

struct ImportanceCommand {
  CommonOptions common;
  std::string model_path;
  std::string data_path;
  std::string metric = "default";
  int repeats = 5;
  std::uint64_t seed = 1;
  int threads = 1;
  bool json = false;
  CsvFlags csv;
};

// The file read once: network inputs (transformed chunk by chunk), targets and weights.
eval::ScoredRows read_scored_rows(const model::Model& m, const ImportanceCommand& c) {
  data::CsvOptions csv = model_csv_options(c.csv, m);
  csv.keep_reason = "the model's target, which importance scores the predictions against";
  data::UnseenCategories unseen;
  std::vector<Matrix> parts;
  eval::Labels labels =
      eval::read_labelled(m, c.data_path, csv, kChunkRows, [&](data::Dataset&& d) {
        parts.push_back(m.features.transform(std::move(d), csv.warn, &unseen));
      });
  unseen.warn(csv.warn);
  return {eval::concat_columns(parts), data::encode_target(labels.target, m.target),
          std::move(labels.weights)};
}

void run_importance(const ImportanceCommand& c) {
  setup_logging(c.common);
  const model::Model m = io::load_model(c.model_path);
  eval::ImportanceOptions o;
  o.metric = eval::parse_metric(c.metric, m.target.task);
  o.repeats = c.repeats;
  o.seed = c.seed;
  o.threads = c.threads;
  eval::check_options(o);
  // Our threads share the shuffles; Eigen's OpenMP threads would compete with them (and with
  // any other process: 100k rows x 20 columns x 5 repeats took 141 s instead of 7.6 s on a
  // busy 2-core machine).
  Eigen::setNbThreads(1);
  const eval::ScoredRows rows = read_scored_rows(m, c);
  spdlog::info("importance: {} columns x {} repeats on {} rows", m.features.columns.size(),
               c.repeats, rows.inputs.cols());
  const eval::ImportanceResult r = eval::permutation_importance(m, rows, o);
  const std::string weights = rows.weights.empty() ? "" : m.weight_column;
  write_output("-", c.json ? eval::to_json(r).dump(2) + "\n" : eval::to_table(r, weights));
}

}  // namespace

void setup_importance(CLI::App& app) {
  auto c = std::make_shared<ImportanceCommand>();
  CLI::App* cmd = app.add_subcommand(
      "importance",
      "Permutation feature importance: how much the model's score drops when one input column "
      "is shuffled");
  cmd->footer(
      help_footer({"nnfit importance --model iris.nnfit --data data/iris.test.csv",
                   "nnfit importance --model iris.nnfit --data data/iris.csv --repeats 20 --seed 7",
                   "nnfit importance --model d.nnfit --data data/diabetes.test.csv --metric mae",
                   "nnfit importance --model iris.nnfit --data data/iris.csv --json > imp.json"},
                  FooterCodes::kReading));
  add_common_options(*cmd, c->common);
  cmd->add_option("--model", c->model_path, "Model file written by nnfit train")->required();
  cmd->add_option("--data", c->data_path,
                  "CSV with the model's feature columns and its target column ('-' = stdin), "
                  "best not the training file (importance on rows the model learnt says what "
                  "it memorised)")
      ->required();
  add_csv_options(*cmd, c->csv, "(for a model trained with --no-header)");
  cmd->add_option("--repeats", c->repeats, "Shuffles of each column (scikit-learn's n_repeats)")
      ->capture_default_str();
  cmd->add_option("--seed", c->seed, "Seeds the shuffles (every column sees the same ones)")
      ->capture_default_str();
  cmd->add_option("--metric", c->metric,
                  "default (accuracy for a classifier, r2 for regression, as scikit-learn's "
                  "score), or classification: accuracy, log_loss, macro_f1, roc_auc; "
                  "regression: r2, rmse, mse, mae. For a loss the drop is permuted - baseline")
      ->capture_default_str();
  cmd->add_option("--threads", c->threads,
                  "Threads sharing the (column, repeat) shuffles; the numbers do not depend on it")
      ->capture_default_str();
  cmd->add_flag("--json", c->json,
                "Print JSON instead of a table: metric, higher_is_better, baseline, repeats, "
                "seed, rows, and per column (highest mean first) column, mean, std "
                "(population) and drops (one per repeat); nnfit report --importance reads it");
  cmd->callback([c] { run_importance(*c); });
}

}  // namespace nnfit::cli
