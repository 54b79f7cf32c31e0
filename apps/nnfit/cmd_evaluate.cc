// `nnfit evaluate`: scores a saved model on a labelled CSV (the target column named in the
// model) and prints the metrics as a table or as JSON.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "scored_file.h"
#include "core/error.h"
#include "data/dataset.h"
#include "data/target.h"
#include "data/text.h"
#include "eval/report.h"
#include "io/model_io.h"

namespace nnfit::cli {
namespace {

struct EvaluateCommand {
  CommonOptions common;
  std::string model_path;
  std::string data_path;
  bool json = false;
  CsvFlags csv;
};

std::vector<int> class_indexes(const Matrix& y) {
  std::vector<int> t(static_cast<std::size_t>(y.cols()));
  for (Index j = 0; j < y.cols(); ++j) t[static_cast<std::size_t>(j)] = static_cast<int>(y(0, j));
  return t;
}

nlohmann::json optional_json(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json to_json(const eval::ClassificationReport& r) {
  nlohmann::json classes = nlohmann::json::array();
  std::vector<std::string> names;
  for (const auto& c : r.classes) {
    classes.push_back({{"class", c.name}, {"precision", c.precision}, {"recall", c.recall},
                       {"f1", c.f1}, {"support", c.support}, {"roc_auc", optional_json(c.auc)}});
    names.push_back(c.name);
  }
  return {{"task", "classification"}, {"rows", r.rows},        {"accuracy", r.accuracy},
          {"log_loss", r.log_loss},   {"roc_auc", optional_json(r.roc_auc)},
          {"macro_f1", r.macro_f1},   {"weighted_f1", r.weighted_f1}, {"classes", classes},
          {"confusion_matrix", {{"labels", names}, {"rows_true_columns_predicted", r.confusion}}}};
}

std::string to_text(const eval::ClassificationReport& r) {
  std::size_t w = 12;
  for (const auto& c : r.classes) w = std::max(w, c.name.size());
  std::string s = fmt::format("rows      {}\naccuracy  {:.4f}\nlog-loss  {:.4f}\nROC AUC   {}\n\n",
                              r.rows, r.accuracy, r.log_loss,
                              r.roc_auc ? fmt::format("{:.4f}{}", *r.roc_auc,
                                                      r.classes.size() > 2 ? " (one-vs-rest, macro)" : "")
                                        : std::string("undefined (one class only)"));
  s += fmt::format("{:<{}}  {:>9}  {:>6}  {:>6}  {:>7}\n", "class", w, "precision", "recall", "f1",
                   "support");
  for (const auto& c : r.classes) {
    s += fmt::format("{:<{}}  {:>9.4f}  {:>6.4f}  {:>6.4f}  {:>7}\n", c.name, w, c.precision,
                     c.recall, c.f1, c.support);
  }
  s += fmt::format("{:<{}}  {:>9}  {:>6}  {:>6.4f}  {:>7}\n", "macro avg", w, "", "", r.macro_f1, r.rows);
  s += fmt::format("{:<{}}  {:>9}  {:>6}  {:>6.4f}  {:>7}\n\n", "weighted avg", w, "", "",
                   r.weighted_f1, r.rows);
  s += "confusion matrix (rows: true class, columns: predicted class)\n";
  std::size_t cw = 6;
  for (const auto& c : r.classes) cw = std::max(cw, c.name.size());
  s += fmt::format("{:<{}}", "", w);
  for (const auto& c : r.classes) s += fmt::format("  {:>{}}", c.name, cw);
  s += "\n";
  for (std::size_t k = 0; k < r.classes.size(); ++k) {
    s += fmt::format("{:<{}}", r.classes[k].name, w);
    for (Index n : r.confusion[k]) s += fmt::format("  {:>{}}", n, cw);
    s += "\n";
  }
  return s;
}

// The first line of the table of a weighted evaluation ("" without weights).
std::string weights_note(const model::Model& m, const std::vector<double>* w) {
  if (w == nullptr) return "";
  return "weights   column " + data::quoted(m.weight_column) +
         " (metrics are weighted means; support and the confusion matrix count rows)\n";
}

void run_evaluate(const EvaluateCommand& c) {
  setup_logging(c.common);
  const model::Model m = io::load_model(c.model_path);
  ScoredFile scored = score_file(m, c.data_path, c.csv);
  const Matrix& outputs = scored.outputs;
  const Matrix& y = scored.truth;
  const std::vector<double>& weights = scored.weights;
  const std::vector<double>* w = weights.empty() ? nullptr : &weights;
  std::string text;
  if (m.target.task == data::Task::kClassification) {
    const auto r = eval::classification_report(outputs, class_indexes(y), m.target.classes, w);
    nlohmann::json j = to_json(r);
    if (w != nullptr) {
      j["weight_column"] = m.weight_column;
      for (std::size_t k = 0; k < r.classes.size(); ++k)
        j["classes"][k]["weight"] = r.classes[k].weight;
    }
    text = c.json ? j.dump(2) + "\n" : weights_note(m, w) + to_text(r);
  } else {
    const auto r = eval::regression_report(outputs, y, w);
    nlohmann::json j{{"task", "regression"}, {"rows", r.rows}, {"mse", r.mse},
                     {"rmse", r.rmse},       {"mae", r.mae},   {"r2", r.r2}};
    if (w != nullptr) j["weight_column"] = m.weight_column;
    text = c.json ? j.dump(2) + "\n"
                  : weights_note(m, w) +
                        fmt::format(
                            "rows  {}\nMSE   {:.6g}\nRMSE  {:.6g}\nMAE   {:.6g}\nR^2   {:.4f}\n",
                            r.rows, r.mse, r.rmse, r.mae, r.r2);
  }
  write_output("-", text);
}

}  // namespace

void setup_evaluate(CLI::App& app) {
  auto c = std::make_shared<EvaluateCommand>();
  CLI::App* cmd = app.add_subcommand(
      "evaluate", "Score a saved model on a labelled CSV (the target column named in the model)");
  cmd->footer(help_footer(
      {"nnfit evaluate --model iris.nnfit --data data/iris.test.csv",
       "nnfit evaluate --model iris.nnfit --data data/iris.test.csv --json | jq .accuracy"},
      FooterCodes::kReading));
  add_common_options(*cmd, c->common);
  cmd->add_option("--model", c->model_path, "Model file written by nnfit train")->required();
  cmd->add_option("--data", c->data_path,
                  "CSV with the model's feature columns and its target column ('-' = stdin)")
      ->required();
  add_csv_options(*cmd, c->csv, "(for a model trained with --no-header)");
  cmd->add_flag("--json", c->json,
                "Print the metrics as one JSON object instead of a table. Classification: "
                "accuracy, log_loss, roc_auc, macro_f1, weighted_f1, per-class precision, "
                "recall, f1, support, roc_auc, and the confusion matrix; regression: mse, rmse, "
                "mae, r2. A model trained with --weight-column weighs every metric by that "
                "column when the file has it (weight_column in the JSON)");
  cmd->callback([c] { run_evaluate(*c); });
}

}  // namespace nnfit::cli
