// `nnfit export`: writes a saved model as a standard ONNX model of the whole pipeline or as a
// dependency-free C99 header (src/export/).
#include <spdlog/spdlog.h>

#include <memory>

#include "cli.h"
#include "core/error.h"
#include "export/c_export.h"
#include "export/onnx_export.h"
#include "io/model_io.h"
#include "output_paths.h"

namespace nnfit::cli {
namespace {

struct ExportCommand {
  CommonOptions common;
  std::string model_path;
  std::string format;
  std::string output_path;
  std::string c_prefix = "nnfit";
};

void run_export(const ExportCommand& c) {
  setup_logging(c.common);
  check_output_paths({{"--model", c.model_path}}, {{"--output", c.output_path}});
  const model::Model m = io::load_model(c.model_path);
  const std::string text = c.format == "onnx" ? exporting::onnx_model(m)
                                              : exporting::c_header(m, c.c_prefix);
  write_output(c.output_path, text);
  spdlog::info("wrote {} ({} bytes)", c.output_path == "-" ? "<stdout>" : c.output_path,
               text.size());
}

std::string format_help() {
  return "onnx: the whole pipeline as a standard ONNX model (default-domain opset " +
         std::to_string(exporting::kOnnxOpset) + ", ai.onnx.ml opset " +
         std::to_string(exporting::kOnnxMlOpset) + ", IR version " +
         std::to_string(exporting::kOnnxIrVersion) +
         "; tested with ONNX Runtime 1.23.2): one input per model column named after the CSV "
         "column (numeric: float [N,1], NaN = missing; text: string [N,1], the trimmed cell); "
         "outputs 'label' (string [N]) and 'probabilities' (float [N,K], class order; two "
         "classes: 1-p and p) for a classifier, 'variable' (float [N,1], target units) for "
         "regression. c: one C99 header with the weights and <prefix>_predict(const float* x, "
         "float* out); see the header's first comment";
}

}  // namespace

void setup_export(CLI::App& app) {
  auto c = std::make_shared<ExportCommand>();
  CLI::App* cmd = app.add_subcommand(
      "export", "Export a saved model (preprocessing, network and output) as ONNX or as a C header");
  cmd->footer(help_footer(
      {"nnfit export --model iris.nnfit --format onnx --output iris.onnx",
       "nnfit export --model iris.nnfit --format c --output iris_model.h --c-prefix iris",
       "cc -std=c99 -O2 main.c -lm    (main.c: #include \"iris_model.h\", then "
       "iris_predict(x, out))"},
      FooterCodes::kExport));
  add_common_options(*cmd, c->common);
  cmd->add_option("--model", c->model_path, "Model file written by nnfit train")->required();
  cmd->add_option("--format", c->format, format_help())
      ->required()
      ->check(CLI::IsMember({"onnx", "c"}));
  cmd->add_option("--output", c->output_path,
                  "File to write ('-': stdout); it appears only when complete; the --model file "
                  "is refused (exit 2)")
      ->required();
  cmd->add_option("--c-prefix", c->c_prefix,
                  "--format c: the prefix of every name in the header (functions, tables; "
                  "upper-cased for macros), so several models fit in one program")
      ->capture_default_str();
  cmd->callback([c] {
    if (c->format != "c" && c->c_prefix != "nnfit") {
      throw ConfigError("--c-prefix applies to --format c only");
    }
    run_export(*c);
  });
}

}  // namespace nnfit::cli
