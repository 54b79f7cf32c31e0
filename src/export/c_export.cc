// The C99 header of a model: constants as exact literals (shortest round-trip text, so the
// compiler reads back the very floats nnfit holds), then the functions, all static.
#include "export/c_export.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "export/export_common.h"

namespace nnfit::exporting {
namespace {

// Shortest text that reads back as v, always with a '.' or exponent (so "1" is not an int).
template <typename T>
std::string number(T v) {
  char buf[40];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, res.ptr);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}
std::string float_literal(float v) { return number(v) + "f"; }

// A C string literal: printable ASCII as is, except \ " and ? (trigraphs); every other byte
// as a three-digit octal escape (so a following digit cannot extend it).
std::string c_string(const std::string& s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto b = static_cast<unsigned char>(ch);
    if (ch == '\\' || ch == '"' || ch == '?') {
      out += '\\';
      out += ch;
    } else if (b >= 0x20 && b < 0x7f) {
      out += ch;
    } else {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\%03o", b);
      out += esc;
    }
  }
  return out + "\"";
}

// "{a, b, c}" with at most 8 items per line.
template <typename T, typename F>
std::string list(const std::vector<T>& items, F text) {
  std::string s = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    s += (i == 0 ? "" : i % 8 == 0 ? ",\n  " : ", ") + text(items[i]);
  }
  return s + "}";
}
std::string floats(const std::vector<float>& v) { return list(v, float_literal); }
std::string strings(const std::vector<std::string>& v) { return list(v, c_string); }
std::string ints(const std::vector<int>& v) {
  return list(v, [](int i) { return std::to_string(i); });
}

void check_prefix(const std::string& prefix) {
  const bool ok = !prefix.empty() && !std::isdigit(static_cast<unsigned char>(prefix[0])) &&
                  std::all_of(prefix.begin(), prefix.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                  });
  if (!ok) {
    throw ConfigError("invalid C prefix '" + prefix +
                      "': use letters, digits and '_', not starting with a digit");
  }
}

// Text for inside a C comment: no "*/" (which would end it) and no line breaks.
std::string comment_text(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  for (std::size_t at = 0; (at = s.find("*/", at)) != std::string::npos;) s.replace(at, 2, "* /");
  return s;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Replaces "pp_" and "PP_" in fixed code by the prefix and its upper-case form followed by '_'.
std::string with_prefix(std::string code, const std::string& p) {
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"PP_", upper(p) + "_"},
                                 {"pp_", p + "_"}}) {
    for (std::size_t at = 0; (at = code.find(from, at)) != std::string::npos; at += to.size()) {
      code.replace(at, from.size(), to);
    }
  }
  return code;
}

// The preprocessing tables: names, categories, fills, means, scales, classes. Only the fixed
// text goes through with_prefix, never the names and categories (which may hold "pp_").
std::string tables(const model::Model& m, const std::string& p) {
  const auto& cols = m.features.columns;
  std::vector<std::string> names;
  std::vector<int> counts, has_fill;
  std::vector<float> fill, mean, scale;
  std::string s, category_lists;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    const data::FeatureColumn& c = cols[i];
    names.push_back(c.name);
    counts.push_back(c.categorical ? static_cast<int>(c.categories.size()) : 0);
    has_fill.push_back(std::isnan(c.fill) ? 0 : 1);
    fill.push_back(std::isnan(c.fill) ? 0.0f : static_cast<float>(c.fill));
    mean.push_back(c.categorical ? 0.0f : c.mean);
    scale.push_back(c.categorical ? 1.0f : c.scale);
    const std::string list_name = with_prefix("pp_categories_" + std::to_string(i), p);
    category_lists += std::string(i ? ", " : "") + (c.categorical ? list_name : "0");
    if (c.categorical) {
      s += "static const char* const " + list_name + "[] = " + strings(c.categories) + ";\n";
    }
  }
  const auto line = [&p](const std::string& declaration, const std::string& value) {
    return with_prefix("static const " + declaration + " = ", p) + value + ";\n";
  };
  s += line("char* const* const pp_categories[PP_N_COLUMNS]", "{" + category_lists + "}");
  s += line("char* const pp_column_names[PP_N_COLUMNS]", strings(names));
  s += "/* 0: numeric; else the number of categories (one-hot slots) */\n";
  s += line("int pp_category_counts[PP_N_COLUMNS]", ints(counts));
  s += line("int pp_has_fill[PP_N_COLUMNS]", ints(has_fill));
  s += "/* what a missing cell takes: numeric, a raw value; text, a category index */\n";
  s += line("float pp_fill[PP_N_COLUMNS]", floats(fill));
  s += line("float pp_mean[PP_N_COLUMNS]", floats(mean));
  s += line("float pp_scale[PP_N_COLUMNS]", floats(scale));
  s += line("char* const pp_missing_tokens[PP_N_MISSING_TOKENS]",
            strings(missing_tokens(m.na_values)));
  const std::vector<std::string> classes =
      m.target.classes.empty() ? std::vector<std::string>{""} : m.target.classes;
  return s + line("char* const pp_class_names[]", strings(classes));
}

std::string weights(const std::vector<DenseLayer>& layers) {
  std::string s;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::string k = std::to_string(i);
    s += "/* layer " + k + ": W (" + std::to_string(layers[i].out) + " x " +
         std::to_string(layers[i].in) + ", row-major), b */\n";
    s += "static const float pp_W" + k + "[] = " + floats(layers[i].weights) + ";\n";
    s += "static const float pp_b" + k + "[] = " + floats(layers[i].bias) + ";\n";
  }
  return s;
}

std::string macros(const model::Model& m, const std::vector<DenseLayer>& layers) {
  Index width = m.features.output_size();
  for (const DenseLayer& l : layers) width = std::max(width, l.out);
  const std::size_t k = m.target.classes.size();
  const bool regression = m.target.task == data::Task::kRegression;
  std::string s = "#define PP_N_COLUMNS " + std::to_string(m.features.columns.size()) + "\n";
  s += "#define PP_N_OUTPUTS " + std::to_string(regression ? 1 : k) + "\n";
  s += "#define PP_N_CLASSES " + std::to_string(regression ? 0 : k) + "\n";
  s += "#define PP_N_MISSING_TOKENS " + std::to_string(missing_tokens(m.na_values).size()) + "\n";
  return s + "#define PP_MAX_WIDTH_ " + std::to_string(width) + "\n";
}

// The functions every header has (see c_export.h).
const char* kCommonFunctions = R"(
static inline int pp_column_index(const char* name) {
  int i;
  for (i = 0; i < PP_N_COLUMNS; ++i) {
    if (strcmp(pp_column_names[i], name) == 0) return i;
  }
  return -1;
}

static inline const char* pp_column_name(int column) {
  return column >= 0 && column < PP_N_COLUMNS ? pp_column_names[column] : 0;
}

static inline int pp_column_categories(int column) {
  return column >= 0 && column < PP_N_COLUMNS ? pp_category_counts[column] : 0;
}

static inline const char* pp_class_name(int k) {
  return k >= 0 && k < PP_N_CLASSES ? pp_class_names[k] : 0;
}

static inline int pp_is_missing(const char* text) {
  int k;
  for (k = 0; k < PP_N_MISSING_TOKENS; ++k) {
    if (strcmp(pp_missing_tokens[k], text) == 0) return 1;
  }
  return 0;
}

static inline float pp_category_value(int column, const char* text) {
  int k;
  if (pp_is_missing(text)) return NAN;
  if (column < 0 || column >= PP_N_COLUMNS) return -1.0f;
  for (k = 0; k < pp_category_counts[column]; ++k) {
    if (strcmp(pp_categories[column][k], text) == 0) return (float)k;
  }
  return -1.0f;
}

/* The network input: numeric columns imputed and standardised (in float, as nnfit), text
   columns one-hot (a code that is no category index, e.g. -1, gives all zeros). */
static inline void pp_features_(const float* x, float* v) {
  int c, k, r = 0;
  for (c = 0; c < PP_N_COLUMNS; ++c) {
    float value = x[c];
    if (isnan(value) && pp_has_fill[c]) value = pp_fill[c];
    if (pp_category_counts[c] == 0) {
      v[r++] = (value - pp_mean[c]) / pp_scale[c];
      continue;
    }
    for (k = 0; k < pp_category_counts[c]; ++k) v[r + k] = value == (float)k ? 1.0f : 0.0f;
    r += pp_category_counts[c];
  }
}

/* y = W x + b, W (out x in) row-major; sums in double. */
static inline void pp_dense_(const float* w, const float* b, int in, int out, const float* x,
                             float* y) {
  int o, i;
  for (o = 0; o < out; ++o) {
    double s = b[o];
    for (i = 0; i < in; ++i) s += (double)w[o * in + i] * x[i];
    y[o] = (float)s;
  }
}

static inline double pp_sigmoid_(double z) {
  if (z >= 0) return 1.0 / (1.0 + exp(-z));
  return exp(z) / (1.0 + exp(z));
}

/* kind: 0 identity, 1 relu, 2 tanh, 3 sigmoid. */
static inline void pp_activate_(int kind, float* y, int n) {
  int i;
  for (i = 0; i < n; ++i) {
    if (kind == 1) y[i] = y[i] > 0.0f ? y[i] : 0.0f;
    if (kind == 2) y[i] = (float)tanh((double)y[i]);
    if (kind == 3) y[i] = (float)pp_sigmoid_((double)y[i]);
  }
}
)";

int activation_code(nn::Activation a) {
  switch (a) {
    case nn::Activation::kIdentity: return 0;
    case nn::Activation::kRelu: return 1;
    case nn::Activation::kTanh: return 2;
    case nn::Activation::kSigmoid: return 3;
  }
  return 0;
}

// The output step: z (the logits) -> out; returns the class index (0 for regression).
std::string output_code(const model::Model& m) {
  if (m.target.task == data::Task::kRegression) {
    return "  out[0] = (float)((double)z[0] * " + number(m.target_scale) + " + " +
           number(m.target_mean) + ");\n  return 0;\n";
  }
  if (m.target.classes.size() == 2) {
    return "  {\n    const float p = (float)pp_sigmoid_((double)z[0]);\n"
           "    out[0] = 1.0f - p;\n    out[1] = p;\n    return p >= 0.5f ? 1 : 0;\n  }\n";
  }
  return R"(  {
    int k, best = 0;
    double top = z[0], sum = 0;
    for (k = 1; k < PP_N_OUTPUTS; ++k) top = z[k] > top ? z[k] : top;
    for (k = 0; k < PP_N_OUTPUTS; ++k) sum += exp((double)z[k] - top);
    for (k = 0; k < PP_N_OUTPUTS; ++k) out[k] = (float)(exp((double)z[k] - top) / sum);
    for (k = 1; k < PP_N_OUTPUTS; ++k) best = out[k] > out[best] ? k : best;
    return best;
  }
)";
}

std::string predict_function(const model::Model& m, const std::vector<DenseLayer>& layers) {
  std::string s = "\nstatic inline int pp_predict(const float* x, float* out) {\n";
  s += "  float a[PP_MAX_WIDTH_], b[PP_MAX_WIDTH_];\n  const float* z = b;\n";
  s += "  pp_features_(x, a);\n";
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const char* in = i % 2 == 0 ? "a" : "b";
    const char* out = i % 2 == 0 ? "b" : "a";
    const std::string k = std::to_string(i), n = std::to_string(layers[i].out);
    s += "  pp_dense_(pp_W" + k + ", pp_b" + k + ", " + std::to_string(layers[i].in) + ", " + n +
         ", " + in + ", " + out + ");\n";
    if (i + 1 < layers.size()) {
      s += "  pp_activate_(" + std::to_string(activation_code(m.spec.activations[i])) + ", " +
           out + ", " + n + ");\n";
    } else {
      s += std::string("  z = ") + out + ";\n";
    }
  }
  return s + output_code(m) + "}\n";
}

const char* kUsage = R"(
   int pp_predict(const float* x, float* out);
     x: PP_N_COLUMNS values, one per model column in the model's order (pp_column_name):
     a numeric column's raw value (NAN = missing: the model's fill, as nnfit imputes), a text
     column's code from pp_category_value. out: PP_N_OUTPUTS floats: the class probabilities
     in class order (pp_class_name; two classes: 1 - p and p, as nnfit predict --proba
     prints them) or the prediction in target units. Returns the predicted class index, as
     nnfit chooses it (0 for regression).
   float pp_category_value(int column, const char* text);
     A text cell (trimmed, unquoted) -> its code: the category index, NAN if the cell is
     missing ("" or a --na-values token of training), -1 if the category was not seen in
     training (encoded as all zeros, as nnfit does).
   int pp_column_index(const char* name);  -1 if there is no such column.
   int pp_column_categories(int column);  0 for a numeric column, else its category count.
   int pp_is_missing(const char* text);  1 if nnfit reads the (trimmed) cell as missing.
   A model trained without --impute has no fill: there a missing number makes the outputs
   NaN and a missing text cell encodes as all zeros (nnfit predict refuses such rows).
   Link with -lm. */
)";

}  // namespace

std::string c_header(const model::Model& m, const std::string& prefix) {
  check_prefix(prefix);
  check_exportable(m, "C");
  const std::vector<DenseLayer> layers = dense_layers(m);
  const std::string guard = "PP_MODEL_H_";  // with_prefix makes it e.g. NNFIT_MODEL_H_
  std::string s = "/* Generated by nnfit export --format c: a dependency-free C99 header.\n   " +
                  comment_text(pipeline_summary(m)) + "\n" + kUsage;
  s += "#ifndef " + guard + "\n#define " + guard + "\n\n#include <math.h>\n#include <string.h>\n\n";
  s = with_prefix(s + macros(m, layers), prefix) + "\n" + tables(m, prefix) + "\n";
  s += with_prefix(weights(layers), prefix);
  return s + with_prefix(kCommonFunctions + predict_function(m, layers) + "\n#endif\n", prefix);
}

}  // namespace nnfit::exporting
