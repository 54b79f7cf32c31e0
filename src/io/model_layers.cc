// The "layers" member of model files: the version 3 writer and the version 1-3 readers.
#include "io/model_layers.h"

#include <cfloat>
#include <cmath>
#include <utility>
#include <vector>

#include "core/error.h"
#include "io/base64.h"
#include "nn/size.h"

namespace nnfit::io::detail {
namespace {

using nlohmann::json;

constexpr const char* kDtype = "float32-le";
constexpr const char* kOrder = "column-major";

// {"shape": [...], ("order": ...,) "dtype": ..., "base64": ...} of n floats at p.
std::string array_text(const std::string& shape, bool matrix, const Scalar* p, Index n) {
  std::string s =
      "{\"shape\": " + shape + (matrix ? std::string(", \"order\": \"") + kOrder + "\"" : "");
  s += std::string(", \"dtype\": \"") + kDtype + "\",\n       \"base64\": \"";
  s += base64_encode(float32_le_bytes(p, static_cast<std::size_t>(n)));
  return s + "\"}";
}

std::string layer_name(std::size_t l) { return "layer " + std::to_string(l + 1); }

// Versions 1 and 2: rows of JSON numbers.
void check_row_shapes(const json& w, const json& b, Index in, Index n_out, std::size_t l,
                      const std::string& source) {
  if (!w.is_array() || !b.is_array() || static_cast<Index>(w.size()) != n_out ||
      static_cast<Index>(b.size()) != n_out) {
    bad_model(source, layer_name(l) + " has the wrong number of rows");
  }
  for (const json& row : w) {
    if (!row.is_array() || static_cast<Index>(row.size()) != in) {
      bad_model(source, layer_name(l) + " has a row of the wrong length");
    }
  }
}

void read_rows(const json& w, const json& b, Index in, Index n_out, Scalar* out,
               const std::string& source) {
  for (Index o = 0; o < n_out; ++o) {
    const json& row = w[static_cast<std::size_t>(o)];
    for (Index i = 0; i < in; ++i) {
      out[i * n_out + o] = scalar_from_json(row[static_cast<std::size_t>(i)], source);
    }
    out[in * n_out + o] = scalar_from_json(b[static_cast<std::size_t>(o)], source);
  }
}

// Version 3: the base64 text of one array, after checking its shape, type and length (so
// nothing is allocated from a size the file claims). `what` names it ("layer 2 weights").
const std::string& array_base64(const json& a, const json& shape, bool matrix, std::uint64_t n,
                                const std::string& what, const std::string& source) {
  if (!a.is_object() || a.value("shape", json()) != shape) {
    bad_model(source, what + " must have \"shape\": " + shape.dump() + " (the architecture's)");
  }
  if (a.value("dtype", "") != kDtype || (matrix && a.value("order", "") != kOrder)) {
    bad_model(source, what + " must be \"dtype\": \"" + kDtype + "\"" +
                          (matrix ? std::string(", \"order\": \"") + kOrder + "\"" : ""));
  }
  const auto data = a.find("base64");
  if (data == a.end() || !data->is_string()) bad_model(source, what + " has no \"base64\" string");
  const std::string& text = data->get_ref<const std::string&>();
  const std::uint64_t bytes = nn::saturating_mul(4, static_cast<std::uint64_t>(n));
  const std::uint64_t expected = nn::saturating_mul(4, bytes / 3 + (bytes % 3 != 0));
  if (text.size() != expected) {
    bad_model(source, what + ": " + std::to_string(text.size()) + " base64 characters, expected " +
                          std::to_string(expected) + " (" + std::to_string(n) +
                          " float32 values); the file was edited or written by another tool");
  }
  return text;
}

void decode_array(const std::string& text, Index n, Scalar* out, const std::string& what,
                  const std::string& source) {
  std::string bytes;
  try {
    bytes = base64_decode(text);
  } catch (const DataError& e) {
    bad_model(source, what + ": " + e.what());
  }
  if (bytes.size() != 4 * static_cast<std::size_t>(n)) {  // only a mis-padded last group
    bad_model(source, what + ": " + std::to_string(bytes.size()) + " bytes, expected " +
                          std::to_string(4 * n));
  }
  float32_from_le_bytes(bytes, out);
  for (Index k = 0; k < n; ++k) {
    if (!std::isfinite(out[k])) {
      bad_model(source, what + ": value " + std::to_string(k) + " is NaN or infinite");
    }
  }
}

// The base64 texts of layer l's weights and bias (version 3), checked.
std::pair<const std::string*, const std::string*> layer_base64(const json& layer, Index in,
                                                               Index n_out, std::size_t l,
                                                               const std::string& source) {
  const std::string name = layer_name(l);
  const std::uint64_t weights =
      nn::saturating_mul(static_cast<std::uint64_t>(in), static_cast<std::uint64_t>(n_out));
  return {
      &array_base64(layer.at("weights"), json::array({n_out, in}), true, weights, name + " weights",
                    source),
      &array_base64(layer.at("bias"), json::array({n_out}), false, n_out, name + " bias", source)};
}

}  // namespace

void bad_model(const std::string& source, const std::string& what) {
  throw ModelError("'" + source + "' is not a usable nnfit model: " + what);
}

Scalar scalar_from_json(const json& v, const std::string& source) {
  const double d = v.get<double>();
  if (!(std::fabs(d) <= static_cast<double>(FLT_MAX))) {
    bad_model(source, "value " + v.dump() + " does not fit in a float");
  }
  return static_cast<Scalar>(d);
}

std::string layers_text(const model::Model& m) {
  const std::vector<Index> sizes = nn::layer_sizes(m.spec);
  std::string out = "  \"layers\": [";
  Index offset = 0;
  for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
    const Index in = sizes[l], n_out = sizes[l + 1];
    const bool last = l + 2 == sizes.size();
    const std::string act = last ? "output" : nn::activation_name(m.spec.activations[l]);
    const std::string io = std::to_string(n_out) + ", " + std::to_string(in);
    out += l ? ",\n    {" : "\n    {";
    out += "\"type\": \"dense\", \"inputs\": " + std::to_string(in) +
           ", \"outputs\": " + std::to_string(n_out) + ", \"activation\": \"" + act + "\",\n";
    out += "     \"weights\": " + array_text("[" + io + "]", true, &m.params[offset], in * n_out);
    out += ",\n     \"bias\": " + array_text("[" + std::to_string(n_out) + "]", false,
                                             &m.params[offset + in * n_out], n_out);
    out += "}";
    offset += in * n_out + n_out;
  }
  return out + "\n  ],\n";
}

void read_layers(const json& layers, int version, model::Model& m, const std::string& source) {
  const std::vector<Index> sizes = nn::layer_sizes(m.spec);
  if (!layers.is_array() || layers.size() + 1 != sizes.size()) {
    bad_model(source, "layer count does not match architecture");
  }
  for (Index n : sizes) {
    if (n < 1) bad_model(source, "layer sizes must be >= 1, got " + std::to_string(n));
  }
  std::vector<std::pair<const std::string*, const std::string*>> texts;  // version 3
  for (std::size_t l = 0; l < layers.size(); ++l) {  // every shape before any allocation
    const Index in = sizes[l], n_out = sizes[l + 1];
    if (!layers[l].is_object()) bad_model(source, layer_name(l) + " is not an object");
    if (version < 3) {
      check_row_shapes(layers[l].at("weights"), layers[l].at("bias"), in, n_out, l, source);
    } else {
      texts.push_back(layer_base64(layers[l], in, n_out, l, source));
    }
  }
  m.params.resize(static_cast<Index>(nn::parameter_count(m.spec)));  // bounded by the file size
  Index offset = 0;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const Index in = sizes[l], n_out = sizes[l + 1];
    Scalar* w = m.params.data() + offset;
    if (version < 3) {
      read_rows(layers[l]["weights"], layers[l]["bias"], in, n_out, w, source);
    } else {
      decode_array(*texts[l].first, in * n_out, w, layer_name(l) + " weights", source);
      decode_array(*texts[l].second, n_out, w + in * n_out, layer_name(l) + " bias", source);
    }
    offset += in * n_out + n_out;
  }
}

}  // namespace nnfit::io::detail
