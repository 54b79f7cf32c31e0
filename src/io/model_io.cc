// Model file writer and reader: the JSON document, its CRC-32 checksum line, atomic writes.
#include "io/model_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <type_traits>

#include "core/error.h"
#include "io/checksum.h"
#include "io/model_layers.h"
#include "io/json_numbers.h"
#include "io/model_recognise.h"
#include "io/preprocess_json.h"

namespace nnfit::io {
namespace {

using detail::bad_model;
using detail::indices_from_json;
using detail::integer_from_json;
using detail::scalar_from_json;
using nlohmann::json;

// nnfit writes 4 levels; the limit keeps a hostile file from overflowing the stack, since
// nlohmann::json copies and prints nested values recursively.
constexpr int kMaxJsonDepth = 64;

Vector vector_from_json(const json& a, const std::string& source) {
  if (!a.is_array()) {
    bad_model(source, std::string("expected an array of numbers, got ") + a.type_name());
  }
  Vector v(static_cast<Index>(a.size()));
  for (Index i = 0; i < v.size(); ++i) {
    v[i] = scalar_from_json(a[static_cast<std::size_t>(i)], source);
  }
  return v;
}

[[noreturn]] void corrupt_model(const std::string& source, const std::string& what) {
  throw ModelError("'" + source + "' is corrupt: " + what + "; retrain or restore it");
}

// Throws ModelError unless the checksum line is present and matches.
void verify_checksum(std::string_view text, const std::string& source) {
  switch (check_checksum(text)) {
    case ChecksumStatus::kOk:
      return;
    case ChecksumStatus::kMissing:
      corrupt_model(source, "no checksum (the file was truncated or edited)");
    case ChecksumStatus::kMismatch:
      corrupt_model(source, "checksum mismatch (the file was truncated or edited)");
  }
}

// What the writer guarantees and predict relies on: a concrete task, an output layer that fits
// the classes, positive finite scales.
void check_consistency(const model::Model& m, const std::string& source) {
  if (m.target.task == data::Task::kAuto) bad_model(source, "task must not be \"auto\"");
  if (m.target.task == data::Task::kClassification && m.target.classes.size() < 2) {
    bad_model(source, "a classifier needs at least 2 classes");
  }
  nn::NetworkSpec expected = m.spec;
  model::set_output(expected, m.target);
  if (expected.outputs != m.spec.outputs || expected.loss != m.spec.loss) {
    bad_model(source, "the output layer does not match the target (" +
                          std::to_string(m.target.classes.size()) + " classes, " +
                          std::to_string(m.spec.outputs) + " outputs)");
  }
  if (!(m.target_scale > 0)) {
    bad_model(source, "the target scale is not positive");
  }
}

// Version 1 "features": numeric columns only, {"names", "ignored", "mean", "scale"}.
data::Preprocessor features_v1(const json& f, const std::string& source) {
  const auto names = f.at("names").get<std::vector<std::string>>();
  const Vector mean = vector_from_json(f.at("mean"), source);
  const Vector scale = vector_from_json(f.at("scale"), source);
  if (mean.size() != static_cast<Index>(names.size()) || scale.size() != mean.size()) {
    bad_model(source, "feature names, means and scales disagree in number");
  }
  data::Preprocessor p;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto k = static_cast<Index>(i);
    if (!(scale[k] > 0)) bad_model(source, "a feature scale is not positive");
    data::FeatureColumn c;
    c.name = names[i];
    c.mean = mean[k];
    c.scale = scale[k];
    p.columns.push_back(c);
  }
  return p;
}

void read_features_and_target(const json& j, int version, model::Model& m,
                              const std::string& source) {
  m.target.task = data::parse_task(j.at("task").get<std::string>());
  const json& f = j.at("features");
  m.features = version == 1 ? features_v1(f, source) : preprocessor_from_json(f, source);
  if (f.contains("ignored")) m.ignored_columns = f.at("ignored").get<std::vector<std::string>>();
  if (version > 1) m.na_values = f.at("na_values").get<std::vector<std::string>>();
  if (f.contains("decimal")) {
    const auto mark = f.at("decimal").get<std::string>();
    if (mark != "." && mark != ",")
      bad_model(source, "decimal mark '" + mark + "' is not '.' or ','");
    m.decimal = mark[0];
  }
  const json& t = j.at("target");
  m.target_name = t.at("name").get<std::string>();
  if (t.contains("weight_column")) m.weight_column = t.at("weight_column").get<std::string>();
  m.target.classes = t.at("classes").get<std::vector<std::string>>();
  m.target_mean = t.at("mean").get<double>();
  m.target_scale = t.at("scale").get<double>();
}

void read_architecture(const json& a, nn::NetworkSpec& spec) {
  spec.inputs = integer_from_json<Index>(a.at("inputs"));
  spec.hidden = indices_from_json(a.at("hidden"));
  for (const auto& s : a.at("activations")) spec.activations.push_back(nn::parse_activation(s));
  spec.outputs = integer_from_json<Index>(a.at("outputs"));
  spec.loss = nn::parse_loss(a.at("loss").get<std::string>());
}

model::Model parse_model(const json& j, const std::string& source) {
  const int version = integer_from_json<int>(j.at("version"));
  if (version < 1 || version > kModelVersion) {
    bad_model(source, "format version " + std::to_string(version) +
                          " is newer than this nnfit supports (" + std::to_string(kModelVersion) +
                          "); upgrade nnfit");
  }
  model::Model m;
  read_features_and_target(j, version, m, source);
  read_architecture(j.at("architecture"), m.spec);
  m.options = options_from_json(j.at("hyperparameters"));
  m.metrics = j.at("metrics");
  if (m.spec.inputs != m.features.output_size()) {
    bad_model(source, "the input columns and the network's input size disagree");
  }
  check_consistency(m, source);
  detail::read_layers(j.at("layers"), version, m, source);
  return m;
}

}  // namespace

nlohmann::json model_header(const model::Model& m) {
  using nlohmann::json;
  json j;
  j["format"] = kModelFormat;
  j["version"] = kModelVersion;
  j["task"] = data::task_name(m.target.task);
  j["features"] = preprocessor_to_json(m.features);
  j["features"]["ignored"] = m.ignored_columns;
  j["features"]["na_values"] = m.na_values;
  // Only when not the default, so that models without it stay byte-identical.
  if (m.decimal != '.') j["features"]["decimal"] = std::string(1, m.decimal);
  j["target"] = {{"name", m.target_name},
                 {"classes", m.target.classes},
                 {"mean", m.target_mean},
                 {"scale", m.target_scale}};
  // Only with a weight column, so that models without one stay byte-identical.
  if (!m.weight_column.empty()) j["target"]["weight_column"] = m.weight_column;
  std::vector<std::string> acts;
  for (nn::Activation a : m.spec.activations) acts.push_back(nn::activation_name(a));
  j["architecture"] = {{"inputs", m.spec.inputs},
                       {"hidden", m.spec.hidden},
                       {"activations", acts},
                       {"outputs", m.spec.outputs},
                       {"loss", nn::loss_name(m.spec.loss)},
                       {"parameters", m.params.size()}};
  j["hyperparameters"] = options_to_json(m.options);
  j["seed"] = m.options.seed;
  j["metrics"] = m.metrics;
  return j;
}

std::string model_to_string(const model::Model& m) {
  std::string text = model_header(m).dump(2);
  text.pop_back();  // drop the closing brace; the layers follow
  while (!text.empty() && text.back() == '\n') text.pop_back();
  text += ",\n" + detail::layers_text(m);
  return text + "  \"checksum\": \"" + checksum_of(text) + "\"\n}\n";
}

model::Model model_from_string(const std::string& text, const std::string& source, int* version) {
  const auto limit_depth = [&source](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth) bad_model(source, "JSON nested too deeply");
    return true;
  };
  // Recognise the file first, then verify its checksum, then read it.
  const json j = json::parse(text, limit_depth, /*allow_exceptions=*/false);
  const std::string looks_like = unrecognised_model(text, j.is_discarded() ? nullptr : &j);
  if (!looks_like.empty()) {
    throw ModelError("'" + source + "' is not an nnfit model (" + looks_like +
                     "); give a model file written by nnfit train");
  }
  verify_checksum(text, source);
  try {
    if (j.is_discarded()) {
      [[maybe_unused]] const json again = json::parse(text);  // throws the parser's message
    }
    if (version != nullptr) *version = integer_from_json<int>(j.at("version"));
    return parse_model(j, source);
  } catch (const nlohmann::json::exception& e) {
    bad_model(source, std::string(e.what()) + " (the file may be truncated or edited)");
  } catch (const ConfigError& e) {
    bad_model(source, e.what());
  } catch (const DataError& e) {
    bad_model(source, e.what());
  }
}

void save_model(const model::Model& m, const std::string& path) {
  write_file_atomically(path, model_to_string(m));
}

model::Model load_model(const std::string& path, int* version) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    throw ModelError("'" + path + "' is a directory; give a model file written by nnfit train");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ModelError("cannot open model '" + path + "': " + std::strerror(errno));
  std::string text;
  if (S_ISREG(st.st_mode)) text.reserve(static_cast<std::size_t>(st.st_size));
  std::array<char, 1 << 16> buf;
  while (in.read(buf.data(), buf.size()) || in.gcount() > 0) {
    text.append(buf.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw ModelError("cannot read model '" + path + "': " + std::strerror(errno));
  return model_from_string(text, path, version);
}

}  // namespace nnfit::io
