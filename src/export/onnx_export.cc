// The ONNX graph of a model, built node by node with ONNX's own protobuf classes (see the
// header for its shape). Every name the graph makes up starts with "nnfit/", so it cannot
// collide with an input, which is named after a CSV column.
#include "export/onnx_export.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <utility>
#include <vector>

#include "core/error.h"
#include "data/text.h"
#include "export/export_common.h"

namespace nnfit::exporting {
namespace {

using onnx::AttributeProto;
using onnx::NodeProto;
using onnx::TensorProto;

constexpr const char* kMl = "ai.onnx.ml";

// Builds a GraphProto: nodes with made-up output names, and constant tensors (initializers).
class Graph {
 public:
  explicit Graph(onnx::GraphProto& g) : g_(g) {}

  // A node of op_type over inputs; returns the name of its one output.
  NodeProto& node(const std::string& op, const std::vector<std::string>& inputs,
                  const std::string& domain = "") {
    NodeProto& n = *g_.add_node();
    n.set_op_type(op);
    n.set_domain(domain);
    n.set_name("nnfit/" + op + "_" + std::to_string(g_.node_size()));
    for (const std::string& in : inputs) n.add_input(in);
    n.add_output(n.name());
    return n;
  }
  onnx::ValueInfoProto& value_info() { return *g_.add_value_info(); }
  std::string op(const std::string& op, const std::vector<std::string>& inputs) {
    return node(op, inputs).output(0);
  }
  // A float tensor of the given shape (row-major data).
  std::string floats(const std::string& name, const std::vector<std::int64_t>& dims,
                     const std::vector<float>& data) {
    TensorProto& t = initializer(name, TensorProto::FLOAT, dims);
    for (float v : data) t.add_float_data(v);
    return t.name();
  }
  std::string doubles(const std::string& name, double v) {
    TensorProto& t = initializer(name, TensorProto::DOUBLE, {1});
    t.add_double_data(v);
    return t.name();
  }
  std::string int64s(const std::string& name, const std::vector<std::int64_t>& data) {
    TensorProto& t = initializer(name, TensorProto::INT64, {static_cast<std::int64_t>(data.size())});
    for (std::int64_t v : data) t.add_int64_data(v);
    return t.name();
  }

 private:
  TensorProto& initializer(const std::string& name, int type, const std::vector<std::int64_t>& dims) {
    TensorProto& t = *g_.add_initializer();
    t.set_name("nnfit/" + name);
    t.set_data_type(type);
    for (std::int64_t d : dims) t.add_dims(d);
    return t;
  }
  onnx::GraphProto& g_;
};

AttributeProto& attribute(NodeProto& n, const std::string& name, AttributeProto::AttributeType type) {
  AttributeProto& a = *n.add_attribute();
  a.set_name(name);
  a.set_type(type);
  return a;
}
void set_int(NodeProto& n, const std::string& name, std::int64_t v) {
  attribute(n, name, AttributeProto::INT).set_i(v);
}
void set_ints(NodeProto& n, const std::string& name, const std::vector<std::int64_t>& v) {
  AttributeProto& a = attribute(n, name, AttributeProto::INTS);
  for (std::int64_t x : v) a.add_ints(x);
}
void set_floats(NodeProto& n, const std::string& name, const std::vector<float>& v) {
  AttributeProto& a = attribute(n, name, AttributeProto::FLOATS);
  for (float x : v) a.add_floats(x);
}
void set_strings(NodeProto& n, const std::string& name, const std::vector<std::string>& v) {
  AttributeProto& a = attribute(n, name, AttributeProto::STRINGS);
  for (const std::string& x : v) a.add_strings(x);
}

// A graph input or output: a tensor of elem_type with dims, "N" being the batch dimension.
void value_info(onnx::ValueInfoProto& v, const std::string& name, int elem_type,
                const std::vector<std::int64_t>& dims) {
  v.set_name(name);
  onnx::TypeProto_Tensor& t = *v.mutable_type()->mutable_tensor_type();
  t.set_elem_type(elem_type);
  onnx::TensorShapeProto_Dimension& batch = *t.mutable_shape()->add_dim();
  batch.set_dim_param("N");
  for (std::int64_t d : dims) t.mutable_shape()->add_dim()->set_dim_value(d);
}

std::vector<std::int64_t> iota(std::size_t n) {
  std::vector<std::int64_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int64_t>(i);
  return v;
}

// A text column's one-hot block, float [N, K]: category -> slot (LabelEncoder), then
// OneHotEncoder, whose extra axis is squeezed away.
std::string one_hot(Graph& g, const data::FeatureColumn& c, const std::vector<std::string>& na) {
  NodeProto& encode = g.node("LabelEncoder", {c.name}, kMl);
  std::vector<std::string> keys = c.categories;
  std::vector<std::int64_t> slots = iota(c.categories.size());
  if (!std::isnan(c.fill)) {  // a missing cell takes the imputed category's slot
    for (const std::string& token : missing_tokens(na)) {
      keys.push_back(token);
      slots.push_back(static_cast<std::int64_t>(c.fill));
    }
  }
  set_strings(encode, "keys_strings", keys);
  set_ints(encode, "values_int64s", slots);
  set_int(encode, "default_int64", -1);
  NodeProto& hot = g.node("OneHotEncoder", {encode.output(0)}, kMl);
  set_ints(hot, "cats_int64s", iota(c.categories.size()));
  set_int(hot, "zeros", 1);
  // ONNX 1.12 infers no type for OneHotEncoder; declared, so strict shape inference goes on.
  value_info(g.value_info(), hot.output(0), TensorProto::FLOAT,
             {1, static_cast<std::int64_t>(c.categories.size())});
  return g.op("Squeeze", {hot.output(0), g.int64s("axes_" + hot.name().substr(6), {1})});
}

// The network input, float [N, D]: the columns in model order, standardised.
std::string features(Graph& g, const model::Model& m) {
  std::vector<std::string> pieces;
  std::vector<float> fill, mean, scale;
  bool imputes = false;
  for (const data::FeatureColumn& c : m.features.columns) {
    if (c.categorical) {
      pieces.push_back(one_hot(g, c, m.na_values));
      fill.insert(fill.end(), c.categories.size(), 0.0f);  // one-hot slots pass unchanged
      mean.insert(mean.end(), c.categories.size(), 0.0f);
      scale.insert(scale.end(), c.categories.size(), 1.0f);
      continue;
    }
    pieces.push_back(c.name);
    imputes = imputes || !std::isnan(c.fill);
    fill.push_back(static_cast<float>(c.fill));
    mean.push_back(c.mean);
    scale.push_back(c.scale);
  }
  NodeProto& concat = g.node("Concat", pieces);
  set_int(concat, "axis", 1);
  std::string x = concat.output(0);
  const auto d = static_cast<std::int64_t>(fill.size());
  if (imputes) {  // ai.onnx.ml Imputer: NaN -> the column's fill
    NodeProto& impute = g.node("Imputer", {x}, kMl);
    set_floats(impute, "imputed_value_floats", fill);
    attribute(impute, "replaced_value_float", AttributeProto::FLOAT)  // the default is 0
        .set_f(std::numeric_limits<float>::quiet_NaN());
    // ONNX 1.12 infers no type for Imputer either (see one_hot).
    value_info(g.value_info(), impute.output(0), TensorProto::FLOAT, {d});
    x = impute.output(0);
  }
  x = g.op("Sub", {x, g.floats("mean", {d}, mean)});
  return g.op("Div", {x, g.floats("scale", {d}, scale)});
}

// The logits, float [N, outputs]: Gemm per Dense layer, the activation after each hidden one.
std::string network(Graph& g, const model::Model& m, std::string x) {
  const std::vector<DenseLayer> layers = dense_layers(m);
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const DenseLayer& l = layers[i];
    const std::string k = std::to_string(i);
    NodeProto& gemm = g.node("Gemm", {x, g.floats("W" + k, {l.out, l.in}, l.weights),
                                      g.floats("b" + k, {l.out}, l.bias)});
    set_int(gemm, "transB", 1);
    x = gemm.output(0);
    if (i + 1 == layers.size()) break;
    switch (m.spec.activations[i]) {
      case nn::Activation::kIdentity: break;
      case nn::Activation::kRelu: x = g.op("Relu", {x}); break;
      case nn::Activation::kTanh: x = g.op("Tanh", {x}); break;
      case nn::Activation::kSigmoid: x = g.op("Sigmoid", {x}); break;
    }
  }
  return x;
}

// The node writing the graph output `name` from `from` (an Identity, so outputs have fixed names).
void output(Graph& g, const std::string& from, const std::string& name) {
  NodeProto& n = g.node("Identity", {from});
  n.set_output(0, name);
}

// "label" [N]: class index (int64 [N]) -> class name.
void label(Graph& g, const model::Model& m, const std::string& index) {
  NodeProto& names = g.node("LabelEncoder", {index}, kMl);
  set_ints(names, "keys_int64s", iota(m.target.classes.size()));
  set_strings(names, "values_strings", m.target.classes);
  attribute(names, "default_string", AttributeProto::STRING).set_s("");
  output(g, names.output(0), "label");
}

void classifier_outputs(Graph& g, const model::Model& m, const std::string& logits) {
  if (m.target.classes.size() == 2) {
    // nnfit: p = sigmoid(z) is P(second class), chosen when p >= 0.5; --proba prints 1 - p, p.
    const std::string p = g.op("Sigmoid", {logits});
    NodeProto& both = g.node("Concat", {g.op("Sub", {g.floats("one", {1}, {1.0f}), p}), p});
    set_int(both, "axis", 1);
    output(g, both.output(0), "probabilities");
    const std::string second = g.op("GreaterOrEqual", {p, g.floats("half", {1}, {0.5f})});
    NodeProto& cast = g.node("Cast", {second});
    set_int(cast, "to", TensorProto::INT64);
    label(g, m, g.op("Reshape", {cast.output(0), g.int64s("flat", {-1})}));
    return;
  }
  NodeProto& softmax = g.node("Softmax", {logits});
  set_int(softmax, "axis", 1);
  output(g, softmax.output(0), "probabilities");
  NodeProto& argmax = g.node("ArgMax", {softmax.output(0)});  // the first maximum, as nnfit
  set_int(argmax, "axis", 1);
  set_int(argmax, "keepdims", 0);
  label(g, m, argmax.output(0));
}

// "variable" [N, 1]: y * scale + mean, in double as nnfit computes it, then float.
void regression_output(Graph& g, const model::Model& m, const std::string& logits) {
  NodeProto& wide = g.node("Cast", {logits});
  set_int(wide, "to", TensorProto::DOUBLE);
  std::string y = g.op("Mul", {wide.output(0), g.doubles("target_scale", m.target_scale)});
  y = g.op("Add", {y, g.doubles("target_mean", m.target_mean)});
  NodeProto& narrow = g.node("Cast", {y});
  set_int(narrow, "to", TensorProto::FLOAT);
  output(g, narrow.output(0), "variable");
}

void inputs_and_outputs(onnx::GraphProto& g, const model::Model& m) {
  for (const data::FeatureColumn& c : m.features.columns) {
    value_info(*g.add_input(), c.name, c.categorical ? TensorProto::STRING : TensorProto::FLOAT, {1});
  }
  if (m.target.task == data::Task::kRegression) {
    value_info(*g.add_output(), "variable", TensorProto::FLOAT, {1});
    return;
  }
  value_info(*g.add_output(), "label", TensorProto::STRING, {});
  value_info(*g.add_output(), "probabilities", TensorProto::FLOAT,
             {static_cast<std::int64_t>(m.target.classes.size())});
}

void check_names(const model::Model& m) {
  for (const data::FeatureColumn& c : m.features.columns) {
    const bool reserved = c.name == "label" || c.name == "probabilities" ||
                          c.name == "variable" || c.name.rfind("nnfit/", 0) == 0;
    if (c.name.empty() || reserved) {
      throw ModelError("cannot export to ONNX: the input column " + data::quoted(c.name) +
                       (c.name.empty() ? " has no name" : " has a name the graph uses itself") +
                       "; rename the column in the CSV and train again");
    }
  }
}

void add_metadata(onnx::ModelProto& model, const std::string& key, const std::string& value) {
  onnx::StringStringEntryProto& e = *model.add_metadata_props();
  e.set_key(key);
  e.set_value(value);
}

// The ONNX checker and strict shape inference (on a copy): a failure is an exporter bug.
void check(const onnx::ModelProto& model) {
  try {
    onnx::checker::check_model(model);
    onnx::ModelProto copy = model;
    onnx::shape_inference::InferShapes(copy, onnx::OpSchemaRegistry::Instance(),
                                       onnx::ShapeInferenceOptions(true, 1));
  } catch (const std::exception& e) {
    throw Error(std::string("internal error: the exported ONNX graph fails ONNX's checks: ") +
                e.what());
  }
}

}  // namespace

std::string onnx_model(const model::Model& m) {
  check_exportable(m, "ONNX");
  check_names(m);
  onnx::ModelProto model;
  model.set_ir_version(kOnnxIrVersion);
  model.set_producer_name("nnfit");
  model.set_producer_version("0.1.0");
  model.set_doc_string(pipeline_summary(m));
  for (auto [domain, version] : {std::pair<const char*, int>{"", kOnnxOpset}, {kMl, kOnnxMlOpset}}) {
    onnx::OperatorSetIdProto& o = *model.add_opset_import();
    o.set_domain(domain);
    o.set_version(version);
  }
  add_metadata(model, "target", m.target_name);
  add_metadata(model, "task", data::task_name(m.target.task));
  onnx::GraphProto& graph = *model.mutable_graph();
  graph.set_name("nnfit");
  inputs_and_outputs(graph, m);
  Graph g(graph);
  const std::string logits = network(g, m, features(g, m));
  if (m.target.task == data::Task::kRegression) {
    regression_output(g, m, logits);
  } else {
    classifier_outputs(g, m, logits);
  }
  check(model);
  std::string bytes;
  if (!model.SerializeToString(&bytes)) throw Error("internal error: cannot serialise the ONNX model");
  return bytes;
}

}  // namespace nnfit::exporting
