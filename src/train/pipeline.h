// From CSV files to a trained model: read, encode the target, split, preprocess (impute,
// standardise, one-hot; fitted on the training part only), build and initialise the network,
// fit, and package the Model.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "data/csv.h"
#include "data/dataset.h"
#include "model/model.h"
#include "train/config.h"
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
};

struct TrainRun {
  model::Model model;
  FitResult fit;
  Index n_train = 0;
  Index n_val = 0;
  double load_seconds = 0.0;
};

// Checks DataOptions (ConfigError naming the option).
void validate(const DataOptions& opt);

// Drops d's categorical features with more than opt.max_categories categories, with a warning
// each, and returns their names.
std::vector<std::string> drop_wide_categoricals(data::Dataset& d, const DataOptions& opt);

// interrupt: see FitData::interrupt; run.fit.interrupted says whether it stopped the run.
// Reads data.data (and data.val_data, with the training file's column types) and trains. Throws DataError / ConfigError /
// TrainingDiverged.
TrainRun train_csv(const DataOptions& data, const TrainOptions& opt,
                   const EpochCallback& on_epoch = {},
                   const std::atomic<bool>* interrupt = nullptr);
// The same on datasets already read (val may be null). Takes train by value so that its
// feature matrix can be moved, not copied, into the training set.
TrainRun train_datasets(data::Dataset train, const data::Dataset* val,
                        const DataOptions& data, const TrainOptions& opt,
                        const EpochCallback& on_epoch = {},
                   const std::atomic<bool>* interrupt = nullptr);

}  // namespace nnfit::train
