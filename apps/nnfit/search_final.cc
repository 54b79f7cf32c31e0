#include "search_final.h"

#include <spdlog/spdlog.h>

#include "io/model_io.h"

namespace nnfit::cli {
namespace {

std::string epochs_source(const train::TrainRun& run) {
  const auto refit = run.model.metrics.find("refit");
  if (refit == run.model.metrics.end() || !refit->contains("fold_best_epochs")) {
    return "the best trial's best epoch";
  }
  return fmt::format("the mean best epoch of {}-fold early stopping",
                     refit->at("fold_best_epochs").size());
}

}  // namespace

nlohmann::json save_final_model(const FinalModelOptions& o, const search::TrialResult& best,
                                const train::InputData& in,
                                const std::vector<train::PreparedData>& sets, TrialCount trials) {
  search::FinalRun fr = search::final_model(search::parse_final_model(o.mode), in, sets, o.base,
                                            best, o.trial_epochs);
  const search::FinalModel mode = fr.used;
  train::TrainRun& run = fr.run;
  if (!fr.fallback.empty()) {
    spdlog::warn("--refit {} diverged ({}), where the best trial trained: saved the --refit {} "
                 "model instead", o.mode, fr.fallback, search::final_model_name(mode));
  }
  run.model.metrics["search"] = {{"best", search::canonical(best.params)},
                                 {"val_loss", best.val_loss},
                                 {"trials", trials.all},
                                 {"trials_run", trials.run},
                                 {"complete", trials.run == trials.all},
                                 {"refit", search::final_model_name(mode)}};
  if (!fr.fallback.empty()) run.model.metrics["search"]["fallback_from"] = o.mode;
  for (const auto& [key, value] : o.selection.items()) run.model.metrics["search"][key] = value;
  io::save_model(run.model, o.model_path);
  const std::string how =
      mode == search::FinalModel::kTrial
          ? fmt::format("kept the best trial's model (trained on {} rows, best epoch {})",
                        run.n_train, run.fit.best_epoch)
          : fmt::format("refit the best configuration on {} rows for {} epochs ({})",
                        run.n_train, run.fit.epochs_run, epochs_source(run));
  spdlog::info("{}; model saved to {}", how, o.model_path);
  if (trials.run < trials.all) {
    spdlog::warn("{} is the best of {} of {} trials (a partial search; metrics.search.complete "
                 "is false)", o.model_path, trials.run, trials.all);
  }
  return run.model.metrics;
}

nlohmann::json search_summary(const search::TrialResult& best, std::size_t trials_run,
                              std::size_t trials, const std::string& model_path,
                              const std::string& mode, const nlohmann::json& model_metrics) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [key, value] : best.params) params[key] = value;
  return {{"best", params},
          {"val_loss", best.val_loss},
          {"val_metric", best.val_metric},
          {"best_epoch", best.best_epoch},
          {"trials_run", trials_run},
          {"trials", trials},
          {"model", model_path},
          {"refit", mode},
          {"validation", model_metrics.at("validation")}};
}

}  // namespace nnfit::cli
