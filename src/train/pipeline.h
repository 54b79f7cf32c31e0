// From CSV files to a trained model: read, encode the target, split, preprocess (impute,
// standardise, one-hot; fitted on the training part only), build and initialise the network,
// fit, and package the Model.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/rng.h"
#include "data/csv.h"
#include "data/dataset.h"
#include "model/model.h"
#include "nn/network.h"
#include "train/config.h"
#include "train/footprint.h"
#include "train/lr_auto.h"
#include "train/trainer.h"

namespace nnfit::train {

struct DataOptions {
  std::string data;           // training CSV ("-" = stdin)
  std::string target;         // column name or 0-based index; "" = last column
  std::string val_data;       // separate validation CSV; overrides val_split
  double val_split = 0.2;     // fraction held out for validation, in [0, 1); 0 = none
  std::string task = "auto";  // auto | classification | regression
  // Missing feature cells: none (an error) | mean | median | mode (data::parse_impute).
  std::string impute = "none";
  // Categorical columns with more categories than this are dropped with a warning; 0 = no limit.
  std::size_t max_categories = 100;
  // Dialect, ignored and categorical columns, missing-value tokens, warning sink (both files;
  // allow_missing and infer_types are set by the pipeline).
  data::CsvOptions csv;
  // Called once the network's size is known, before it is built (train/footprint.h); may be
  // empty. A network that cannot fit in memory is refused (ConfigError) after this call.
  std::function<void(const Footprint&)> on_network;
};

struct TrainRun {
  model::Model model;
  FitResult fit;
  Index n_train = 0;
  Index n_val = 0;
  double load_seconds = 0.0;
  // Training time of the runs that chose a refit's epoch count (the K folds, or the held-out
  // run); not in the model, whose bytes depend only on seed, data and threads.
  double select_seconds = 0.0;
  std::optional<LrAuto> lr_auto;  // --lr auto: the curvature and the rate chosen from it
};

// The data of a run, prepared for training: the model without its network (preprocessing fitted
// on the training part, target encoding and scaling, column lists) and the network-ready
// matrices. Read-only during training, so many trials can share one.
struct PreparedData {
  model::Model model;
  Matrix x_train, y_train, x_val, y_val;
  // Cross-validation: the scored fold, preprocessed like the rest (x_val then only serves
  // early stopping). Empty otherwise.
  Matrix x_test, y_test;
  // Sample weights (--weight-column) of the rows of x_train, x_val and x_test; empty without
  // one. The training loss also multiplies in --class-weight (PreparedFit); the validation and
  // test metrics use these alone.
  Vector w_train, w_val, w_test;
};

// The files of a run, read: the training file, and the validation file if data.val_data is
// set (read with the training file's column types). options: data with the reader settings
// the files need (allow_missing for --impute, the dropped wide categorical columns ignored).
struct InputData {
  data::Dataset train, val;
  bool has_val = false;
  DataOptions options;
  std::vector<std::string> wide_dropped;  // categorical columns over max_categories (dropped)
  double load_seconds = 0.0;
};

// Checks DataOptions (ConfigError naming the option).
void validate(const DataOptions& opt);

InputData read_inputs(const DataOptions& data);

// Fits the target, splits (drawing from rng; val, if given, is the validation part) and
// preprocesses. Throws DataError for data that cannot train.
PreparedData prepare_data(data::Dataset train, const data::Dataset* val, const DataOptions& data,
                          Rng& rng);
// Stratified (classification) K-fold sets. kScoreFold (cross-validation): fold f is scored
// (x_test) by a model trained on the other folds, whose early stopping uses a data.val_split
// part of those training rows, never fold f. kStopOnFold: fold f is the validation part that
// early stopping watches (x_val), the other folds all train, data.val_split is not used.
// Preprocessing is fitted per fold on its training part.
enum class FoldUse { kScoreFold, kStopOnFold };
std::vector<PreparedData> prepare_folds(data::Dataset train, const DataOptions& data, int folds,
                                        Rng& rng, FoldUse use = FoldUse::kScoreFold);

// Mean loss and metric (accuracy, or RMSE in target units) of model m on prepared x, y;
// weighted means with w (one per column; empty = unweighted).
struct Score {
  double loss = 0, metric = 0;
  double f1 = 0, r2 = 0;  // macro F1 (classification) or R^2 (regression)
};
Score score_on(const model::Model& m, const Matrix& x, const Matrix& y, const Vector& w = {});

// A fit of p that can be continued in steps (successive halving): owns the network, a copy of
// the rng and the Trainer. Construction builds the network of opt and initialises it from rng;
// run_to continues training (see Trainer::run_to). p must outlive it.
class PreparedFit {
 public:
  PreparedFit(const PreparedData& p, const TrainOptions& opt, const Rng& rng,
              const std::atomic<bool>* interrupt = nullptr);
  PreparedFit(const PreparedFit&) = delete;
  PreparedFit& operator=(const PreparedFit&) = delete;

  void run_to(int epochs, const EpochCallback& on_epoch = {}) {
    trainer_->run_to(epochs, on_epoch);
  }
  bool finished() const { return trainer_->finished(); }
  int epochs_run() const { return trainer_->epochs_run(); }
  // The model with the best epoch's weights so far, its metrics and the fit result.
  TrainRun run() const;
  const Rng& rng() const { return rng_; }
  // --lr auto: the curvature at the initial weights and the rate the Trainer was given
  // (measured in the constructor, before the Trainer is built). Empty without --lr auto.
  const std::optional<LrAuto>& lr_auto() const { return lr_auto_; }

 private:
  const PreparedData& p_;
  model::Model model_;  // p's model with opt and the network spec; no weights
  nn::Network net_;
  Rng rng_;
  Vector w_train_;  // p's sample weights times --class-weight; empty = unweighted
  std::vector<std::string> input_names_;  // one per network input (FitData::feature_names)
  FitData fit_data_;
  std::optional<LrAuto> lr_auto_;
  std::unique_ptr<Trainer> trainer_;
};

// opt's network on p, initialised from rng as PreparedFit initialises it (the weights training
// would start from, given the same rng), with opt's dropout: for checks such as gradcheck.
nn::Network initial_network(const PreparedData& p, const TrainOptions& opt, Rng& rng);

// The training loss's row weights: p.w_train (--weight-column) times opt.class_weight's
// factors; empty = unweighted. Throws ConfigError for --class-weight on a regression target.
Vector training_weights(const PreparedData& p, const TrainOptions& opt);

// The size and training memory of opt's network on p, before anything is allocated.
Footprint network_footprint(const PreparedData& p, const TrainOptions& opt);

// Builds the network of opt, initialises it from rng and trains it on p (shuffles from rng).
TrainRun fit_prepared(const PreparedData& p, const TrainOptions& opt, Rng& rng,
                      const EpochCallback& on_epoch = {},
                      const std::atomic<bool>* interrupt = nullptr);

// Drops d's categorical features with more than opt.max_categories categories, with a warning
// each, and returns their names.
std::vector<std::string> drop_wide_categoricals(data::Dataset& d, const DataOptions& opt);

// interrupt: see FitData::interrupt; run.fit.interrupted says whether it stopped the run.
// Reads data.data (and data.val_data, with the training file's column types) and trains. Throws
// DataError / ConfigError / TrainingDiverged.
TrainRun train_csv(const DataOptions& data, const TrainOptions& opt,
                   const EpochCallback& on_epoch = {},
                   const std::atomic<bool>* interrupt = nullptr);
// The same on datasets already read (val may be null). Takes train by value so that its
// feature matrix can be moved, not copied, into the training set.
TrainRun train_datasets(data::Dataset train, const data::Dataset* val, const DataOptions& data,
                        const TrainOptions& opt, const EpochCallback& on_epoch = {},
                        const std::atomic<bool>* interrupt = nullptr);

}  // namespace nnfit::train
