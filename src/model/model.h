// A trained model: preprocessing fitted on the training data, the network's architecture and
// weights, and the record of how it was trained. Everything predict needs is in here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/types.h"
#include "data/dataset.h"
#include "data/target.h"
#include "data/scaler.h"
#include "nn/network.h"
#include "train/config.h"

namespace nnfit::model {

struct Model {
  std::vector<std::string> feature_names;  // input columns, matched by name at predict time
  std::vector<std::string> ignored_columns;  // --ignore: skipped at predict time without warning
  data::Standardizer feature_scaler;       // fitted on the training rows only
  std::string target_name;
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

// Network outputs for raw (unstandardised) features x (features, N): class probabilities
// (K, N; (1, N) = P(second class) for two classes) or predictions in target units (1, N).
Matrix predict_outputs(const Model& m, Matrix x);
// One label per column: the class name, or the value in target units (shortest round-trip text).
std::vector<std::string> prediction_labels(const Model& m, const Matrix& outputs);

}  // namespace nnfit::model
