// `nnfit gridsearch`: a grid or random search over train's hyper-parameters, scored on one
// validation split shared by every trial, run by --jobs threads over one read-only copy of the
// data; a results table, a summary on stderr, and the best configuration refit on all training
// rows and saved.
#include <spdlog/spdlog.h>

#include <Eigen/Core>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <limits>
#include <map>
#include <memory>

#include "cli.h"
#include "fingerprint.h"
#include "core/error.h"
#include "data_summary.h"
#include "interrupt.h"
#include "io/model_io.h"
#include "progress.h"
#include "search/halving.h"
#include "search/journal.h"
#include "search/search.h"
#include "search_final.h"
#include "search_report.h"
#include "train/protocol.h"
#include "train_flags.h"

namespace nnfit::cli {
namespace {

struct GridsearchCommand : TrainFlags {
  std::vector<std::string> grid, space;
  int trials = 0;
  int jobs = 1;
  std::string results_path;
  std::string out_dir;
  long max_trials = 0;
  double max_time = 0;
  std::string shard;  // "I/N"
  int folds = 0;
  bool halving = false;
  search::HalvingOptions halving_options;
  // gridsearch merge: the trials of the merged journals; nothing new is run.
  std::map<std::string, search::TrialResult> merged;
  bool merging = false;
  std::vector<PathFlag> merge_inputs;  // the merged folders' config.toml and journals
  std::string refit_mode = "protocol";  // --refit: search/final.h (default by measurement)
  bool json = false;                   // --json: a summary on stdout (needs --results)
};

// "2/3" -> {1, 3} (0-based index); ConfigError otherwise.
std::pair<std::size_t, std::size_t> parse_shard(const std::string& s) {
  const auto slash = s.find('/');
  try {
    if (slash != std::string::npos) {
      const unsigned long i = std::stoul(s.substr(0, slash)), n = std::stoul(s.substr(slash + 1));
      if (i >= 1 && i <= n && std::to_string(i) + "/" + std::to_string(n) == s) return {i - 1, n};
    }
  } catch (const std::exception&) {
  }
  throw ConfigError("invalid --shard '" + s + "': expected I/N with 1 <= I <= N, e.g. 2/4");
}

std::vector<search::Candidate> candidates(const GridsearchCommand& c, search::SearchSpace& space) {
  for (const auto& g : c.grid) space.grid.push_back(search::parse_grid_axis(g));
  for (const auto& s : c.space) space.random.push_back(search::parse_distribution(s));
  std::map<std::string, int> seen;
  for (const auto& a : space.grid) ++seen[a.key];
  for (const auto& d : space.random) ++seen[d.key];
  for (const auto& [key, n] : seen) {
    if (n > 1) throw ConfigError("'" + key + "' is searched twice; give each key once");
  }
  if (space.grid.empty() && space.random.empty()) {
    throw ConfigError("nothing to search: give --grid KEY=V1,V2,... and/or --space KEY=DIST");
  }
  if (space.random.empty()) {
    if (c.trials > 0) throw ConfigError("--trials is for random search: add --space KEY=DIST");
    return search::grid_candidates(space.grid);
  }
  if (c.trials < 1) throw ConfigError("random search (--space) needs --trials N (N >= 1)");
  return search::random_candidates(space, c.trials, c.opt.seed);
}

// "successive halving: 27 -> 9 -> 3 -> 1 candidates, trained to 7, 22, 67, 200 epochs".
void log_rungs(std::size_t n, const GridsearchCommand& c) {
  std::string counts, epochs;
  for (const search::Rung& r : search::halving_rungs(n, c.opt.epochs, c.halving_options)) {
    counts += (counts.empty() ? "" : " -> ") + std::to_string(r.candidates);
    epochs += (epochs.empty() ? "" : ", ") + std::to_string(r.epochs);
  }
  spdlog::info("successive halving (eta {}): {} candidates, trained to {} epochs",
               c.halving_options.eta, counts, epochs);
  if (counts.find('>') == std::string::npos) {
    spdlog::warn("successive halving has a single rung here (it needs at least --eta candidates "
                 "and --epochs >= eta * --halving-min-epochs), so it is a plain search");
  }
}

// The prepared data every trial shares: one validation split, or --folds sets.
std::vector<train::PreparedData> prepare_sets(const GridsearchCommand& c, std::size_t n_candidates,
                                              train::InputData& in) {
  Rng split_rng(c.opt.seed);
  std::vector<train::PreparedData> sets;
  const Index rows = in.train.x.cols();
  if (c.folds > 0) {
    if (in.has_val) throw ConfigError("--folds and --val-data exclude each other");
    sets = train::prepare_folds(in.train, in.options, c.folds, split_rng);
    log_inputs(describe_read(in), sets[0], c.folds);
    spdlog::info("{} trials, {}-fold cross-validation on {} rows, {} job(s)", n_candidates,
                 c.folds, rows, c.jobs);
  } else {
    sets.push_back(train::prepare_data(in.train, in.has_val ? &in.val : nullptr, in.options,
                                       split_rng));
    log_inputs(describe_read(in), sets[0]);
    spdlog::info("{} trials on {} training and {} validation rows, {} job(s)", n_candidates,
                 sets[0].x_train.cols(), sets[0].x_val.cols(), c.jobs);
  }
  return sets;
}

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

// Called after each finished training: journals it, keeps the best trial's model on disk and
// logs the progress with the best so far (the lowest loss in the latest rung reached).
class TrialLog {
 public:
  TrialLog(search::Journal* journal, const std::string& out_dir, bool log)
      : journal_(journal), out_dir_(out_dir), log_(log), t0_(std::chrono::steady_clock::now()) {
    if (journal_ == nullptr) return;
    for (const auto& [key, r] : journal_->finished()) {
      if (better(r)) best_ = {r.rung, r.val_loss};
    }
  }
  void operator()(const search::TrialResult& r, std::size_t done, std::size_t total) {
    const bool new_best = better(r);
    if (new_best) best_ = {r.rung, r.val_loss};
    if (journal_ != nullptr) {
      journal_->append(r);
      if (new_best && r.model) {
        io::save_model(*r.model, (std::filesystem::path(out_dir_) / "best-trial.nnfit").string());
      }
    }
    if (!log_) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    spdlog::info("{} {}/{}: {}  val_loss {:.5f}  best so far {:.5f}  eta {}",
                 r.rung > 0 ? fmt::format("rung {} ({} epochs), training", r.rung, r.budget)
                            : std::string("trial"),
                 done, total, search::canonical(r.params), r.val_loss, best_.second,
                 format_duration(elapsed / static_cast<double>(done) *
                                 static_cast<double>(total - done)));
  }

 private:
  bool better(const search::TrialResult& r) const {
    return r.rung > best_.first || (r.rung == best_.first && r.val_loss < best_.second);
  }
  search::Journal* journal_;
  std::string out_dir_;
  bool log_;  // false with --no-progress
  std::chrono::steady_clock::time_point t0_;
  std::pair<int, double> best_{0, std::numeric_limits<double>::infinity()};
};

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

void run_gridsearch(GridsearchCommand& c, const CLI::App& cmd) {
  resolve_train_flags(c);
  // A bad --refit is an error before the search, not after it.
  if (c.json && c.results_path.empty()) {
    throw ConfigError("--json prints on stdout, where the results table goes without --results: "
                      "give --results FILE");
  }
  if (search::parse_final_model(c.refit_mode) == search::FinalModel::kTrial && c.folds > 0) {
    throw ConfigError("--refit trial needs one validation split: with --folds each fold has its "
                      "own model; use --refit protocol or epochs");
  }
  if (c.jobs < 1) throw ConfigError("invalid --jobs " + std::to_string(c.jobs) + ": must be >= 1");
  Eigen::setNbThreads(1);  // one thread per trial; parallelism comes from --jobs
  search::SearchSpace space;
  const std::vector<search::Candidate> cands = candidates(c, space);
  for (const search::Candidate& cand : cands) search::apply(cand, c.opt);  // before any data

  std::vector<PathFlag> inputs = input_paths(c), outputs = out_dir_paths(c.out_dir);
  inputs.insert(inputs.end(), c.merge_inputs.begin(), c.merge_inputs.end());
  outputs.insert(outputs.begin(), {{"--model", c.model_path}, {"--results", c.results_path}});
  check_output_paths(inputs, outputs);  // before the search, not after it
  const auto [shard_index, shard_count] = c.shard.empty() ? std::pair<std::size_t, std::size_t>{0, 1}
                                                          : parse_shard(c.shard);
  if (c.halving) {
    search::check_halving(cands, shard_count);
    search::halving_rungs(cands.size(), c.opt.epochs, c.halving_options);
    if (c.opt.min_epochs > 0) {
      spdlog::warn("--min-epochs {} is early stopping's minimum inside each trial; successive "
                   "halving's shortest first rung is --halving-min-epochs",
                   c.opt.min_epochs);
    }
  }
  train::InputData in = train::read_inputs(c.data);
  const std::vector<train::PreparedData> sets = prepare_sets(c, cands.size(), in);
  const bool classification = sets[0].model.target.task == data::Task::kClassification;
  const std::unique_ptr<search::Journal> journal = open_journal(c, cmd);
  const InterruptGuard interrupt;
  if (c.halving) log_rungs(cands.size(), c);
  search::RunOptions ro;
  ro.jobs = c.jobs;
  ro.interrupt = interrupt.flag();
  ro.finished = c.merging ? &c.merged : journal ? &journal->finished() : nullptr;
  ro.run_new = !c.merging;
  ro.shard_index = shard_index;
  ro.shard_count = shard_count;
  ro.max_trials = c.max_trials;
  ro.max_seconds = c.max_time;
  ro.on_trial = TrialLog(journal.get(), c.out_dir, !c.no_progress);
  search::HalvingResult halving;
  std::vector<search::TrialResult> results;
  if (c.halving) {
    halving = search::run_halving(sets, c.opt, cands, ro, c.halving_options);
    results = search::final_results(halving.rungs);
  } else {
    results = search::run_trials(sets, c.opt, cands, ro);
  }
  const std::string results_table =
      table(results, keys(space), classification, c.folds > 0, c.halving);
  write_output(c.results_path, results_table);
  if (journal) {
    io::write_file_atomically((std::filesystem::path(c.out_dir) / "results.csv").string(),
                              results_table);
  }
  const auto unfinished = std::count_if(results.begin(), results.end(),
                                        [](const search::TrialResult& r) { return !r.done; });
  const std::vector<int> rank = search::ranks(results);
  const auto best_it = std::find(rank.begin(), rank.end(), 1);
  const search::TrialResult& best = results[static_cast<std::size_t>(best_it - rank.begin())];
  if (interrupt.flag()->load()) {
    throw Interrupted("interrupted: the table holds the finished trials; no model was refit" +
                      std::string(journal ? "; rerun the same command to resume" : ""));
  }
  if (unfinished == static_cast<long>(results.size())) {
    throw ConfigError(c.merging ? "the journals hold no finished trial"
                                : "no trial ran (--max-trials or --max-time too small)");
  }
  if (shard_count > 1) {
    spdlog::info("shard {}/{}: {} trials in {}; combine the shards with nnfit gridsearch merge "
                 "DIR...", shard_index + 1, shard_count, results.size() - unfinished, c.out_dir);
    return;
  }
  warn_incomplete(c, unfinished, results.size(), halving, best, journal != nullptr);
  if (best.diverged) throw TrainingDiverged("every trial diverged; lower the learning rates searched");
  if (c.halving) {
    log_summary(halving.rungs[0], space, best,
                fmt::format("at rung 1 ({} epochs, every candidate)", halving.rungs[0][0].budget));
  } else {
    log_summary(results, space, best);
  }
  const std::size_t run = results.size() - static_cast<std::size_t>(unfinished);
  const nlohmann::json metrics =
      save_final_model({c.refit_mode, c.model_path, c.opt, c.halving ? best.budget : c.opt.epochs},
                       best, in, sets, {run, results.size()});
  if (c.json) {
    write_output("-", search_summary(best, run, results.size(), c.model_path, c.refit_mode,
                                     metrics).dump(2) + "\n");
  }
}


void add_gridsearch_options(CLI::App& app, GridsearchCommand& g) {
  GridsearchCommand* c = &g;
  CLI::App* cmd = &app;
  add_train_flags(*cmd, *c);
  cmd->add_option("--grid", c->grid,
                  "KEY=V1,V2,...: search every value (repeat for more keys: the full product). "
                  "Use '|' between values that contain commas: 'hidden=64|128,64'. Keys: lr, "
                  "momentum, hidden, activation, l1, l2, batch-size, epochs, patience, min-delta")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--space", c->space,
                  "KEY=loguniform(a,b) | uniform(a,b) | int(a,b) | choice(v1,v2,...): random "
                  "search with --trials (repeatable; combines with --grid)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--trials", c->trials, "Number of random candidates (distinct; with --space)")
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
                  "K-fold cross-validation (stratified for classification): each trial is scored "
                  "by its mean loss over the K held-out folds (table: val_loss and "
                  "val_loss_sd); early stopping uses --val-split of each fold's training rows; "
                  "0 = one validation split")
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
      "gridsearch", "Search hyper-parameters (grid or random), refit the best and save it");
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cmd->footer(help_footer(
      {"nnfit gridsearch --data data/iris.csv --target species --grid lr=0.1,0.03,0.01 \\\n"
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
