#include "search/select.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.h"
#include "search/trial.h"

namespace nnfit::search {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

bool usable(const TrialResult& r) { return r.done && !r.diverged; }

// The strict order of ranks(): a before b.
bool before(const std::vector<TrialResult>& results, const Ranking& how, std::size_t a,
            std::size_t b) {
  const TrialResult &x = results[a], &y = results[b];
  if (x.done != y.done) return x.done;
  if (x.rung != y.rung) return x.rung > y.rung;
  const double sx = score(x, how.scoring), sy = score(y, how.scoring);
  if (sx != sy) return sx < sy;
  if (x.val_loss != y.val_loss) return x.val_loss < y.val_loss;
  if (!how.simple.empty() && how.simple[a] != how.simple[b]) return how.simple[a] < how.simple[b];
  return a < b;
}

double standard_error(const TrialResult& r, Scoring s) {
  return metric_sd(r, s) / std::sqrt(static_cast<double>(r.n_scored));
}

// The baseline instead of `chosen` unless chosen beats it beyond its standard error.
std::size_t keep_baseline(const std::vector<TrialResult>& results, const Ranking& how,
                          std::size_t chosen) {
  if (!how.baseline) return chosen;
  const std::size_t b = *how.baseline;
  const TrialResult &base = results[b], &c = results[chosen];
  if (b == chosen || !usable(base) || !usable(c) || base.rung != c.rung || base.n_scored < 2) {
    return chosen;
  }
  const double margin = standard_error(base, how.scoring);
  return score(c, how.scoring) < score(base, how.scoring) - margin ? chosen : b;
}

}  // namespace

Scoring parse_scoring(const std::string& name, bool classification) {
  for (const Scoring s : kAllScorings) {
    if (scoring_name(s) != name) continue;
    const bool for_classification = s == Scoring::kAccuracy || s == Scoring::kF1;
    const bool for_regression = s == Scoring::kRmse || s == Scoring::kR2;
    if ((for_classification && !classification) || (for_regression && classification)) {
      throw ConfigError("--scoring " + name + " is for " +
                        (classification ? "regression" : "classification") + "; this target is " +
                        (classification ? "a classification: use loss, accuracy or f1"
                                        : "a regression: use loss, rmse or r2"));
    }
    return s;
  }
  throw ConfigError("invalid --scoring '" + name + "': expected loss, accuracy, f1, rmse or r2");
}

std::string scoring_name(Scoring s) {
  switch (s) {
    case Scoring::kLoss: return "loss";
    case Scoring::kAccuracy: return "accuracy";
    case Scoring::kF1: return "f1";
    case Scoring::kRmse: return "rmse";
    case Scoring::kR2: return "r2";
  }
  return "";
}

bool higher_is_better(Scoring s) {
  return s == Scoring::kAccuracy || s == Scoring::kF1 || s == Scoring::kR2;
}

SelectRule parse_select(const std::string& name) {
  if (name == "best") return SelectRule::kBest;
  if (name == "1se") return SelectRule::kOneSe;
  throw ConfigError("invalid --select '" + name + "': expected best or 1se");
}

double Scores::*score_field(Scoring s) {
  switch (s) {
    case Scoring::kLoss: return &Scores::loss;
    case Scoring::kAccuracy: return &Scores::accuracy;
    case Scoring::kF1: return &Scores::f1;
    case Scoring::kRmse: return &Scores::rmse;
    case Scoring::kR2: return &Scores::r2;
  }
  return &Scores::loss;
}

double metric_value(const TrialResult& r, Scoring s) { return r.scores.*score_field(s); }

double metric_sd(const TrialResult& r, Scoring s) { return r.scores_sd.*score_field(s); }

double score(const TrialResult& r, Scoring s) {
  if (!usable(r)) return kInf;
  if (s == Scoring::kLoss) return r.val_loss;
  const double v = metric_value(r, s);
  if (std::isnan(v)) {
    throw ConfigError("trial " + canonical(r.params) + " in the journal has no " +
                      scoring_name(s) +
                      " (it was written by an older nnfit): use --scoring loss, or a new --out-dir");
  }
  return higher_is_better(s) ? -v : v;
}

std::vector<Simplicity> simplicity(const std::vector<TrialResult>& results,
                                   const std::vector<train::PreparedData>& sets,
                                   const train::TrainOptions& base) {
  std::vector<Simplicity> out;
  for (const TrialResult& r : results) {
    const train::TrainOptions opt = train::with_default_lr(apply(r.params, base));
    out.emplace_back(static_cast<double>(n_parameters(sets, opt)), opt.lr);
  }
  return out;
}

std::vector<int> ranks(const std::vector<TrialResult>& results, const Ranking& how) {
  std::vector<std::size_t> order(results.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return before(results, how, a, b); });
  std::vector<int> rank(results.size());
  for (std::size_t k = 0; k < order.size(); ++k) rank[order[k]] = static_cast<int>(k + 1);
  return rank;
}

std::size_t select(const std::vector<TrialResult>& results, const Ranking& how, SelectRule rule) {
  const std::vector<int> rank = ranks(results, how);
  const std::size_t best = static_cast<std::size_t>(std::find(rank.begin(), rank.end(), 1) -
                                                    rank.begin());
  if (rule == SelectRule::kBest || !usable(results[best])) {
    return keep_baseline(results, how, best);
  }
  const TrialResult& b = results[best];
  if (b.n_scored < 2) {
    throw ConfigError("--select 1se needs a standard error, from several scored sets: add "
                      "--folds K or --repeats N");
  }
  const double limit = score(b, how.scoring) + standard_error(b, how.scoring);
  std::size_t chosen = best;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const TrialResult& r = results[i];
    if (!usable(r) || r.rung != b.rung || score(r, how.scoring) > limit) continue;
    const bool simpler = !how.simple.empty() && how.simple[i] < how.simple[chosen];
    const bool as_simple = how.simple.empty() || how.simple[i] == how.simple[chosen];
    if (simpler || (as_simple && rank[i] < rank[chosen])) chosen = i;
  }
  return keep_baseline(results, how, chosen);
}

Ties accuracy_ties(const std::vector<TrialResult>& results) {
  Ties t;
  t.accuracy = -kInf;
  for (const TrialResult& r : results) {
    if (!usable(r)) continue;
    ++t.of;
    if (r.scores.accuracy > t.accuracy) {
      t.accuracy = r.scores.accuracy;
      t.trials = 0;
    }
    if (r.scores.accuracy == t.accuracy) ++t.trials;
  }
  return t;
}

}  // namespace nnfit::search
