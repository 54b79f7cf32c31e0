// Model file writer and reader.
#include "io/model_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace nnfit::io {
namespace {

using nlohmann::json;

void append_float(std::string& out, Scalar v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

json vector_json(const Vector& v) {
  json a = json::array();
  for (Index i = 0; i < v.size(); ++i) a.push_back(v[i]);
  return a;
}

Vector vector_from_json(const json& a) {
  Vector v(static_cast<Index>(a.size()));
  for (Index i = 0; i < v.size(); ++i) v[i] = a.at(static_cast<std::size_t>(i)).get<Scalar>();
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
  return out + "\n  ]\n}\n";
}

json header_json(const model::Model& m) {
  json j;
  j["format"] = kModelFormat;
  j["version"] = kModelVersion;
  j["task"] = data::task_name(m.target.task);
  j["features"] = {{"names", m.feature_names},
                   {"mean", vector_json(m.feature_scaler.mean)},
                   {"scale", vector_json(m.feature_scaler.scale)}};
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

[[noreturn]] void bad_model(const std::string& source, const std::string& what) {
  throw ModelError("'" + source + "' is not a usable nnfit model: " + what);
}

void read_layers(const json& layers, model::Model& m, const std::string& source) {
  const std::vector<Index> sizes = layer_sizes(m.spec);
  if (layers.size() + 1 != sizes.size()) bad_model(source, "layer count does not match architecture");
  nn::Network shape(m.spec);
  m.params.resize(shape.param_count());
  Index offset = 0;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const Index in = sizes[l], n_out = sizes[l + 1];
    const json& w = layers[l].at("weights");
    const json& b = layers[l].at("bias");
    if (static_cast<Index>(w.size()) != n_out || static_cast<Index>(b.size()) != n_out) {
      bad_model(source, "layer " + std::to_string(l + 1) + " has the wrong number of rows");
    }
    for (Index o = 0; o < n_out; ++o) {
      const json& row = w[static_cast<std::size_t>(o)];
      if (static_cast<Index>(row.size()) != in) {
        bad_model(source, "layer " + std::to_string(l + 1) + " has a row of the wrong length");
      }
      for (Index i = 0; i < in; ++i) {
        m.params[offset + i * n_out + o] = row[static_cast<std::size_t>(i)].get<Scalar>();
      }
      m.params[offset + in * n_out + o] = b[static_cast<std::size_t>(o)].get<Scalar>();
    }
    offset += in * n_out + n_out;
  }
}

model::Model parse_model(const json& j, const std::string& source) {
  if (!j.is_object() || j.value("format", "") != kModelFormat) {
    bad_model(source, "no \"format\": \"nnfit-model\" field");
  }
  const int version = j.at("version").get<int>();
  if (version < 1 || version > kModelVersion) {
    bad_model(source, "format version " + std::to_string(version) +
                          " is newer than this nnfit supports (" +
                          std::to_string(kModelVersion) + "); upgrade nnfit");
  }
  model::Model m;
  m.target.task = data::parse_task(j.at("task").get<std::string>());
  const json& f = j.at("features");
  m.feature_names = f.at("names").get<std::vector<std::string>>();
  m.feature_scaler.mean = vector_from_json(f.at("mean"));
  m.feature_scaler.scale = vector_from_json(f.at("scale"));
  const json& t = j.at("target");
  m.target_name = t.at("name").get<std::string>();
  m.target.classes = t.at("classes").get<std::vector<std::string>>();
  m.target_mean = t.at("mean").get<double>();
  m.target_scale = t.at("scale").get<double>();
  const json& a = j.at("architecture");
  m.spec.inputs = a.at("inputs").get<Index>();
  m.spec.hidden = a.at("hidden").get<std::vector<Index>>();
  for (const auto& s : a.at("activations")) m.spec.activations.push_back(nn::parse_activation(s));
  m.spec.outputs = a.at("outputs").get<Index>();
  m.spec.loss = nn::parse_loss(a.at("loss").get<std::string>());
  m.options = options_from_json(j.at("hyperparameters"));
  m.metrics = j.at("metrics");
  const auto n_features = static_cast<Index>(m.feature_names.size());
  if (m.spec.inputs != n_features || m.feature_scaler.mean.size() != n_features ||
      m.feature_scaler.scale.size() != n_features) {
    bad_model(source, "feature list, scaler and input size disagree");
  }
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
  o.hidden = j.at("hidden").get<std::vector<Index>>();
  o.activation = j.at("activation").get<std::vector<std::string>>();
  o.optimizer = j.at("optimizer").get<std::string>();
  o.lr = j.at("lr").get<double>();
  o.momentum = j.at("momentum").get<double>();
  o.batch_size = j.at("batch_size").get<Index>();
  o.epochs = j.at("epochs").get<int>();
  o.l1 = j.at("l1").get<double>();
  o.l2 = j.at("l2").get<double>();
  o.patience = j.at("patience").get<int>();
  o.min_delta = j.at("min_delta").get<double>();
  o.seed = j.at("seed").get<std::uint64_t>();
  return o;
}

std::string model_to_string(const model::Model& m) {
  std::string head = header_json(m).dump(2);
  head.pop_back();  // drop the closing brace; the layers follow
  while (!head.empty() && head.back() == '\n') head.pop_back();
  return head + ",\n" + layers_text(m);
}

model::Model model_from_string(const std::string& text, const std::string& source) {
  try {
    return parse_model(nlohmann::json::parse(text), source);
  } catch (const nlohmann::json::exception& e) {
    bad_model(source, std::string(e.what()) + " (the file may be truncated or edited)");
  } catch (const ConfigError& e) {
    bad_model(source, e.what());
  } catch (const DataError& e) {
    bad_model(source, e.what());
  }
}

void write_file_atomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) {
    throw Error("cannot write '" + path + "': " + std::strerror(errno) +
                " (does the directory exist and is it writable?)");
  }
  const mode_t mask = ::umask(0);  // mkstemp creates 0600; give the file the usual mode
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  const int saved_errno = errno;
  const bool ok = done == text.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = ok ? errno : saved_errno;
    std::remove(tmp.c_str());
    throw Error("cannot write '" + path + "': " + std::strerror(err));
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
