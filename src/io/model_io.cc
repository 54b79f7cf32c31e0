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
#include "io/preprocess_json.h"

namespace nnfit::io {
namespace {

using nlohmann::json;

// nnfit writes 4 levels; the limit keeps a hostile file from overflowing the stack, since
// nlohmann::json copies and prints nested values recursively.
constexpr int kMaxJsonDepth = 64;

// Shortest round-trip form. Negative zero is written "-0.0": JSON readers take "-0" for the
// integer 0 and would lose the sign (found by fuzz/model_fuzz).
void append_float(std::string& out, Scalar v) {
  if (v == 0 && std::signbit(v)) {
    out += "-0.0";
    return;
  }
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

[[noreturn]] void bad_model(const std::string& source, const std::string& what) {
  throw ModelError("'" + source + "' is not a usable nnfit model: " + what);
}

// A finite number that fits in a Scalar (narrowing an out-of-range double is undefined).
Scalar scalar_from_json(const json& v, const std::string& source) {
  const double d = v.get<double>();
  if (!(std::fabs(d) <= static_cast<double>(FLT_MAX))) {
    bad_model(source, "value " + v.dump() + " does not fit in a float");
  }
  return static_cast<Scalar>(d);
}

// An integer of type T. Unlike json::get, never converts a float (undefined behaviour when it is
// out of T's range) and never wraps; throws ConfigError, which the loader names the file in.
template <typename T>
T integer_from_json(const json& v) {
  bool fits = v.is_number_integer();
  if (fits && v.is_number_unsigned()) {
    fits = v.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
  } else if (fits) {
    const std::int64_t x = v.get<std::int64_t>();
    fits = std::is_signed_v<T> ? x >= static_cast<std::int64_t>(std::numeric_limits<T>::min()) &&
                                     x <= static_cast<std::int64_t>(std::numeric_limits<T>::max())
                               : x >= 0;
  }
  if (!fits) {
    const std::string got = v.is_number() ? v.dump() : v.type_name();
    throw ConfigError("expected an integer in range, got " + got);
  }
  return v.get<T>();
}

std::vector<Index> indices_from_json(const json& a) {
  if (!a.is_array()) {
    throw ConfigError(std::string("expected an array of integers, got ") + a.type_name());
  }
  std::vector<Index> out;
  for (const json& v : a) out.push_back(integer_from_json<Index>(v));
  return out;
}

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

// Sizes of every layer's input, then the output size: [inputs, hidden..., outputs].
std::vector<Index> layer_sizes(const nn::NetworkSpec& s) {
  std::vector<Index> sizes{s.inputs};
  sizes.insert(sizes.end(), s.hidden.begin(), s.hidden.end());
  sizes.push_back(s.outputs);
  return sizes;
}

// "layers": one object per Dense layer. The flat vector holds, per layer, W (out, in)
// column-major followed by b (out); the file shows W one row (output unit) per line.
std::string layers_text(const model::Model& m) {
  const std::vector<Index> sizes = layer_sizes(m.spec);
  std::string out = "  \"layers\": [";
  Index offset = 0;
  for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
    const Index in = sizes[l], n_out = sizes[l + 1];
    const bool last = l + 2 == sizes.size();
    const std::string act = last ? "output" : nn::activation_name(m.spec.activations[l]);
    out += l ? ",\n    {" : "\n    {";
    out += "\"type\": \"dense\", \"inputs\": " + std::to_string(in) +
           ", \"outputs\": " + std::to_string(n_out) + ", \"activation\": \"" + act + "\",\n";
    out += "     \"weights\": [";
    for (Index o = 0; o < n_out; ++o) {
      out += o ? ",\n      [" : "\n      [";
      for (Index i = 0; i < in; ++i) {
        if (i) out += ", ";
        append_float(out, m.params[offset + i * n_out + o]);
      }
      out += "]";
    }
    out += "],\n     \"bias\": [";
    for (Index o = 0; o < n_out; ++o) {
      if (o) out += ", ";
      append_float(out, m.params[offset + in * n_out + o]);
    }
    out += "]}";
    offset += in * n_out + n_out;
  }
  return out + "\n  ],\n";
}

json header_json(const model::Model& m) {
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
  std::vector<std::string> acts;
  for (nn::Activation a : m.spec.activations) acts.push_back(nn::activation_name(a));
  j["architecture"] = {{"inputs", m.spec.inputs},     {"hidden", m.spec.hidden},
                       {"activations", acts},          {"outputs", m.spec.outputs},
                       {"loss", nn::loss_name(m.spec.loss)}, {"parameters", m.params.size()}};
  j["hyperparameters"] = options_to_json(m.options);
  j["seed"] = m.options.seed;
  j["metrics"] = m.metrics;
  return j;
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
      corrupt_model(source, "no checksum (the file was truncated, or was not written by nnfit)");
    case ChecksumStatus::kMismatch:
      corrupt_model(source, "checksum mismatch (the file was truncated or edited)");
  }
}

// Checks every layer's weight rows and row lengths and the bias length against the
// architecture, before anything is allocated from the sizes the file claims.
void check_layer_shapes(const json& layers, const std::vector<Index>& sizes,
                        const std::string& source) {
  if (!layers.is_array() || layers.size() + 1 != sizes.size()) {
    bad_model(source, "layer count does not match architecture");
  }
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const Index in = sizes[l], n_out = sizes[l + 1];
    const json& w = layers[l].at("weights");
    const json& b = layers[l].at("bias");
    if (!w.is_array() || !b.is_array() || static_cast<Index>(w.size()) != n_out ||
        static_cast<Index>(b.size()) != n_out) {
      bad_model(source, "layer " + std::to_string(l + 1) + " has the wrong number of rows");
    }
    for (const json& row : w) {
      if (!row.is_array() || static_cast<Index>(row.size()) != in) {
        bad_model(source, "layer " + std::to_string(l + 1) + " has a row of the wrong length");
      }
    }
  }
}

void read_layers(const json& layers, model::Model& m, const std::string& source) {
  const std::vector<Index> sizes = layer_sizes(m.spec);
  check_layer_shapes(layers, sizes, source);
  nn::Network shape(m.spec);
  m.params.resize(shape.param_count());
  Index offset = 0;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const Index in = sizes[l], n_out = sizes[l + 1];
    const json& w = layers[l]["weights"];
    const json& b = layers[l]["bias"];
    for (Index o = 0; o < n_out; ++o) {
      const json& row = w[static_cast<std::size_t>(o)];
      for (Index i = 0; i < in; ++i) {
        const json& v = row[static_cast<std::size_t>(i)];
        m.params[offset + i * n_out + o] = scalar_from_json(v, source);
      }
      m.params[offset + in * n_out + o] = scalar_from_json(b[static_cast<std::size_t>(o)], source);
    }
    offset += in * n_out + n_out;
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
  if (!j.is_object() || j.value("format", "") != kModelFormat) {
    bad_model(source, "no \"format\": \"nnfit-model\" field");
  }
  const int version = integer_from_json<int>(j.at("version"));
  if (version < 1 || version > kModelVersion) {
    bad_model(source, "format version " + std::to_string(version) +
                          " is newer than this nnfit supports (" +
                          std::to_string(kModelVersion) + "); upgrade nnfit");
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
  read_layers(j.at("layers"), m, source);
  return m;
}

}  // namespace

nlohmann::json options_to_json(const train::TrainOptions& o) {
  return {{"hidden", o.hidden},     {"activation", o.activation}, {"optimizer", o.optimizer},
          {"lr", o.lr},             {"momentum", o.momentum},     {"batch_size", o.batch_size},
          {"epochs", o.epochs},     {"l1", o.l1},                 {"l2", o.l2},
          {"patience", o.patience}, {"min_delta", o.min_delta},   {"seed", o.seed}};
}

train::TrainOptions options_from_json(const nlohmann::json& j) {
  train::TrainOptions o;
  o.hidden = indices_from_json(j.at("hidden"));
  o.activation = j.at("activation").get<std::vector<std::string>>();
  o.optimizer = j.at("optimizer").get<std::string>();
  o.lr = j.at("lr").get<double>();
  o.momentum = j.at("momentum").get<double>();
  o.batch_size = integer_from_json<Index>(j.at("batch_size"));
  o.epochs = integer_from_json<int>(j.at("epochs"));
  o.l1 = j.at("l1").get<double>();
  o.l2 = j.at("l2").get<double>();
  o.patience = integer_from_json<int>(j.at("patience"));
  o.min_delta = j.at("min_delta").get<double>();
  o.seed = integer_from_json<std::uint64_t>(j.at("seed"));
  return o;
}

std::string model_to_string(const model::Model& m) {
  std::string text = header_json(m).dump(2);
  text.pop_back();  // drop the closing brace; the layers follow
  while (!text.empty() && text.back() == '\n') text.pop_back();
  text += ",\n" + layers_text(m);
  return text + "  \"checksum\": \"" + checksum_of(text) + "\"\n}\n";
}

model::Model model_from_string(const std::string& text, const std::string& source) {
  verify_checksum(text, source);  // first: a damaged file gets one clear message
  const auto limit_depth = [&source](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth) bad_model(source, "JSON nested too deeply");
    return true;
  };
  try {
    return parse_model(json::parse(text, limit_depth), source);
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

model::Model load_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ModelError("cannot open model '" + path + "': " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return model_from_string(ss.str(), path);
}

}  // namespace nnfit::io
