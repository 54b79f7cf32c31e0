// Parsing, logging and the mapping from exceptions to exit codes.
#include "cli.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "cli_errors.h"
#include "core/error.h"
#include "interrupt.h"
#include "io/model_io.h"

namespace nnfit::cli {

void add_common_options(CLI::App& cmd, CommonOptions& common) {
  cmd.add_flag("-q,--quiet", common.quiet, "Only warnings and errors on stderr");
  cmd.add_option("--log-level", common.log_level, "Log level on stderr")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
}

bool no_color(const char* no_color_env) { return no_color_env != nullptr && *no_color_env != '\0'; }

void setup_logging(const CommonOptions& common) {
  // Unregistered, so run() can be called repeatedly (in-process CLI tests).
  const auto colors =
      no_color(std::getenv("NO_COLOR")) ? spdlog::color_mode::never : spdlog::color_mode::automatic;
  auto logger = std::make_shared<spdlog::logger>(
      "nnfit", std::make_shared<spdlog::sinks::stderr_color_sink_st>(colors));
  logger->set_pattern("%^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::level::level_enum level = spdlog::level::from_str(common.log_level);
  if (common.quiet && level < spdlog::level::warn) level = spdlog::level::warn;
  spdlog::set_level(level);
}

CLI::Option* add_config_option(CLI::App& cmd, std::string& path) {
  return cmd.add_option("--config", path,
                        "TOML file setting any of these options by long name, e.g. lr = 0.05 "
                        "(flags win; see configs/)");
}

void add_csv_options(CLI::App& cmd, CsvFlags& flags, const std::string& no_header_note) {
  cmd.add_option("--delimiter", flags.delimiter,
                 "Field separator: ',' ';' '|' 'tab' (or a tab character), or auto: tab for "
                 ".tsv files, else detected from the header line")
      ->capture_default_str();
  cmd.add_flag("--no-header", flags.no_header,
               "The CSV has no header row: columns are named 0, 1, ... " + no_header_note);
  cmd.add_option("--na-values", flags.na_values,
                 "Extra missing-value tokens, comma-separated (e.g. NA,?,-999) and trimmed like "
                 "cells; an empty cell is always missing. Missing features need --impute (train)");
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) out.push_back(item);
  return out;
}

data::CsvOptions csv_options(const CsvFlags& flags) {
  data::CsvOptions o;
  const std::string& d = flags.delimiter;
  if (d == "tab" || d == "\\t" || d == "\t") {
    o.delimiter = '\t';
  } else if (d == "," || d == ";" || d == "|") {
    o.delimiter = d[0];
  } else if (d != "auto") {
    throw ConfigError("invalid --delimiter '" + d + "': use ',', ';', '|', 'tab' or auto");
  }
  if (flags.decimal != "." && flags.decimal != ",") {
    throw ConfigError("invalid --decimal '" + flags.decimal + "': use '.' or ','");
  }
  o.decimal = flags.decimal[0];
  o.header = !flags.no_header;
  // Tokens are trimmed like cells, so 'NA, ?' means NA and ?; empty ones add nothing.
  for (const std::string& token : split_list(flags.na_values)) {
    const std::string_view t = data::trim(token);
    if (!t.empty()) o.na_values.emplace_back(t);
  }
  o.warn = [](const std::string& message) { spdlog::warn("{}", message); };
  return o;
}

namespace {
// write_output found standard output closed: run() ends the process by SIGPIPE at the end.
bool g_stdout_closed = false;
}  // namespace

void write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text << std::flush;
    if (!std::cout && errno == EPIPE) {  // the reader has gone: finish the run, then end quietly
      std::cout.clear();
      g_stdout_closed = true;
      return;
    }
    if (!std::cout) throw Error("cannot write to standard output");
    return;
  }
  io::write_file_atomically(path, text);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    q += c;
    if (c == '"') q += '"';
  }
  return q + "\"";
}

namespace {

const char* kTrainingCodes =
    "Exit codes: 0 success; 1 runtime or data error (missing file, bad CSV, bad model,\n"
    "unwritable output); 2 usage or configuration error (also an output that is an input\n"
    "file); 3 training diverged (no model saved); 130 interrupted (Ctrl-C: the best\n"
    "model so far is saved; a second Ctrl-C quits at once).";
const char* kReadingCodes =
    "Exit codes: 0 success; 1 runtime or data error (missing file, bad CSV, a model file that\n"
    "cannot be read, columns that do not match the model, unwritable output); 2 usage error\n"
    "(also an output that is an input file).";
const char* kInspectCodes =
    "Exit codes: 0 success; 1 missing or unreadable model file; 2 usage error.";
const char* kExportCodes =
    "Exit codes: 0 success; 1 runtime error (missing or unreadable model file, a model that\n"
    "cannot be exported faithfully, unwritable output); 2 usage error (also an output that\n"
    "is the model file, a bad --c-prefix).";

}  // namespace

std::string help_footer(const std::vector<std::string>& examples, FooterCodes codes) {
  std::string out = "Examples:\n";
  for (const std::string& e : examples) out += "  " + e + "\n";
  const char* text = codes == FooterCodes::kTraining  ? kTrainingCodes
                     : codes == FooterCodes::kReading ? kReadingCodes
                     : codes == FooterCodes::kExport  ? kExportCodes
                                                      : kInspectCodes;
  return out + "\n" + text;
}

namespace {

int report(const char* what, int code) {
  spdlog::error("{}", what);
  return code;
}

int run_command(int argc, const char* const* argv) {
  try {
    CLI::App app{"nnfit: train multilayer perceptrons on CSV data", "nnfit"};
    app.require_subcommand(1);
    app.footer(help_footer(
        {"nnfit train --data data/iris.csv --target species --model iris.nnfit",
         "nnfit predict --model iris.nnfit --data data/iris.test.csv > predictions.csv",
         "cat data/iris.test.csv | nnfit predict --model iris.nnfit --data - | tail -n +2 | "
         "sort | uniq -c",
         "nnfit train --help    (every option of a command, with its default)"}));
    app.set_version_flag("--version", "nnfit 0.1.0");
    setup_train(app);
    setup_predict(app);
    setup_evaluate(app);
    setup_inspect(app);
    setup_gridsearch(app);
    setup_gradcheck(app);
    setup_curvature(app);
    setup_plot(app);
    setup_importance(app);
    setup_export(app);
    setup_report(app);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
      return report(parse_error_message(app, e).c_str(), kUsageError);
    }
    return kOk;
  } catch (const ConfigError& e) {
    return report(e.what(), kUsageError);
  } catch (const Interrupted& e) {
    spdlog::warn("{}", e.what());
    return kInterrupted;
  } catch (const TrainingDiverged& e) {
    return report(e.what(), kDiverged);
  } catch (const std::exception& e) {
    return report(e.what(), kRuntimeError);
  }
}

}  // namespace

int run(int argc, const char* const* argv) {
  setup_logging({});  // before anything can log: spdlog's own default writes to stdout
  const SignalCleanup cleanup;
  g_stdout_closed = false;
  const int code = run_command(argc, argv);
  if (g_stdout_closed) die_of_closed_stdout();  // after every file of the run is written
  return code;
}

}  // namespace nnfit::cli
