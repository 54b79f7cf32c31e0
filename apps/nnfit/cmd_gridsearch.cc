// `nnfit gridsearch`: a grid, random or TPE search over train's hyper-parameters (or over the
// default space), every trial scored on the same validation split or folds and run by --jobs
// threads over one read-only copy of the data; a results table, a summary on stderr, and the
// selected configuration's model saved (--refit).
#include <spdlog/spdlog.h>

#include <Eigen/Core>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>

#include "cli.h"
#include "fingerprint.h"
#include "core/error.h"
#include "core/work_pool.h"
#include "data_summary.h"
#include "interrupt.h"
#include "io/model_io.h"
#include "progress.h"
#include "report_output.h"
#include "gridsearch_command.h"
#include "search/default_space.h"
#include "search/halving.h"
#include "search/journal.h"
#include "search/search.h"
#include "search/select.h"
#include "search/tpe.h"
#include "search_final.h"
#include "search_log.h"
#include "search_plan.h"
#include "search_report.h"
#include "search_scheme.h"
#include "train/protocol.h"
#include "train_flags.h"

namespace nnfit::cli {
namespace {

// --out-dir: the journal (resumed if it exists) and the search's config.toml for merge.
std::unique_ptr<search::Journal> open_journal(const GridsearchCommand& c, const CLI::App& cmd) {
  if (!c.shard.empty() && c.out_dir.empty()) {
    throw ConfigError("--shard needs --out-dir (each shard keeps its own journal for merge)");
  }
  if (c.out_dir.empty()) return nullptr;
  auto journal = std::make_unique<search::Journal>(c.out_dir, search_fingerprint(cmd, c.data.data));
  io::write_file_atomically((std::filesystem::path(c.out_dir) / "config.toml").string(),
                            effective_config(cmd));
  if (!journal->finished().empty()) {
    spdlog::info("resuming: {} finished trials in {}", journal->finished().size(), journal->path());
  }
  return journal;
}

// Warnings for a search that did not run everything it planned.
void warn_incomplete(const GridsearchCommand& c, long unfinished, std::size_t trials,
                     const search::HalvingResult& halving, const search::TrialResult& best,
                     bool journal) {
  if (unfinished > 0) {
    spdlog::warn("{} of {} trials not run{}", unfinished, trials,
                 c.merging ? " (missing from the journals)"
                 : journal ? " (--max-trials / --max-time); rerun the same command to continue"
                           : " (--max-trials / --max-time)");
  }
  if (c.halving && !halving.complete && unfinished == 0) {
    spdlog::warn("successive halving did not finish{}: the best trial so far is from rung {} of {}{}",
                 c.merging ? " (trainings missing from the journals)" : " (--max-trials / --max-time)",
                 best.rung, halving.rungs.size(),
                 journal ? "; rerun the same command to continue" : "");
  }
}

// Flags checked before anything is read.
void check_flags(const GridsearchCommand& c) {
  if (c.json && c.results_path.empty()) {
    throw ConfigError("--json prints on stdout, where the results table goes without --results: "
                      "give --results FILE");
  }
  // A bad --refit is an error before the search, not after it.
  if (search::parse_final_model(c.refit_mode) == search::FinalModel::kTrial &&
      parse_count(c.folds, "--folds", 0) > 0) {
    throw ConfigError("--refit trial needs one validation split: with --folds each fold has its "
                      "own model; use --refit protocol or epochs");
  }
  if (c.jobs < 1) throw ConfigError("invalid --jobs " + std::to_string(c.jobs) + ": must be >= 1");
  parse_count(c.repeats, "--repeats", 1);
  search::parse_select(c.select);
}

// The trials of the search: a grid or random list (with halving, its rungs), or TPE's
// proposals.
struct Searched {
  std::vector<search::TrialResult> results;
  search::HalvingResult halving;
};

Searched run_search(const GridsearchCommand& c, const Plan& plan,
                    const std::vector<train::PreparedData>& sets, const search::RunOptions& ro,
                    search::Scoring scoring) {
  Searched out;
  if (c.halving) {
    search::HalvingOptions h = c.halving_options;
    h.scoring = scoring;
    for (std::size_t i = 0; plan.base && i < plan.cands.size() && !h.keep; ++i) {
      if (search::same_candidate(plan.cands[i], *plan.base, c.opt)) h.keep = i;  // never pruned
    }
    out.halving = search::run_halving(sets, c.opt, plan.cands, ro, h);
    out.results = search::final_results(out.halving.rungs);
  } else if (plan.how == "tpe") {
    search::TpeRun run;
    run.trials = trials(c, plan.how) + (plan.base ? 1 : 0);  // the baseline is extra
    if (plan.base) run.enqueued.push_back(*plan.base);
    out.results = search::run_tpe(sets, c.opt, plan.space, c.opt.seed, ro, run,
                                  [scoring](const search::TrialResult& r) {
                                    return search::score(r, scoring);
                                  });
  } else {
    out.results = search::run_trials(sets, c.opt, plan.cands, ro);
  }
  return out;
}

// The trial the search keeps (search::select), logged when the baseline is kept over a
// better-scoring trial; with the baseline kept the refit uses train's own seed, so `protocol`
// saves the model `nnfit train` with these flags saves.
search::TrialResult chosen(const GridsearchCommand& c, const std::vector<search::TrialResult>& results,
                           const search::Ranking& ranking, search::SelectRule rule) {
  const std::size_t i = search::select(results, ranking, rule);
  search::TrialResult best = results[i];
  if (!ranking.baseline || *ranking.baseline != i) return best;
  const std::size_t top = search::select(results, {ranking.scoring, ranking.simple, {}}, rule);
  if (top != i) {
    spdlog::info("kept the baseline {} (train's configuration): the top trial {} does not beat "
                 "its {} by more than one standard error", search::canonical(best.params),
                 search::canonical(results[top].params), search::scoring_name(ranking.scoring));
  }
  if (search::parse_final_model(c.refit_mode) != search::FinalModel::kTrial) best.seed = c.opt.seed;
  return best;
}

search::RunOptions run_options(const GridsearchCommand& c, const Plan& plan,
                               search::Journal* journal, const std::atomic<bool>* interrupt,
                               search::Scoring scoring) {
  search::RunOptions ro;
  ro.jobs = c.jobs;
  ro.interrupt = interrupt;
  ro.finished = c.merging ? &c.merged : journal ? &journal->finished() : nullptr;
  ro.run_new = !c.merging;
  ro.shard_index = plan.shard.first;
  ro.shard_count = plan.shard.second;
  ro.max_trials = c.max_trials;
  ro.max_seconds = c.max_time;
  ro.on_trial = TrialLog(journal, c.out_dir, !c.no_progress, scoring);
  return ro;
}

// How the kept trial is chosen.
struct Choice {
  search::Ranking ranking;
  search::SelectRule rule;
  Scheme scheme;
};

// After a search that ran: chooses the trial to keep, warns and summarises, saves its model
// (--refit) with the record of the search, and prints --json.
void keep_best(const GridsearchCommand& c, const Plan& plan, const Searched& searched,
               const Choice& how, const train::InputData& in,
               const std::vector<train::PreparedData>& sets, TrialCount count) {
  const std::vector<search::TrialResult>& results = searched.results;
  const search::TrialResult best = chosen(c, results, how.ranking, how.rule);
  warn_incomplete(c, static_cast<long>(count.all - count.run), count.all, searched.halving, best,
                  !c.out_dir.empty());
  if (best.diverged) throw TrainingDiverged("every trial diverged; lower the learning rates searched");
  const std::vector<search::TrialResult>& first = c.halving ? searched.halving.rungs[0] : results;
  if (sets[0].model.target.task == data::Task::kClassification) warn_ties(first, how.scheme, sets);
  log_summary(first, plan.space, best,
              c.halving ? fmt::format("at rung 1 ({} epochs, every candidate)", first[0].budget)
                        : "");
  nlohmann::json selection = selection_json(best, how.ranking.scoring, c, how.scheme);
  if (plan.base) {
    selection["baseline"] = {{"params", search::canonical(*plan.base)},
                             {"kept", search::same_candidate(best.params, *plan.base, c.opt)}};
  }
  const nlohmann::json metrics =
      save_final_model({c.refit_mode, c.model_path, c.opt, c.halving ? best.budget : c.opt.epochs,
                        selection},
                       best, in, sets, count);
  if (c.json) {
    nlohmann::json summary =
        search_summary(best, count.run, count.all, c.model_path, c.refit_mode, metrics);
    summary["selection"] = selection;
    write_output("-", summary.dump(2) + "\n");
  }
}

void run_gridsearch(GridsearchCommand& c, const CLI::App& cmd) {
  resolve_train_flags(c);
  check_flags(c);
  Eigen::setNbThreads(1);  // one thread per trial; parallelism comes from --jobs
  set_training_threads(1);
  const Plan plan = plan_search(c);
  std::vector<PathFlag> inputs = input_paths(c), outputs = out_dir_paths(c.out_dir);
  inputs.insert(inputs.end(), c.merge_inputs.begin(), c.merge_inputs.end());
  outputs.insert(outputs.begin(), {{"--model", c.model_path}, {"--results", c.results_path},
                                   {"--report", c.report_path}});
  check_output_paths(inputs, outputs);  // before the search, not after it
  train::InputData in = train::read_inputs(c.data);
  const Scheme scheme = resolve_scheme(c, in.train.x.cols());
  const std::size_t n_trials =
      plan.how == "tpe" ? static_cast<std::size_t>(trials(c, plan.how) + (plan.base ? 1 : 0))
                        : plan.cands.size();
  const std::vector<train::PreparedData> sets = prepare_sets(c, scheme, n_trials, in);
  const bool classification = sets[0].model.target.task == data::Task::kClassification;
  const search::Scoring scoring = search::parse_scoring(c.scoring, classification);
  const search::SelectRule rule = search::parse_select(c.select);
  if (rule == search::SelectRule::kOneSe && sets.size() < 2) {
    throw ConfigError("--select 1se needs a standard error, from several scored sets: add "
                      "--folds K or --repeats N");
  }
  const std::unique_ptr<search::Journal> journal = open_journal(c, cmd);
  // Ctrl-C stops the trials; during the refit after them it quits at once (SignalCleanup).
  std::optional<InterruptGuard> interrupt;
  interrupt.emplace("stopping the running trials: the table will hold the finished ones, and "
                    "no model is saved (Ctrl-C again to quit at once)");
  if (c.halving) log_rungs(plan.cands.size(), c);
  const search::RunOptions ro = run_options(c, plan, journal.get(), interrupt->flag(), scoring);
  const Searched searched = run_search(c, plan, sets, ro, scoring);
  const std::vector<search::TrialResult>& results = searched.results;
  search::Ranking ranking{scoring, search::simplicity(results, sets, c.opt), {}};
  ranking.baseline = baseline_index(results, plan.base, c.opt);
  const std::string results_table = table(results, search::ranks(results, ranking),
                                          keys(plan.space), classification, sets.size() > 1,
                                          c.halving);
  write_output(c.results_path, results_table);
  if (journal) {
    io::write_file_atomically((std::filesystem::path(c.out_dir) / "results.csv").string(),
                              results_table);
  }
  // TPE returns the candidates it proposed; its search has n_trials.
  const std::size_t total = std::max(results.size(), n_trials);
  const std::size_t run = static_cast<std::size_t>(std::count_if(
      results.begin(), results.end(), [](const search::TrialResult& r) { return r.done; }));
  if (interrupt->flag()->load()) {
    throw Interrupted("interrupted: the table holds the finished trials; no model was saved" +
                      std::string(journal ? "; rerun the same command to resume" : ""));
  }
  interrupt.reset();
  if (run == 0) {
    throw ConfigError(c.merging ? "the journals hold no finished trial"
                                : "no trial ran (--max-trials or --max-time too small)");
  }
  if (plan.shard.second > 1) {
    spdlog::info("shard {}/{}: {} trials in {}; combine the shards with nnfit gridsearch merge "
                 "DIR...", plan.shard.first + 1, plan.shard.second, run,
                 c.out_dir);
    return;
  }
  keep_best(c, plan, searched, {ranking, rule, scheme}, in, sets, {run, total});
  if (!c.report_path.empty()) {
    write_search_report(c.report_path, c.model_path, results_table, c.out_dir);
  }
}

void add_gridsearch_options(CLI::App& app, GridsearchCommand& g) {
  GridsearchCommand* c = &g;
  CLI::App* cmd = &app;
  add_train_flags(*cmd, *c);
  cmd->add_option("--grid", c->grid,
                  "KEY=V1,V2,...: search every value (repeat for more keys: the full product). "
                  "Use '|' between values that contain commas: 'hidden=64|128,64'. Keys: every "
                  "train hyper-parameter but --seed, by its flag name (lr, hidden, optimizer, "
                  "l2, batch-size, ...). Neither --grid nor --space: the default space (README)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--space", c->space,
                  "KEY=loguniform(a,b) | uniform(a,b) | int(a,b) | choice(v1,v2,...): random "
                  "(or --sampler tpe) search with --trials (repeatable; combines with --grid)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--trials", c->trials,
                  "Number of random or TPE candidates (distinct; with --space or --sampler tpe; "
                  "the default space: 30), the baseline trial not counted")
      ->capture_default_str();
  cmd->add_option("--jobs", c->jobs,
                  "Trials run at once (threads); results are identical for any value")
      ->capture_default_str();
  cmd->add_option("--out-dir", c->out_dir,
                  "Keep an append-only journal of finished trials (journal.jsonl), the best "
                  "trial's model so far (best-trial.nnfit) and results.csv here; rerunning the "
                  "same command skips the finished trials");
  cmd->add_option("--max-trials", c->max_trials,
                  "Run at most this many new trials (the rest stay for a later run); 0 = all")
      ->capture_default_str();
  cmd->add_option("--max-time", c->max_time,
                  "Start no new trial after this many seconds; 0 = no limit")
      ->capture_default_str();
  cmd->add_option("--results", c->results_path,
                  "Write the results table (CSV, one row per trial) here instead of stdout");
  cmd->add_option("--report", c->report_path,
                  "At the end, write an HTML report (nnfit report): the results table, "
                  "validation loss against each searched key, the halving rungs and the saved "
                  "model's card");
  cmd->add_flag("--json", c->json,
                "Print a JSON summary on stdout (best parameters and score, trials run, model "
                "path, --refit, validation); needs --results FILE, as the table goes to stdout "
                "otherwise");
  cmd->add_option("--refit", c->refit_mode,
                  "The model saved for the best configuration: protocol (default: train's "
                  "default protocol with the best parameters, 5-fold early stopping, then every "
                  "row) | epochs (every training row for the best trial's best epoch count, no "
                  "validation) | trial (the best trial's own model, early-stopped on the "
                  "search's validation split)")
      ->check(CLI::IsMember({"epochs", "protocol", "trial"}))
      ->capture_default_str();
  cmd->add_option("--folds", c->folds,
                  "auto | 0 | K: K-fold cross-validation (stratified for classification): each "
                  "trial is scored by its mean over the K held-out folds (table: val_loss and "
                  "val_loss_sd; best_epoch their mean, epochs_run their sum); early stopping "
                  "uses --val-split of each fold's training rows; 0 = one validation split; "
                  "auto = 5 folds for 10 to 10,000 training rows (train's rule), else one split, "
                  "or one split when --val-data, --val-split or --refit trial is given")
      ->capture_default_str();
  cmd->add_option("--repeats", c->repeats,
                  "auto | N: score every trial on N fold assignments (or N validation splits) "
                  "drawn from the seed, averaged; auto = 3 with folds on up to 1,000 training "
                  "rows, else 1")
      ->capture_default_str();
  cmd->add_option("--scoring", c->scoring,
                  "What ranks the trials: loss (default) | accuracy | f1 (macro) for "
                  "classification, loss | rmse | r2 for regression; equal scores are ranked by "
                  "the loss, then the smaller network, then the lower rate")
      ->check(CLI::IsMember({"loss", "accuracy", "f1", "rmse", "r2"}))
      ->capture_default_str();
  cmd->add_option("--select", c->select,
                  "best (default): the top-ranked trial | 1se: the smallest network (then "
                  "lowest rate) whose score is within one standard error of the best, the "
                  "error being the best trial's spread over its folds / sqrt(folds); needs "
                  "--folds or --repeats")
      ->check(CLI::IsMember({"best", "1se"}))
      ->capture_default_str();
  cmd->add_flag("--no-baseline", c->no_baseline,
                "Do not add the baseline trial (train's configuration with these flags, for the "
                "searched keys) and do not prefer it: by default it is trial 1 unless a "
                "candidate already sets the same values, and it is kept unless the selected "
                "trial beats its score by more than its standard error (folds or repeats)");
  cmd->add_option("--sampler", c->sampler,
                  "auto (default: grid for --grid, random for --space, tpe for the default "
                  "space) | random | tpe (Tree-structured Parzen Estimator, Optuna's default)")
      ->check(CLI::IsMember({"auto", "random", "tpe"}))
      ->capture_default_str();
  cmd->add_flag("--halving", c->halving,
                  "Successive halving with epochs as the resource: every candidate trains a few "
                  "epochs, the best 1/eta continue from their weights for eta times as many, "
                  "until the last rung trains the survivors to --epochs");
  cmd->add_option("--eta", c->halving_options.eta,
                  "Successive halving's reduction factor (>= 2): each rung keeps the best 1/eta "
                  "of the candidates and gives them eta times the epochs")
      ->capture_default_str();
  cmd->add_option("--halving-min-epochs", c->halving_options.min_epochs,
                  "Epochs of the first halving rung (fewer rungs if needed); 0 = as few as the "
                  "rungs need")
      ->capture_default_str();
  cmd->add_option("--shard", c->shard,
                  "I/N: run only every N-th trial, starting at the I-th, into its own --out-dir; "
                  "combine the shards with nnfit gridsearch merge");
}

// gridsearch merge DIR...: the search of DIR[0]/config.toml, with the trials of every DIR's
// journal and nothing new run; ranks, writes the table and refits the best.
void run_merge(const std::vector<std::string>& dirs, const std::string& results,
               const std::string& model, const CommonOptions& common) {
  if (dirs.empty()) throw ConfigError("gridsearch merge needs the shards' --out-dir folders");
  CLI::App app{"merge", "gridsearch"};
  GridsearchCommand c;
  add_gridsearch_options(app, c);
  app.parse(std::vector<std::string>{});
  const std::string config = (std::filesystem::path(dirs[0]) / "config.toml").string();
  if (!std::filesystem::exists(config)) {
    throw ConfigError("'" + dirs[0] + "' holds no config.toml: is it a gridsearch --out-dir?");
  }
  apply_config_file(app, config);
  c.merge_inputs.push_back({"merge folder '" + dirs[0] + "' (config.toml)", config});
  if (c.data.data == "-" || c.data.val_data == "-") {
    throw ConfigError("cannot merge '" + dirs[0] + "': the search read its data from stdin (" +
                      (c.data.data == "-" ? "--data -" : "--val-data -") +
                      " in its config.toml), and merge refits the best configuration on that "
                      "data, which cannot be read again; run the search with the data in a file");
  }
  c.common = common;  // merge's own -q / --log-level, not the search's
  c.out_dir.clear();
  c.shard.clear();
  c.json = false;  // the shards' --json is theirs; merge prints the table (or --results)
  c.report_path.clear();  // and so is their --report
  c.results_path = results;
  if (!model.empty()) c.model_path = model;
  c.merging = true;
  const std::string fp = search_fingerprint(app, c.data.data);
  for (const std::string& dir : dirs) {
    if (!std::filesystem::exists(std::filesystem::path(dir) / "journal.jsonl")) {
      throw ConfigError("'" + dir + "' holds no journal.jsonl: is it a gridsearch --out-dir?");
    }
    const search::Journal journal(dir, fp);  // refuses a journal of another search
    c.merge_inputs.push_back({"merge folder '" + dir + "' (journal.jsonl)", journal.path()});
    for (const auto& [key, r] : journal.finished()) c.merged.emplace(key, r);
  }
  spdlog::info("merged {} finished trials from {} journal(s)", c.merged.size(), dirs.size());
  run_gridsearch(c, app);
}

}  // namespace

void setup_gridsearch(CLI::App& app) {
  auto c = std::make_shared<GridsearchCommand>();
  CLI::App* cmd = app.add_subcommand(
      "gridsearch",
      "Search hyper-parameters (grid, random or TPE; no --grid/--space: a default space), keep "
      "the best and save its model");
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cmd->footer(help_footer(
      {"nnfit gridsearch --data data/iris.csv --target species --max-time 60 --model best.nnfit",
       "nnfit gridsearch --data data/iris.csv --target species --grid lr=0.1,0.03,0.01 \\\n"
       "      --grid 'hidden=16|32,16' --jobs 2 --results results.csv --model best.nnfit",
       "nnfit gridsearch --data data/iris.csv --space 'lr=loguniform(1e-3,0.3)' \\\n"
       "      --space 'batch-size=int(8,64)' --trials 20 --model best.nnfit",
       "nnfit gridsearch --data data/iris.csv --target species --halving --eta 3 \\\n"
       "      --grid lr=0.3,0.1,0.03,0.01,0.003 --grid 'hidden=8|16,8|32' --out-dir search"}));
  add_gridsearch_options(*cmd, *c);
  auto merge = std::make_shared<std::vector<std::string>>();
  auto merge_results = std::make_shared<std::string>();
  auto merge_model = std::make_shared<std::string>();
  CLI::App* m = cmd->add_subcommand(
      "merge", "Combine the journals of --shard runs (or of any --out-dir of the same search), "
               "rank, write the table and refit the best");
  m->footer(help_footer(
      {"nnfit gridsearch --data data/iris.csv --grid lr=0.1,0.03,0.01 --out-dir s1 --shard 1/2",
       "nnfit gridsearch --data data/iris.csv --grid lr=0.1,0.03,0.01 --out-dir s2 --shard 2/2",
       "nnfit gridsearch merge s1 s2 --results results.csv --model best.nnfit"}));
  m->add_option("dirs", *merge, "The shards' --out-dir folders")->required();
  add_common_options(*m, c->common);  // -q, --log-level
  m->add_option("--results", *merge_results, "Results table (default: stdout)");
  m->add_option("--model", *merge_model, "Refit model (default: the search's --model)");
  m->callback([=] {
    setup_logging(c->common);
    run_merge(*merge, *merge_results, *merge_model, c->common);
  });
  cmd->callback([c, cmd, m] {
    if (m->parsed()) return;
    if (configure_or_print(*cmd, *c)) return;
    run_gridsearch(*c, *cmd);
  });
}

}  // namespace nnfit::cli
