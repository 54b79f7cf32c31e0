// `nnfit inspect`: what a model file holds (everything but the weights), as text or JSON.
#include <spdlog/fmt/fmt.h>

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "data/text.h"
#include "io/model_io.h"

namespace nnfit::cli {
namespace {

struct InspectCommand {
  CommonOptions common;
  std::string model_path;
  bool json = false;
};

// The model file's own sections, without the weights and the checksum; "version" is the
// file's format version.
nlohmann::json model_json(const model::Model& m, int version) {
  nlohmann::json j = io::model_header(m);
  j["version"] = version;
  return j;
}

std::string column_text(const data::FeatureColumn& c) {
  std::string s = "  " + data::quoted(c.name) + ": ";
  if (c.categorical) {
    s += "categorical, " + std::to_string(c.categories.size()) + " categories " +
         data::list_names(c.categories);
    if (!std::isnan(c.fill)) s += ", missing -> " + data::quoted(c.categories[static_cast<std::size_t>(c.fill)]);
  } else {
    s += fmt::format("numeric, mean {:g}, scale {:g}", c.mean, c.scale);
    if (!std::isnan(c.fill)) s += fmt::format(", missing -> {:g}", c.fill);
  }
  return s + "\n";
}

std::string text(const model::Model& m, const nlohmann::json& j) {
  const auto& a = j.at("architecture");
  std::string s = fmt::format("format      nnfit-model version {}\n", j.at("version").get<int>());
  s += "task        " + data::task_name(m.target.task) + ", target " + data::quoted(m.target_name) + "\n";
  if (m.target.task == data::Task::kClassification) {
    s += "classes     " + data::list_names(m.target.classes) + "\n";
  } else {
    s += fmt::format("target      standardised with mean {:g}, scale {:g}\n", m.target_mean, m.target_scale);
  }
  const Index outputs = a.at("outputs").get<Index>();
  s += fmt::format("network     {} inputs -> hidden {} ({}) -> {} output{}, loss {}; {} parameters\n",
                   a.at("inputs").get<Index>(), a.at("hidden").dump(), a.at("activations").dump(),
                   outputs, outputs == 1 ? "" : "s", a.at("loss").get<std::string>(),
                   a.at("parameters").get<Index>());
  s += "impute      " + data::impute_name(m.features.impute) + "\n";
  if (!m.na_values.empty()) s += "na-values   " + data::list_names(m.na_values) + "\n";
  if (!m.ignored_columns.empty()) s += "ignored     " + data::list_names(m.ignored_columns) + "\n";
  if (!m.weight_column.empty()) s += "weights     column " + data::quoted(m.weight_column) + "\n";
  s += fmt::format("columns     {}\n", m.features.columns.size());
  for (const auto& c : m.features.columns) s += column_text(c);
  s += "hyper-parameters " + j.at("hyperparameters").dump() + "\n";
  s += fmt::format("seed        {}\n", m.options.seed);
  const auto& mt = m.metrics;
  s += fmt::format("best epoch  {} of {}{}\n", mt.value("best_epoch", 0), mt.value("epochs_run", 0),
                   mt.value("interrupted", false) ? " (interrupted)" : "");
  s += "train       " + mt.value("train", nlohmann::json::object()).dump() + "\n";
  s += "validation  " + mt.value("validation", nlohmann::json::object()).dump() + "\n";
  // How the weights were chosen: train's protocol, a refit's epochs, a search's record.
  for (const char* key : {"protocol", "refit", "search"}) {
    if (mt.contains(key)) s += fmt::format("{:<12}{}\n", key, mt.at(key).dump());
  }
  return s;
}

void run_inspect(const InspectCommand& c) {
  setup_logging(c.common);
  int version = 0;
  const model::Model m = io::load_model(c.model_path, &version);
  const nlohmann::json j = model_json(m, version);
  write_output("-", c.json ? j.dump(2) + "\n" : text(m, j));
}

}  // namespace

void setup_inspect(CLI::App& app) {
  auto c = std::make_shared<InspectCommand>();
  CLI::App* cmd = app.add_subcommand(
      "inspect", "Show what a model file holds: architecture, preprocessing, classes, "
                 "hyper-parameters, seed and training metrics");
  cmd->footer(help_footer(
      {"nnfit inspect iris.nnfit", "nnfit inspect iris.nnfit --json | jq .features.columns"},
      FooterCodes::kInspect));
  add_common_options(*cmd, c->common);
  auto* path = cmd->add_option("model", c->model_path, "Model file written by nnfit train");
  auto* flag = cmd->add_option("--model", c->model_path, "The same, as a flag");
  path->excludes(flag);
  cmd->add_flag("--json", c->json,
                "Print the model file's JSON without the weights (format, version, task, "
                "features with their preprocessing, target, architecture, hyperparameters, "
                "seed, metrics)");
  cmd->callback([c] {
    if (c->model_path.empty()) throw ConfigError("give the model file: nnfit inspect MODEL");
    run_inspect(*c);
  });
}

}  // namespace nnfit::cli
