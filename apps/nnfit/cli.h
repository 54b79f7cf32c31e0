// The nnfit command line: CLI11 parsing, logging set-up and exit codes. Everything else lives
// in the library (src/).
#pragma once

#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "data/csv.h"
#include "model/model.h"
#include "report/term_plot.h"

namespace nnfit::cli {

// Exit codes, documented in the README and --help.
enum ExitCode : int {
  kOk = 0,
  kRuntimeError = 1,
  kUsageError = 2,
  kDiverged = 3,
  kInterrupted = 130,  // 128 + SIGINT, as a shell reports a process killed by Ctrl-C
};
// Thrown after an interrupted run has saved what it could; run() returns kInterrupted.
struct Interrupted : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Rows that predict and evaluate read, predict and write per chunk (bounded memory on any input).
inline constexpr std::size_t kChunkRows = 4096;

// Options every subcommand has.
struct CommonOptions {
  bool quiet = false;
  std::string log_level = "info";
};

// Adds --quiet and --log-level to a subcommand.
void add_common_options(CLI::App& cmd, CommonOptions& common);
// Configures the default spdlog logger: stderr only, level from the options; coloured levels
// on a terminal unless NO_COLOR is set to a non-empty value (https://no-color.org).
void setup_logging(const CommonOptions& common);
// Whether the value of NO_COLOR (null if unset) turns colour off: any non-empty value does.
bool no_color(const char* no_color_env);
// Adds --config FILE to a subcommand. CLI11 2.1 reads config files only for the top-level
// app, so apply_config_file does it for subcommands: every key of the TOML file (a long flag
// name without dashes, '-' or '_'; optionally under a [NAME] section for the subcommand) sets
// its option unless the command line already did. Unknown keys are a ConfigError.
CLI::Option* add_config_option(CLI::App& cmd, std::string& path);
void apply_config_file(CLI::App& cmd, const std::string& path);
// CSV dialect flags shared by the subcommands that read CSV.
struct CsvFlags {
  std::string delimiter = "auto";
  bool no_header = false;
  std::string na_values;  // comma-separated missing-value tokens
  std::string decimal = ".";  // --decimal (train and gridsearch; predict takes the model's)
};
// The effective configuration of a parsed subcommand as TOML that --config reads back: every
// long option except help, config and print-config, from the command line, the config file, or
// its default, one `key = value` per line.
std::string effective_config(const CLI::App& cmd);

// Adds --delimiter, --no-header and --na-values; no_header_note ends --no-header's help.
void add_csv_options(CLI::App& cmd, CsvFlags& flags, const std::string& no_header_note);
// The reader options for the flags; warnings go to spdlog's warn level. Throws ConfigError.
data::CsvOptions csv_options(const CsvFlags& flags);
// The reader options for a file read against model m: the flags, plus m's categorical
// columns, missing-value tokens and imputation; m's target and ignored columns are skipped
// without a warning.
data::CsvOptions model_csv_options(const CsvFlags& flags, const model::Model& m);
// "a,b" -> {"a", "b"}; "" -> {}.
std::vector<std::string> split_list(const std::string& s);
// Writes text to path atomically, or to stdout when path is "" or "-".
void write_output(const std::string& path, const std::string& text);
// Quotes a CSV field per RFC 4180 when it contains a comma, quote, CR or LF.
std::string csv_field(const std::string& s);

// A help footer: "Examples:" with the given lines (each a command), then the exit codes of
// the command: kTraining for train, gridsearch and nnfit itself (divergence, Ctrl-C saving the
// best model), kReading for predict and evaluate, kInspect for inspect, kExport for export.
enum class FooterCodes { kTraining, kReading, kInspect, kExport };
std::string help_footer(const std::vector<std::string>& examples,
                        FooterCodes codes = FooterCodes::kTraining);

// Subcommands: setup_X registers the options; the callback runs the command.
void setup_train(CLI::App& app);
void setup_predict(CLI::App& app);
void setup_evaluate(CLI::App& app);
void setup_inspect(CLI::App& app);
void setup_gridsearch(CLI::App& app);
void setup_gradcheck(CLI::App& app);
void setup_curvature(CLI::App& app);
void setup_plot(CLI::App& app);
void setup_importance(CLI::App& app);
// The learning-curve plot as text, one line per plot line (nnfit plot, train --plot).
std::string plot_text(const report::LearningCurve& curve, const report::PlotStyle& style);
void setup_export(CLI::App& app);
void setup_report(CLI::App& app);
// For tests: called on gradcheck's network before the check (GradcheckOptions::prepare), e.g. to
// swap in a layer with a deliberately wrong bprop. Empty by default.
std::function<void(nn::Network&)>& gradcheck_prepare_hook();

// Parses argv and runs the chosen subcommand; returns the exit code. Never throws.
int run(int argc, const char* const* argv);

}  // namespace nnfit::cli
