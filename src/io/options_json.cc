// The model's "hyperparameters" object, derived from the table in train/params.h: every row is
// written under its name with '_' for '-'; on reading, a missing key keeps its default (models
// written before a row existed load unchanged) and unknown keys are ignored (a newer nnfit's).
#include <algorithm>
#include <cmath>

#include "io/json_numbers.h"
#include "io/model_io.h"
#include "train/params.h"

namespace nnfit::io {
namespace {

using nlohmann::json;
using O = train::TrainOptions;

std::string json_key(const train::Param& p) {
  std::string key = p.name;
  std::replace(key.begin(), key.end(), '-', '_');
  return key;
}

struct ToJson {
  const O& o;
  template <typename T>
  json operator()(T O::*f) const { return o.*f; }
  // NaN is lr's "the optimizer's default" (train::kDefaultLr), which JSON cannot hold (it
  // would be written as null): written as the text "default", as the flag takes it.
  json operator()(double O::*f) const {
    if (std::isnan(o.*f)) return "default";
    return o.*f;
  }
};

struct FromJson {
  const json& v;
  O& o;
  void operator()(double O::*f) const {
    o.*f = v.is_string() && v.get<std::string>() == "default" ? train::kDefaultLr
                                                                : v.get<double>();
  }
  void operator()(bool O::*f) const { o.*f = v.get<bool>(); }
  void operator()(std::string O::*f) const { o.*f = v.get<std::string>(); }
  void operator()(int O::*f) const { o.*f = detail::integer_from_json<int>(v); }
  void operator()(Index O::*f) const { o.*f = detail::integer_from_json<Index>(v); }
  void operator()(std::uint64_t O::*f) const {
    o.*f = detail::integer_from_json<std::uint64_t>(v);
  }
  void operator()(std::vector<Index> O::*f) const { o.*f = detail::indices_from_json(v); }
  void operator()(std::vector<std::string> O::*f) const {
    o.*f = v.get<std::vector<std::string>>();
  }
  void operator()(std::vector<double> O::*f) const { o.*f = v.get<std::vector<double>>(); }
};

}  // namespace

nlohmann::json options_to_json(const train::TrainOptions& o) {
  json j = json::object();
  for (const train::Param& p : train::params()) j[json_key(p)] = std::visit(ToJson{o}, p.field);
  j["lr_auto"] = o.lr_auto;
  return j;
}

train::TrainOptions options_from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw ConfigError("expected an object of hyper-parameters");
  train::TrainOptions o;
  // Every model records its init; one without the key predates --init and the Glorot default
  // (2026-12-04), when the initialisation was what `auto` is now.
  o.init = "auto";
  for (const train::Param& p : train::params()) {
    const auto it = j.find(json_key(p));
    if (it == j.end()) continue;
    try {
      std::visit(FromJson{*it, o}, p.field);
    } catch (const std::exception& e) {
      throw ConfigError("hyper-parameter '" + json_key(p) + "': " + e.what());
    }
  }
  if (const auto it = j.find("lr_auto"); it != j.end()) o.lr_auto = it->get<bool>();
  return o;
}

}  // namespace nnfit::io
