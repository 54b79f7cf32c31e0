// Which trial a search keeps: the ranking metric (--scoring), the order of the trials with its
// tie-breaks, and the selection rule (--select best | 1se).
//
// Ties are common on small data: many candidates reach validation accuracy 1.0 on a few dozen
// rows. Equal scores are ordered by the validation loss, then by the simpler candidate (fewer
// network parameters), then by the lower learning rate, then by trial order, so the noise of a
// lucky fast-rate trajectory does not decide. The one-standard-error rule (Breiman et al. 1984;
// Hastie, Tibshirani and Friedman, ESL 7.10) keeps the simplest candidate whose score is within
// one standard error of the best one's, the standard error being the spread of the best
// trial's score over its scored folds divided by sqrt(folds).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "search/search.h"

namespace nnfit::search {

enum class Scoring { kLoss, kAccuracy, kF1, kRmse, kR2 };
enum class SelectRule { kBest, kOneSe };

// Every metric, in a fixed order (the journal's).
inline constexpr Scoring kAllScorings[] = {Scoring::kLoss, Scoring::kAccuracy, Scoring::kF1,
                                           Scoring::kRmse, Scoring::kR2};
// The member of Scores that holds metric s.
double Scores::*score_field(Scoring s);

// "loss" | "accuracy" | "f1" | "rmse" | "r2"; ConfigError for another name, or for a metric of
// the other task (accuracy and f1 are for classification, rmse and r2 for regression).
Scoring parse_scoring(const std::string& name, bool classification);
std::string scoring_name(Scoring s);
// accuracy, f1 and r2: a higher value is better (score() negates them).
bool higher_is_better(Scoring s);
// "best" | "1se"; ConfigError otherwise.
SelectRule parse_select(const std::string& name);

// The trial's value of the metric (as reported: accuracy, not its negation) and its spread.
double metric_value(const TrialResult& r, Scoring s);
double metric_sd(const TrialResult& r, Scoring s);
// Lower is better: the loss or RMSE, minus accuracy, F1 or R^2; +inf for a diverged or unrun
// trial. ConfigError for a journal line that predates the metric (n_scored 0, f1 or r2).
double score(const TrialResult& r, Scoring s);

// How simple a candidate is, compared in order: network parameters, then learning rate.
using Simplicity = std::pair<double, double>;
// One per result, from the candidates' options over base on the data of sets.
std::vector<Simplicity> simplicity(const std::vector<TrialResult>& results,
                                   const std::vector<train::PreparedData>& sets,
                                   const train::TrainOptions& base);

struct Ranking {
  Scoring scoring = Scoring::kLoss;
  std::vector<Simplicity> simple;  // per result; empty: ties go by loss, then trial order
  // The index of the baseline trial (train's configuration), if the search has one.
  std::optional<std::size_t> baseline;
};

// Rank (1 = best) of each result: unrun trials last, then (successive halving) a later rung
// before an earlier one, then the score, the validation loss, the simpler candidate and the
// trial order.
std::vector<int> ranks(const std::vector<TrialResult>& results, const Ranking& how = {});

// The index of the trial to keep: rank 1 (kBest), or with kOneSe the simplest of the trials in
// the best one's rung whose score is within one standard error of the best score (ranked by
// `how` among themselves when equally simple). Then, if the search has a baseline scored on
// several sets in the same rung, the baseline is kept unless that trial's score beats the
// baseline's by more than the baseline's standard error: a search keeps train's configuration
// unless another one is better beyond the noise. ConfigError for kOneSe without a standard
// error (one scored set: it needs --folds or --repeats).
std::size_t select(const std::vector<TrialResult>& results, const Ranking& how, SelectRule rule);

// Classification: how many finished trials share the highest validation accuracy, and that
// accuracy. When many do (the caller warns from 3 trials and a quarter of the search), the
// validation rows are too few to rank the candidates by accuracy.
struct Ties {
  std::size_t trials = 0, of = 0;  // tied at the top, finished and not diverged
  double accuracy = 0;
};
Ties accuracy_ties(const std::vector<TrialResult>& results);

}  // namespace nnfit::search
