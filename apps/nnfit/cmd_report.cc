// `nnfit report`: one self-contained HTML page (inline SVG and CSS, no script) from a model and
// optionally its learning curve, a labelled file, a search's --out-dir and an importance JSON.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>
#include <sstream>

#include "cli.h"
#include "core/error.h"
#include "io/model_io.h"
#include "output_paths.h"
#include "report_output.h"
#include "scored_file.h"
#include "train_flags.h"

namespace nnfit::cli {
namespace {

struct ReportCommand {
  CommonOptions common;
  std::string model_path, history_path, data_path, out_dir, importance_path, output_path;
  CsvFlags csv;
};

std::string results_path(const std::string& out_dir) {
  return out_dir.empty() ? "" : (std::filesystem::path(out_dir) / "results.csv").string();
}

// The journal of a search's out-dir (for the halving rungs), or null if it has none.
const std::vector<report::JournalTrial>* journal_if_any(
    const std::string& out_dir, std::optional<std::vector<report::JournalTrial>>& journal) {
  const std::string path = (std::filesystem::path(out_dir) / "journal.jsonl").string();
  if (out_dir.empty() || !std::filesystem::is_regular_file(path)) return nullptr;
  return &journal.emplace(report::read_journal(path));
}

void run_report(const ReportCommand& c) {
  setup_logging(c.common);
  check_output_paths({{"--model", c.model_path}, {"--history", c.history_path},
                      {"--data", c.data_path}, {"--importance", c.importance_path},
                      {"--out-dir (results.csv)", results_path(c.out_dir)}},
                     {{"--output", c.output_path}});
  const model::Model m = io::load_model(c.model_path);
  report::ReportInputs in;
  in.model = &m;
  in.model_source = c.model_path;
  std::optional<report::History> history;
  std::optional<report::Scored> scored;
  std::optional<report::Importance> importance;
  std::optional<report::Table> search;
  std::optional<std::vector<report::JournalTrial>> journal;
  if (!c.history_path.empty()) in.history = &history.emplace(report::read_history(c.history_path));
  if (!c.data_path.empty()) {
    in.scored = &scored.emplace(scored_for_report(m, c.data_path, c.csv, "every row, as given"));
  }
  if (!c.importance_path.empty()) {
    in.importance = &importance.emplace(report::read_importance(c.importance_path));
  }
  if (!c.out_dir.empty()) {
    if (!std::filesystem::is_regular_file(results_path(c.out_dir))) {
      throw DataError("'" + c.out_dir + "' holds no results.csv: give the --out-dir of a "
                      "finished nnfit gridsearch (results.csv is written at its end)");
    }
    in.search = &search.emplace(report::read_results(results_path(c.out_dir)));
    in.search_source = c.out_dir;
    in.journal = journal_if_any(c.out_dir, journal);
  }
  write_report(in, c.output_path);
}

}  // namespace

report::Scored scored_for_report(const model::Model& m, const std::string& path,
                                 const CsvFlags& flags, const std::string& note) {
  ScoredFile f = score_file(m, path, flags, "report");
  return {f.labels.source, note, std::move(f.outputs), std::move(f.truth)};
}

// The run's learning curve as --history has it, from the epochs in memory.
report::History run_history(const train::FitResult& fit, const std::string& metric) {
  report::History h;
  h.source = "this training run";
  h.metric = metric;
  for (const train::EpochReport& r : fit.history) {
    h.epoch.push_back(r.epoch);
    h.train_loss.push_back(r.train_loss);
    h.val_loss.push_back(r.val_loss);
    h.val_metric.push_back(r.val_metric);
    h.lr.push_back(r.lr);
  }
  return h;
}

void write_train_report(const train::TrainRun& run, const std::string& metric,
                        const TrainFlags& c, const std::string& path) {
  const report::History history = run_history(run.fit, metric);
  report::ReportInputs in;
  in.model = &run.model;
  in.model_source = c.model_path;
  if (!history.epoch.empty()) in.history = &history;
  const bool val = !c.data.val_data.empty();
  const std::string& file = val ? c.data.val_data : c.data.data;
  std::optional<report::Scored> scored;
  if (file == "-") {
    spdlog::warn("--report: the data came from stdin and cannot be read again, so the report "
                 "has no evaluation; run nnfit report --model {} --data FILE", c.model_path);
  } else {
    in.scored = &scored.emplace(scored_for_report(
        run.model, file, c.csv,
        val ? "the --val-data file (not trained on; early stopping chose the epoch on it)"
            : "the training file, every row: the model was trained on them, so these scores are "
              "optimistic (nnfit report --data scores a held-out file)"));
  }
  write_report(in, path);
}

void write_search_report(const std::string& path, const std::string& model_path,
                         const std::string& results_csv, const std::string& out_dir) {
  const model::Model m = io::load_model(model_path);
  std::istringstream csv(results_csv);
  const std::string source = out_dir.empty() ? "this search" : out_dir;
  const report::Table t = report::read_results(source, csv);
  std::optional<std::vector<report::JournalTrial>> journal;
  report::ReportInputs in;
  in.model = &m;
  in.model_source = model_path;
  in.search = &t;
  in.search_source = source;
  in.journal = journal_if_any(out_dir, journal);
  write_report(in, path);
}

void write_report(const report::ReportInputs& in, const std::string& path) {
  write_output(path, report::html_report(in));
  if (path != "-") spdlog::info("report written to {}", path);
}

void setup_report(CLI::App& app) {
  auto c = std::make_shared<ReportCommand>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Write one self-contained HTML page (inline SVG, no scripts, opens offline): "
                "learning curves, evaluation plots, importance, search plots and the model card");
  cmd->footer(help_footer(
      {"nnfit report --model iris.nnfit --history iris.history.csv --data data/iris.test.csv "
       "--output iris.html",
       "nnfit report --model best.nnfit --out-dir search/ --output search.html",
       "nnfit report --model iris.nnfit --importance importance.json --output - > page.html",
       "nnfit train --data data/iris.csv --model iris.nnfit --report iris.html   (at the end of "
       "a run)"},
      FooterCodes::kReading));
  add_common_options(*cmd, c->common);
  cmd->add_option("--model", c->model_path, "Model file written by nnfit train or gridsearch")
      ->required();
  cmd->add_option("--history", c->history_path,
                  "Learning curve CSV of nnfit train --history: loss, validation metric and "
                  "learning rate per epoch, the best epoch marked");
  cmd->add_option("--data", c->data_path,
                  "Labelled CSV with the model's columns and target ('-' = stdin): confusion "
                  "matrix, per-class precision/recall/F1 and ROC curves, or predicted vs actual "
                  "and residuals");
  add_csv_options(*cmd, c->csv, "(for a model trained with --no-header)");
  cmd->add_option("--out-dir", c->out_dir,
                  "A finished gridsearch's --out-dir: its results table, validation loss "
                  "against each searched key, and the halving rungs");
  cmd->add_option("--importance", c->importance_path,
                  "JSON of nnfit importance --json: a bar chart of each column's permutation "
                  "importance");
  cmd->add_option("--output", c->output_path, "The HTML file to write ('-' = stdout)")->required();
  cmd->callback([c] { run_report(*c); });
}

}  // namespace nnfit::cli
