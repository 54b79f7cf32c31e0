// The final model of a search (final.h).
#include "search/final.h"

#include "core/error.h"
#include "train/protocol.h"

namespace nnfit::search {
namespace {

// The best trial's score as validation metrics (its loss, and accuracy or RMSE).
nlohmann::json trial_validation(const TrialResult& best, const std::vector<train::PreparedData>& sets) {
  const bool classification = sets[0].model.target.task == data::Task::kClassification;
  Index rows = 0;
  for (const train::PreparedData& p : sets) rows += p.x_test.cols() > 0 ? p.x_test.cols() : p.x_val.cols();
  nlohmann::json v = {{"loss", best.val_loss}, {"rows", rows}, {"source", "best trial"}};
  v[classification ? "accuracy" : "rmse"] = best.val_metric;
  if (sets.size() > 1) v["folds"] = sets.size();
  return v;
}

}  // namespace

FinalModel parse_final_model(const std::string& name) {
  if (name == "epochs") return FinalModel::kEpochs;
  if (name == "protocol") return FinalModel::kProtocol;
  if (name == "trial") return FinalModel::kTrial;
  throw ConfigError("invalid --refit '" + name + "': expected epochs, protocol or trial");
}

std::string final_model_name(FinalModel mode) {
  switch (mode) {
    case FinalModel::kEpochs:
      return "epochs";
    case FinalModel::kProtocol:
      return "protocol";
    case FinalModel::kTrial:
      return "trial";
  }
  return "";
}

FinalRun final_model(FinalModel mode, const train::InputData& in,
                     const std::vector<train::PreparedData>& sets, const train::TrainOptions& base,
                     const TrialResult& best, int trial_epochs) {
  train::TrainOptions opt = apply(best.params, base);
  opt.seed = best.seed;
  if (mode == FinalModel::kTrial) {
    if (sets.size() != 1) {
      throw ConfigError("--refit trial needs one validation split: with --folds each fold has "
                        "its own model; use --refit protocol or epochs");
    }
    train::PreparedFit fit(sets[0], opt, Rng(best.seed), nullptr);
    fit.run_to(trial_epochs);
    return {fit.run(), FinalModel::kTrial, ""};
  }
  // train's protocol; with --val-data train uses that file and no folds, so does this.
  const int folds =
      mode == FinalModel::kProtocol && !in.has_val ? train::auto_folds(in.train.x.cols()) : 0;
  if (folds > 0) {
    try {
      const train::FoldEpochs fe = train::fold_epochs(in.train, in.options, opt, folds);
      train::TrainRun run = train::refit_all_rows(in.train, in.options, opt, fe.epochs);
      run.model.metrics["validation"] = fe.validation;
      run.model.metrics["refit"]["fold_best_epochs"] = fe.best_epochs;
      return {std::move(run), FinalModel::kProtocol, ""};
    } catch (const train::FitDiverged& e) {
      const FinalModel other = sets.size() == 1 ? FinalModel::kTrial : FinalModel::kEpochs;
      FinalRun r = final_model(other, in, sets, base, best, trial_epochs);
      const std::string what = e.what();
      r.fallback = what.substr(0, what.find(';'));  // the divergence, not the advice after it
      return r;
    }
  }
  train::TrainRun run = train::refit_all_rows(in.train, in.options, opt, best.best_epoch);
  run.model.metrics["validation"] = trial_validation(best, sets);
  return {std::move(run), FinalModel::kEpochs, ""};
}

}  // namespace nnfit::search
