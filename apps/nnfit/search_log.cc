#include "search_log.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <filesystem>

#include "io/model_io.h"
#include "progress.h"

namespace nnfit::cli {

TrialLog::TrialLog(search::Journal* journal, const std::string& out_dir, bool log,
                   search::Scoring scoring)
    : journal_(journal), out_dir_(out_dir), log_(log), scoring_(scoring),
      t0_(std::chrono::steady_clock::now()) {
  if (journal_ == nullptr) return;
  for (const auto& [key, r] : journal_->finished()) {
    if (better(r)) best_ = {r.rung, search::score(r, scoring_)};
  }
}

void TrialLog::operator()(const search::TrialResult& r, std::size_t done, std::size_t total) {
  const bool new_best = better(r);
  if (new_best) best_ = {r.rung, search::score(r, scoring_)};
  if (journal_ != nullptr) {
    journal_->append(r);
    if (new_best && r.model) {
      io::save_model(*r.model, (std::filesystem::path(out_dir_) / "best-trial.nnfit").string());
    }
  }
  if (!log_) return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  spdlog::info("{} {}/{}: {}  val_{} {:.5f}  best so far {:.5f}  eta {}",
               r.rung > 0 ? fmt::format("rung {} ({} epochs), training", r.rung, r.budget)
                          : std::string("trial"),
               done, total, search::canonical(r.params), search::scoring_name(scoring_),
               r.diverged ? std::numeric_limits<double>::infinity() : search::metric_value(r, scoring_),
               search::higher_is_better(scoring_) ? -best_.second : best_.second,
               format_duration(elapsed / static_cast<double>(done) *
                               static_cast<double>(total - done)));
}

bool TrialLog::better(const search::TrialResult& r) const {
  const double s = search::score(r, scoring_);
  return r.rung > best_.first || (r.rung == best_.first && s < best_.second);
}

}  // namespace nnfit::cli
