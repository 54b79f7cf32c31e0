// `nnfit curvature`: the ends of the loss Hessian's spectrum for a trained model on a labelled
// CSV (train/lr_auto.h spectrum): lambda_max, lambda_min and the condition number, as text or
// JSON.
#include <spdlog/fmt/fmt.h>

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "core/error.h"
#include "data/dataset.h"
#include "data/target.h"
#include "io/model_io.h"
#include "train/lr_auto.h"

namespace nnfit::cli {
namespace {

struct CurvatureCommand {
  CommonOptions common;
  std::string model_path;
  std::string data_path;
  bool json = false;
  CsvFlags csv;
};

// The file's features through the model's preprocessing, and its targets as training saw them
// (regression targets standardised with the model's mean and scale).
void read_labelled(const model::Model& m, const CurvatureCommand& c, Matrix& x, Matrix& y) {
  data::CsvOptions csv = model_csv_options(c.csv, m);
  csv.ignore.pop_back();  // the target: read here, not ignored
  data::Dataset d = data::read_dataset(c.data_path, m.target_name, csv);
  y = data::encode_target(d, m.target);
  if (m.target.task == data::Task::kRegression) {
    y = ((y.array().cast<double>() - m.target_mean) / m.target_scale).cast<Scalar>().matrix();
  }
  x = m.features.transform(std::move(d), csv.warn);
}

nlohmann::json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

std::string to_text(const train::Spectrum& s) {
  std::string t = fmt::format("rows        {}\n", s.rows);
  t += fmt::format("lambda_max  {:.6g}  ({} power iterations{})\n", s.lambda_max, s.iterations_max,
                   s.converged_max ? "" : ", not converged");
  t += fmt::format("lambda_min  {:.6g}  (an upper bound; {} power iterations{})\n", s.lambda_min,
                   s.iterations_min, s.converged_min ? "" : ", not converged");
  t += s.indefinite() ? "condition   none: the Hessian is indefinite (lambda_min <= 0)\n"
                      : fmt::format("condition   {:.6g}  (a lower bound)\n", s.condition());
  t += fmt::format("lr rule     1 / lambda_max = {:.6g}\n", 1.0 / s.lambda_max);
  return t;
}

void run_curvature(const CurvatureCommand& c) {
  setup_logging(c.common);
  const model::Model m = io::load_model(c.model_path);
  Matrix x, y;
  read_labelled(m, c, x, y);
  nn::Network net(m.spec);
  net.params() = m.params;
  const train::Spectrum s = train::spectrum(net, x, y, m.options.l2, m.options.seed);
  const nlohmann::json j = {{"rows", s.rows},
                            {"lambda_max", s.lambda_max},
                            {"lambda_min", s.lambda_min},
                            {"indefinite", s.indefinite()},
                            {"condition", number_or_null(s.condition())},
                            {"iterations_max", s.iterations_max},
                            {"iterations_min", s.iterations_min},
                            {"converged_max", s.converged_max},
                            {"converged_min", s.converged_min}};
  write_output("-", c.json ? j.dump(2) + "\n" : to_text(s));
}

}  // namespace

void setup_curvature(CLI::App& app) {
  auto c = std::make_shared<CurvatureCommand>();
  CLI::App* cmd =
      app.add_subcommand("curvature",
                         "Curvature of a trained model's loss on a labelled CSV: lambda_max and "
                         "lambda_min of the Hessian (power iteration) and the condition number");
  cmd->footer(help_footer(
      {"nnfit curvature --model iris.nnfit --data data/iris.csv",
       "nnfit curvature --model iris.nnfit --data data/iris.csv --json | jq .condition"},
      FooterCodes::kReading));
  add_common_options(*cmd, c->common);
  cmd->add_option("--model", c->model_path, "Model file written by nnfit train")->required();
  cmd->add_option("--data", c->data_path,
                  "CSV with the model's feature columns and its target column; up to 1000 "
                  "evenly spaced rows are used")
      ->required();
  add_csv_options(*cmd, c->csv, "(for a model trained with --no-header)");
  cmd->add_flag("--json", c->json,
                "Print rows, lambda_max, lambda_min, indefinite, condition (null when "
                "indefinite), iterations and convergence as JSON");
  cmd->callback([c] { run_curvature(*c); });
}

}  // namespace nnfit::cli
