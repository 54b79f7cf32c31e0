// The progress of `nnfit gridsearch`: after each finished training, the journal line, the best
// trial's model so far (--out-dir) and a log line with the best score so far.
#pragma once

#include <chrono>
#include <limits>
#include <string>
#include <utility>

#include "search/journal.h"
#include "search/search.h"
#include "search/select.h"

namespace nnfit::cli {

class TrialLog {
 public:
  // journal: null without --out-dir; log: false with --no-progress.
  TrialLog(search::Journal* journal, const std::string& out_dir, bool log, search::Scoring scoring);
  void operator()(const search::TrialResult& r, std::size_t done, std::size_t total);

 private:
  bool better(const search::TrialResult& r) const;
  search::Journal* journal_;
  std::string out_dir_;
  bool log_;
  search::Scoring scoring_;
  std::chrono::steady_clock::time_point t0_;
  // The best so far: the latest rung reached, then the lowest score (select.h score()).
  std::pair<int, double> best_{0, std::numeric_limits<double>::infinity()};
};

}  // namespace nnfit::cli
