// A trained model: preprocessing fitted on the training data, the network's architecture and
// weights, and the record of how it was trained. Everything predict needs is in here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/types.h"
#include "data/dataset.h"
#include "data/preprocess.h"
#include "data/target.h"
#include "nn/network.h"
#include "train/config.h"

namespace nnfit::model {

struct Model {
  // Input columns (matched by name at predict time) and their imputation, standardisation and
  // one-hot encoding, fitted on the training rows only.
  data::Preprocessor features;
  // --ignore columns and columns dropped for too many categories: skipped at predict time
  // without a warning.
  std::vector<std::string> ignored_columns;
  std::vector<std::string> na_values;      // --na-values of training, also missing at predict
  char decimal = '.';                      // --decimal of training: the files' decimal mark
  std::string target_name;
  // --weight-column of training ("" = none): not a feature; evaluate weighs its metrics by it
  // when the file has it, predict skips it.
  std::string weight_column;
  data::TargetEncoding target;             // task and class names (index order)
  double target_mean = 0.0;                // regression: y_std = (y - mean) / scale
  double target_scale = 1.0;
  nn::NetworkSpec spec;
  Vector params;                           // nn::Network's flat parameter vector
  train::TrainOptions options;             // hyper-parameters and seed of the run
  nlohmann::json metrics = nlohmann::json::object();  // best epoch, train/validation metrics
};

// The output layer and loss for a target: softmax + NLL for 3+ classes, sigmoid + BCE for 2,
// identity + squared error for regression.
void set_output(nn::NetworkSpec& spec, const data::TargetEncoding& target);

// Network outputs for the rows of d (features as read, matched to the model's columns by name;
// see data::Preprocessor::transform for the errors and the unseen-category warning):
// class probabilities (K, N; (1, N) = P(second class) for two classes) or predictions in
// target units (1, N).
// unseen: see Preprocessor::transform (for a file predicted in chunks).
Matrix predict_outputs(const Model& m, data::Dataset d, const data::WarningSink& warn = {},
                       data::UnseenCategories* unseen = nullptr);
// One label per column: the class name, or the value in target units (shortest round-trip text).
std::vector<std::string> prediction_labels(const Model& m, const Matrix& outputs);

}  // namespace nnfit::model
