// Helpers for the model file tests: a small trained model, edited documents re-sealed with a
// valid checksum, the loader's error message, and the version 2 layout of the weights.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"
#include "io/model_io.h"
#include "testing/paths.h"
#include "train/pipeline.h"

namespace nnfit::io {

inline train::TrainRun small_run(std::uint64_t seed, const std::string& file = "iris.csv") {
  train::DataOptions d;
  d.data = test::data_path(file);
  train::TrainOptions o;
  o.hidden = {5, 3};
  o.activation = {"tanh", "relu"};
  o.epochs = 5;
  o.seed = seed;
  return train::train_csv(d, o);
}

// An edited document written back with a fresh checksum, so a test reaches the check it means.
inline std::string reseal(nlohmann::json j) {
  j.erase("checksum");
  std::string text = j.dump(2);
  text.pop_back();  // the closing brace
  text += ",\n";
  return text + "  \"checksum\": \"" + checksum_of(text) + "\"\n}\n";
}

// m's document in format version 2, whose layers hold the weights as rows of JSON numbers (one
// per output unit) and the bias as an array, as nnfit wrote them before version 3.
inline nlohmann::json as_version2(const model::Model& m) {
  auto j = nlohmann::json::parse(model_to_string(m));
  j["version"] = 2;
  Index offset = 0;
  for (auto& layer : j["layers"]) {
    const Index in = layer["inputs"], out = layer["outputs"];
    nlohmann::json rows = nlohmann::json::array(), bias = nlohmann::json::array();
    for (Index o = 0; o < out; ++o) {
      nlohmann::json row = nlohmann::json::array();
      for (Index i = 0; i < in; ++i) row.push_back(m.params[offset + i * out + o]);
      rows.push_back(row);
      bias.push_back(m.params[offset + in * out + o]);
    }
    layer["weights"] = rows;
    layer["bias"] = bias;
    offset += in * out + out;
  }
  return j;
}

// The message of the ModelError that model_from_string throws, or "" if it throws none.
inline std::string load_error(const std::string& text) {
  try {
    model_from_string(text, "m.nnfit");
  } catch (const ModelError& e) {
    return e.what();
  }
  return "";
}

using Edit = std::function<void(nlohmann::json&)>;
// The loader's message for document j edited by `edit` and re-sealed ("" if it loads).
inline std::string error_after(nlohmann::json j, const Edit& edit) {
  edit(j);
  return load_error(reseal(j));
}

}  // namespace nnfit::io
