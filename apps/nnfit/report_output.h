// Writing the HTML report (src/report/html_report.h) from the commands: `nnfit report`, and
// `train --report` / `gridsearch --report` at the end of a run.
#pragma once

#include <optional>
#include <string>

#include "cli.h"
#include "report/html_report.h"
#include "train/pipeline.h"
#include "train_flags.h"

namespace nnfit::cli {

// A labelled file scored by m for the report's evaluation section; note says which rows these
// are (shown on the page).
report::Scored scored_for_report(const model::Model& m, const std::string& path,
                                 const CsvFlags& flags, const std::string& note);

// train --report: the run's learning curve (metric: the name --history gives the validation
// metric's column) and the model scored on the --val-data file, or on the training file (the
// page says these rows were trained on); no evaluation for data from stdin (a warning says so).
void write_train_report(const train::TrainRun& run, const std::string& metric,
                        const TrainFlags& flags, const std::string& path);

// gridsearch --report: the search section from the results table (CSV text) and the journal
// in out_dir ("" = none), and the card of the model saved at model_path.
void write_search_report(const std::string& path, const std::string& model_path,
                         const std::string& results_csv, const std::string& out_dir);

// Renders the page and writes it to path ("-" = stdout) atomically; logs where it went.
void write_report(const report::ReportInputs& in, const std::string& path);

}  // namespace nnfit::cli
