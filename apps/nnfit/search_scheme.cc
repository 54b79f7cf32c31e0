#include "search_scheme.h"

#include <spdlog/spdlog.h>

#include "core/error.h"
#include "data_summary.h"
#include "search/final.h"
#include "train/protocol.h"

namespace nnfit::cli {
namespace {

// "5-fold cross-validation x 3 repeats (--folds auto, --repeats auto)".
std::string describe_scheme(const Scheme& s, Index val_rows) {
  std::string out = s.folds > 0 ? fmt::format("{}-fold cross-validation", s.folds)
                                : fmt::format("one validation split of {} rows", val_rows);
  if (s.repeats > 1) out += fmt::format(" x {} repeats", s.repeats);
  std::vector<std::string> why;
  if (s.auto_folds) why.push_back("--folds auto");
  if (s.auto_repeats && s.folds > 0) why.push_back("--repeats auto");
  if (!why.empty()) out += " (" + fmt::format("{}", fmt::join(why, ", ")) + ")";
  return out;
}

}  // namespace

int parse_count(const std::string& text, const std::string& flag, int min) {
  if (text == "auto") return -1;
  try {
    std::size_t end = 0;
    const int v = std::stoi(text, &end);
    if (end == text.size() && v >= min) return v;
  } catch (const std::exception&) {
  }
  throw ConfigError("invalid " + flag + " '" + text + "': expected auto or a whole number >= " +
                    std::to_string(min));
}

Scheme resolve_scheme(const GridsearchCommand& c, Index rows) {
  Scheme s;
  const int folds = parse_count(c.folds, "--folds", 0), repeats = parse_count(c.repeats, "--repeats", 1);
  if (folds == 1) throw ConfigError("invalid --folds 1: use 0 (one validation split) or K >= 2");
  const bool one_split = !c.data.val_data.empty() || c.val_split_flag ||
                         c.data.val_split != train::DataOptions{}.val_split ||
                         search::parse_final_model(c.refit_mode) == search::FinalModel::kTrial;
  s.auto_folds = folds < 0;
  s.folds = folds >= 0 ? folds : one_split ? 0 : train::auto_folds(rows);
  s.auto_repeats = repeats < 0;
  s.repeats = repeats > 0 ? repeats : s.folds > 0 && rows <= kAutoRepeatRows ? kAutoRepeats : 1;
  if (s.folds > 0 && !c.data.val_data.empty()) {
    throw ConfigError("--folds and --val-data exclude each other");
  }
  if (s.repeats > 1 && !c.data.val_data.empty()) {
    throw ConfigError("--repeats draws new validation splits; --val-data is one fixed split");
  }
  return s;
}

std::vector<train::PreparedData> prepare_sets(const GridsearchCommand& c, const Scheme& s,
                                              std::size_t n_candidates, train::InputData& in) {
  std::vector<train::PreparedData> sets;
  for (int r = 0; r < s.repeats; ++r) {
    Rng split_rng(c.opt.seed ^ (0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(r)));
    if (s.folds > 0) {
      for (auto& f : train::prepare_folds(in.train, in.options, s.folds, split_rng)) {
        sets.push_back(std::move(f));
      }
    } else {
      sets.push_back(train::prepare_data(in.train, in.has_val ? &in.val : nullptr, in.options,
                                         split_rng));
    }
  }
  log_inputs(describe_read(in), sets[0], s.folds);
  spdlog::info("{} trials on {} rows, scored by {}, {} job(s)", n_candidates,
               in.train.x.cols(), describe_scheme(s, sets[0].x_val.cols()), c.jobs);
  return sets;
}

void warn_ties(const std::vector<search::TrialResult>& results, const Scheme& scheme,
               const std::vector<train::PreparedData>& sets) {
  const search::Ties t = search::accuracy_ties(results);
  if (t.trials < 3 || 4 * t.trials < t.of) return;
  Index rows = 0;
  for (const auto& p : sets) rows += p.x_test.cols() > 0 ? p.x_test.cols() : p.x_val.cols();
  spdlog::warn("{} of {} trials tie at validation accuracy {:.4g} ({} scored rows{}): too few "
               "rows to rank them by accuracy; they are ranked by --scoring, then the loss, the "
               "smaller network and the lower rate{}", t.trials, t.of, t.accuracy,
               rows / scheme.repeats, scheme.repeats > 1 ? " per repeat" : "",
               scheme.folds == 0 ? "; --folds 5 scores every row" : "; --repeats N adds repeats");
}

nlohmann::json selection_json(const search::TrialResult& best, search::Scoring scoring,
                              const GridsearchCommand& c, const Scheme& scheme) {
  return {{"scoring", search::scoring_name(scoring)},
          {"score", search::metric_value(best, scoring)},
          {"score_sd", search::metric_sd(best, scoring)},
          {"select", c.select},
          {"folds", scheme.folds},
          {"repeats", scheme.repeats},
          {"scored_sets", best.n_scored}};
}

}  // namespace nnfit::cli
