// `nnfit predict`: applies a saved model to a CSV (columns matched by name) and writes one
// prediction per input row, in order, as CSV with a header.
#include <spdlog/spdlog.h>

#include <memory>

#include "cli.h"
#include "data/dataset.h"
#include "io/model_io.h"

namespace nnfit::cli {
namespace {

struct PredictCommand {
  CommonOptions common;
  std::string model_path;
  std::string data_path;
  std::string output_path;
  CsvFlags csv;
};

void run_predict(const PredictCommand& c) {
  setup_logging(c.common);
  const model::Model m = io::load_model(c.model_path);
  data::CsvOptions csv = csv_options(c.csv);
  csv.ignore = m.ignored_columns;  // the target and --ignore columns are expected extras
  csv.ignore.push_back(m.target_name);
  csv.categorical = m.features.categorical_names();
  csv.na_values.insert(csv.na_values.begin(), m.na_values.begin(), m.na_values.end());
  csv.allow_missing = m.features.impute != data::Impute::kNone;
  data::Dataset d = data::read_features(c.data_path, m.features.names(), csv);
  const Matrix outputs = model::predict_outputs(m, std::move(d), csv.warn);
  std::string text = "prediction\n";
  for (const std::string& label : model::prediction_labels(m, outputs)) {
    text += csv_field(label);
    text += '\n';
  }
  write_output(c.output_path, text);
  spdlog::debug("wrote {} predictions", outputs.cols());
}

}  // namespace

void setup_predict(CLI::App& app) {
  auto c = std::make_shared<PredictCommand>();
  CLI::App* cmd = app.add_subcommand("predict", "Predict with a saved model, one row per input row");
  cmd->footer(help_footer(
      {"nnfit predict --model iris.nnfit --data data/iris.test.csv --output predictions.csv",
       "cat new.csv | nnfit predict --model iris.nnfit --data - | head"}));
  add_common_options(*cmd, c->common);
  cmd->add_option("--model", c->model_path, "Model file written by nnfit train")->required();
  cmd->add_option("--data", c->data_path, "CSV with the model's feature columns ('-' = stdin)")
      ->required();
  add_csv_options(*cmd, c->csv);
  cmd->add_option("--output", c->output_path, "Output CSV (default: stdout)");
  cmd->callback([c] { run_predict(*c); });
}

}  // namespace nnfit::cli
