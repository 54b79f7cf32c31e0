// The options of `nnfit gridsearch` (and of `gridsearch merge`, which reads them back from a
// search's config.toml), shared by the files of the command.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "output_paths.h"
#include "search/halving.h"
#include "search/search.h"
#include "train_flags.h"

namespace nnfit::cli {

struct GridsearchCommand : TrainFlags {
  std::vector<std::string> grid, space;
  int trials = 0;
  int jobs = 1;
  std::string results_path;
  std::string out_dir;
  long max_trials = 0;
  double max_time = 0;
  std::string shard;  // "I/N"
  std::string folds = "auto";    // auto | 0 | K >= 2 (search_scheme.h)
  std::string repeats = "auto";  // auto | N >= 1
  std::string scoring = "loss";  // search/select.h
  std::string select = "best";   // best | 1se
  std::string sampler = "auto";  // auto | random | tpe
  bool no_baseline = false;      // --no-baseline: no train-configuration trial, no preference
  bool halving = false;
  search::HalvingOptions halving_options;
  // gridsearch merge: the trials of the merged journals; nothing new is run.
  std::map<std::string, search::TrialResult> merged;
  bool merging = false;
  std::vector<PathFlag> merge_inputs;  // the merged folders' config.toml and journals
  std::string refit_mode = "protocol";  // --refit: search/final.h (default by measurement)
  bool json = false;                   // --json: a summary on stdout (needs --results)
  std::string report_path;             // --report: the HTML report (report_output.h)
};

}  // namespace nnfit::cli
