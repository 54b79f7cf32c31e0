#include "search_report.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>

#include "cli.h"

namespace nnfit::cli {

namespace {

std::string value_of(const search::Candidate& c, const std::string& key) {
  for (const auto& [k, v] : c) {
    if (k == key) return v;
  }
  return "";
}

}  // namespace

std::vector<std::string> keys(const search::SearchSpace& space) {
  std::vector<std::string> k;
  for (const auto& a : space.grid) k.push_back(a.key);
  for (const auto& d : space.random) k.push_back(d.key);
  std::sort(k.begin(), k.end());
  return k;
}

std::string table(const std::vector<search::TrialResult>& results, const std::vector<int>& rank,
                  const std::vector<std::string>& keys, bool classification, bool cv,
                  bool halving) {
  std::string s = "trial";
  for (const auto& k : keys) s += "," + csv_field(k);
  if (halving) s += ",rung,budget_epochs";
  s += std::string(",status,val_loss,") + (cv ? "val_loss_sd," : "") +
       (classification ? "val_acc,val_f1" : "val_rmse,val_r2") +
       ",best_epoch,epochs_run,seconds,seed,rank\n";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    if (!r.done) continue;
    s += std::to_string(i + 1);
    for (const auto& k : keys) s += "," + csv_field(value_of(r.params, k));
    if (halving) s += fmt::format(",{},{}", r.rung, r.budget);
    if (r.diverged) {  // numeric columns stay numeric: empty, and no rank
      s += cv ? ",diverged,,,,,," : ",diverged,,,,,";
    } else {
      s += fmt::format(",ok,{:.9g},", r.val_loss);
      if (cv) s += fmt::format("{:.9g},", r.val_sd);
      const double second = classification ? r.scores.f1 : r.scores.r2;  // NaN: an old journal
      s += fmt::format("{:.9g},{},{},", r.val_metric,
                       std::isnan(second) ? std::string() : fmt::format("{:.9g}", second),
                       r.best_epoch);
    }
    s += fmt::format("{},{:.3f},{},{}\n", r.epochs_run, r.seconds, r.seed,
                     r.diverged ? std::string() : std::to_string(rank[i]));
  }
  return s;
}

void log_summary(const std::vector<search::TrialResult>& results, const search::SearchSpace& space,
                 const search::TrialResult& best, const std::string& scope) {
  spdlog::info("best: {} (val_loss {:.6g}, best epoch {})", search::canonical(best.params),
               best.val_loss, best.best_epoch);
  if (!scope.empty()) spdlog::info("per value, {}:", scope);
  for (const std::string& key : keys(space)) {
    std::vector<std::string> order;
    std::map<std::string, std::pair<double, std::vector<double>>> by_value;
    for (const auto& r : results) {
      if (!r.done || r.diverged) continue;
      const std::string v = value_of(r.params, key);
      if (!by_value.count(v)) {
        order.push_back(v);
        by_value[v].first = std::numeric_limits<double>::infinity();
      }
      auto& [lowest, all] = by_value[v];
      lowest = std::min(lowest, r.val_loss);
      all.push_back(r.val_loss);
    }
    if (order.size() > 12) continue;  // continuous draws: a per-value table says nothing
    for (const std::string& v : order) {
      const auto& [lowest, all] = by_value[v];
      double mean = 0;
      for (double x : all) mean += x / static_cast<double>(all.size());
      spdlog::info("  {}={}: best val_loss {:.6g}, mean {:.6g} over {} trials", key, v, lowest,
                   mean, all.size());
    }
  }
  for (const auto& axis : space.grid) {
    std::vector<double> nums;
    for (const auto& v : axis.values) {
      char* end = nullptr;
      const double x = std::strtod(v.c_str(), &end);
      if (*end != '\0') break;
      nums.push_back(x);
    }
    if (nums.size() < 3 || nums.size() != axis.values.size()) continue;
    const double b = std::strtod(value_of(best.params, axis.key).c_str(), nullptr);
    const auto [lo, hi] = std::minmax_element(nums.begin(), nums.end());
    if (b == *lo || b == *hi) {
      spdlog::warn("the best {} ({}) is at the edge of the searched values ({} .. {}); the optimum "
                   "may lie beyond: widen the range", axis.key, value_of(best.params, axis.key),
                   *lo, *hi);
    }
  }
}

}  // namespace nnfit::cli
