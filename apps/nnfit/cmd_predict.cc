// `nnfit predict`: applies a saved model to a CSV (columns matched by name), streaming it in
// chunks so memory stays bounded whatever the file size, and writes one output row per input
// row, in order: the --keep columns, the prediction, and with --proba one probability per class.
#include <spdlog/spdlog.h>

#include <cerrno>
#include <charconv>
#include <iostream>
#include <memory>
#include <optional>

#include "cli.h"
#include "core/error.h"
#include "data/dataset.h"
#include "interrupt.h"
#include "io/atomic_file.h"
#include "io/model_io.h"
#include "output_paths.h"

namespace nnfit::cli {
namespace {

struct PredictCommand {
  CommonOptions common;
  std::string model_path;
  std::string data_path;
  std::string output_path;
  std::vector<std::string> keep;  // each a comma-separated list (--keep may repeat)
  bool proba = false;
  CsvFlags csv;
};

// Standard output (flushed per chunk, so `| head` sees rows early) or a file that appears
// complete or not at all.
class Output {
 public:
  explicit Output(const std::string& path) {
    if (!path.empty() && path != "-") file_.emplace(path);
  }
  void write(const std::string& text) {
    if (file_) {
      file_->write(text);
      return;
    }
    std::cout << text << std::flush;
    if (!std::cout && errno == EPIPE) die_of_closed_stdout();  // `| head`: stop, as SIGPIPE did
    if (!std::cout) throw Error("cannot write to standard output");
  }
  void commit() {
    if (file_) file_->commit();
  }

 private:
  std::optional<io::AtomicFile> file_;
};

std::string header(const std::vector<std::string>& keep, const model::Model& m, bool proba) {
  std::string line;
  for (const std::string& k : keep) line += csv_field(k) + ",";
  line += "prediction";
  if (proba) {
    for (const std::string& c : m.target.classes) line += "," + csv_field("p_" + c);
  }
  return line + "\n";
}

void append_float(std::string& out, float v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

// The CSV rows of one chunk. kept: keep.size() cells per row.
std::string rows_text(const model::Model& m, const Matrix& outputs,
                      const std::vector<std::string>& kept, std::size_t n_keep, bool proba) {
  const std::vector<std::string> labels = model::prediction_labels(m, outputs);
  std::string text;
  for (std::size_t j = 0; j < labels.size(); ++j) {
    for (std::size_t k = 0; k < n_keep; ++k) text += csv_field(kept[j * n_keep + k]) + ",";
    text += csv_field(labels[j]);
    if (proba) {
      const auto col = static_cast<Index>(j);
      if (outputs.rows() == 1) {  // two classes: the output is P(second class)
        text += ",";
        append_float(text, 1.0f - outputs(0, col));
        text += ",";
        append_float(text, outputs(0, col));
      } else {
        for (Index k = 0; k < outputs.rows(); ++k) {
          text += ",";
          append_float(text, outputs(k, col));
        }
      }
    }
    text += '\n';
  }
  return text;
}

void run_predict(const PredictCommand& c) {
  setup_logging(c.common);
  const model::Model m = io::load_model(c.model_path);
  if (c.proba && m.target.task != data::Task::kClassification) {
    throw ConfigError("--proba needs a classifier; '" + c.model_path + "' is a regression model");
  }
  const data::CsvOptions csv = model_csv_options(c.csv, m);
  std::vector<std::string> keep;
  for (const std::string& list : c.keep) {
    for (std::string& name : split_list(list)) keep.push_back(std::move(name));
  }
  check_output_paths({{"--model", c.model_path}, {"--data", c.data_path}},
                     {{"--output", c.output_path.empty() ? "-" : c.output_path}});
  data::FeatureStream stream(c.data_path, m.features.names(), csv, keep);
  stream.allow_no_rows();
  Output out(c.output_path);
  // The header goes out with the first chunk, so an error in it leaves stdout empty.
  std::string text = header(keep, m, c.proba);
  data::Dataset chunk;
  std::vector<std::string> kept;
  data::UnseenCategories unseen;
  std::size_t rows = 0;
  while (stream.next(chunk, &kept, kChunkRows)) {
    const Matrix outputs = model::predict_outputs(m, std::move(chunk), csv.warn, &unseen);
    text += rows_text(m, outputs, kept, keep.size(), c.proba);
    out.write(text);
    text.clear();
    rows += static_cast<std::size_t>(outputs.cols());
  }
  if (rows == 0) {
    spdlog::warn("{}: no data rows after the header; wrote the header only",
                 c.data_path == "-" ? "<stdin>" : c.data_path);
    out.write(text);
  }
  unseen.warn(csv.warn);
  out.commit();
  spdlog::debug("wrote {} predictions", rows);
}

}  // namespace

data::CsvOptions model_csv_options(const CsvFlags& flags, const model::Model& m) {
  data::CsvOptions csv = csv_options(flags);
  csv.ignore = m.ignored_columns;  // the target and --ignore columns are expected extras
  csv.ignore.push_back(m.target_name);
  if (!m.weight_column.empty()) csv.ignore.push_back(m.weight_column);  // not a feature
  csv.categorical = m.features.categorical_names();
  csv.na_values.insert(csv.na_values.begin(), m.na_values.begin(), m.na_values.end());
  csv.allow_missing = m.features.impute != data::Impute::kNone;
  csv.decimal = m.decimal;
  return csv;
}

void setup_predict(CLI::App& app) {
  auto c = std::make_shared<PredictCommand>();
  CLI::App* cmd = app.add_subcommand("predict", "Predict with a saved model, one row per input row");
  cmd->footer(help_footer(
      {"nnfit predict --model iris.nnfit --data data/iris.test.csv --output predictions.csv",
       "cat data/iris.test.csv | nnfit predict --model iris.nnfit --data - --keep species "
       "--proba | head"},
      FooterCodes::kReading));
  add_common_options(*cmd, c->common);
  cmd->add_option("--model", c->model_path, "Model file written by nnfit train")->required();
  cmd->add_option("--data", c->data_path,
                  "CSV with the model's feature columns, matched by name ('-' = stdin); read in "
                  "chunks, so any size works")
      ->required();
  add_csv_options(*cmd, c->csv, "(for a model trained with --no-header)");
  cmd->add_option("--output", c->output_path,
                  "Output CSV (default or '-': stdout); a file appears only when complete (a "
                  "device or FIFO such as /dev/stdout is written directly); the --data or "
                  "--model file is refused (exit 2)");
  cmd->add_option("--keep", c->keep,
                  "Columns of the input to copy to the output before the prediction, "
                  "comma-separated (e.g. id); may be repeated")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_flag("--proba", c->proba,
                "Also write one probability column p_<class> per class, in the model's class "
                "order (classifiers only)");
  cmd->callback([c] { run_predict(*c); });
}

}  // namespace nnfit::cli
