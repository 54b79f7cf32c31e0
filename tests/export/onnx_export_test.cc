// The ONNX graph's interface and constants (parsed back with ONNX's own classes), and the models
// it refuses. That the graph computes what nnfit computes is checked in ONNX Runtime by
// tests/e2e/export_onnx.sh.
#include "export/onnx_export.h"

#include <gtest/gtest.h>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <cmath>
#include <limits>
#include <map>

#include "core/error.h"
#include "io/model_io.h"
#include "testing/paths.h"
#include "train/pipeline.h"

namespace nnfit::exporting {
namespace {

onnx::ModelProto parse(const std::string& bytes) {
  onnx::ModelProto m;
  EXPECT_TRUE(m.ParseFromString(bytes));
  return m;
}

// The penguins model of an earlier version: text and numeric columns, 3 classes, imputation.
model::Model penguins() { return io::load_model(test::fixture_path("penguins-v2.nnfit")); }

model::Model diabetes_linear() {
  train::DataOptions d;
  d.data = test::data_path("diabetes.train.csv");
  train::TrainOptions o;
  o.hidden = {};  // a linear model
  o.epochs = 3;
  return train::train_csv(d, o).model;
}

std::map<std::string, const onnx::TensorProto*> initializers(const onnx::GraphProto& g) {
  std::map<std::string, const onnx::TensorProto*> out;
  for (const onnx::TensorProto& t : g.initializer()) out[t.name()] = &t;
  return out;
}

std::string error_of(const model::Model& m) {
  try {
    onnx_model(m);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "";
}

TEST(OnnxExport, OneInputPerColumnNamedAndTypedAsInTheModel) {
  const model::Model m = penguins();
  const onnx::ModelProto p = parse(onnx_model(m));
  EXPECT_NO_THROW(onnx::checker::check_model(p));
  EXPECT_EQ(p.ir_version(), kOnnxIrVersion);
  ASSERT_EQ(p.graph().input_size(), static_cast<int>(m.features.columns.size()));
  for (std::size_t i = 0; i < m.features.columns.size(); ++i) {
    const onnx::ValueInfoProto& in = p.graph().input(static_cast<int>(i));
    const data::FeatureColumn& c = m.features.columns[i];
    EXPECT_EQ(in.name(), c.name);
    EXPECT_EQ(in.type().tensor_type().elem_type(),
              c.categorical ? onnx::TensorProto::STRING : onnx::TensorProto::FLOAT);
    ASSERT_EQ(in.type().tensor_type().shape().dim_size(), 2);
    EXPECT_EQ(in.type().tensor_type().shape().dim(1).dim_value(), 1);
  }
  std::map<std::string, long> opsets;
  for (const auto& o : p.opset_import()) opsets[o.domain()] = o.version();
  EXPECT_EQ(opsets[""], kOnnxOpset);
  EXPECT_EQ(opsets["ai.onnx.ml"], kOnnxMlOpset);
}

TEST(OnnxExport, ClassifierGivesLabelAndOneProbabilityPerClass) {
  const model::Model m = penguins();
  const onnx::GraphProto g = parse(onnx_model(m)).graph();
  ASSERT_EQ(g.output_size(), 2);
  EXPECT_EQ(g.output(0).name(), "label");
  EXPECT_EQ(g.output(0).type().tensor_type().elem_type(), onnx::TensorProto::STRING);
  EXPECT_EQ(g.output(1).name(), "probabilities");
  EXPECT_EQ(g.output(1).type().tensor_type().shape().dim(1).dim_value(),
            static_cast<long>(m.target.classes.size()));
}

TEST(OnnxExport, ConstantsAreTheModelsNumbers) {
  const model::Model m = penguins();
  const onnx::ModelProto p = parse(onnx_model(m));
  const auto init = initializers(p.graph());
  // The standardisation constants, one per network input (one-hot slots: 0 and 1).
  const onnx::TensorProto& mean = *init.at("nnfit/mean");
  const onnx::TensorProto& scale = *init.at("nnfit/scale");
  int slot = 0;
  for (const data::FeatureColumn& c : m.features.columns) {
    for (Index k = 0; k < c.width(); ++k, ++slot) {
      EXPECT_EQ(mean.float_data(slot), c.categorical ? 0.0f : c.mean) << c.name;
      EXPECT_EQ(scale.float_data(slot), c.categorical ? 1.0f : c.scale) << c.name;
    }
  }
  EXPECT_EQ(slot, m.spec.inputs);
  // The first layer's W as Gemm takes it (out, in), row-major; nnfit holds it column-major.
  const onnx::TensorProto& w = *init.at("nnfit/W0");
  const Index out = m.spec.hidden.at(0), in = m.spec.inputs;
  ASSERT_EQ(w.dims(0), out);
  ASSERT_EQ(w.dims(1), in);
  for (Index o = 0; o < out; ++o) {
    for (Index i = 0; i < in; ++i) EXPECT_EQ(w.float_data(o * in + i), m.params[i * out + o]);
  }
}

// Numeric columns are imputed by ai.onnx.ml's Imputer with the model's fills (one per network
// input), replacing NaN (the operator's default would replace 0).
TEST(OnnxExport, ImputesMissingNumbersWithTheModelsFills) {
  const model::Model m = penguins();
  const onnx::ModelProto p = parse(onnx_model(m));
  const onnx::NodeProto* imputer = nullptr;
  for (const onnx::NodeProto& n : p.graph().node()) {
    if (n.op_type() == "Imputer") imputer = &n;
  }
  ASSERT_NE(imputer, nullptr);
  EXPECT_EQ(imputer->domain(), "ai.onnx.ml");
  std::map<std::string, const onnx::AttributeProto*> attrs;
  for (const onnx::AttributeProto& a : imputer->attribute()) attrs[a.name()] = &a;
  ASSERT_EQ(attrs.count("replaced_value_float"), 1u);
  EXPECT_TRUE(std::isnan(attrs["replaced_value_float"]->f()));
  const onnx::AttributeProto& fills = *attrs.at("imputed_value_floats");
  ASSERT_EQ(fills.floats_size(), m.spec.inputs);
  int slot = 0;
  for (const data::FeatureColumn& c : m.features.columns) {
    for (Index k = 0; k < c.width(); ++k, ++slot) {
      if (!c.categorical) EXPECT_EQ(fills.floats(slot), static_cast<float>(c.fill)) << c.name;
    }
  }
}

TEST(OnnxExport, RegressionGivesTheValueInTargetUnits) {
  const model::Model m = diabetes_linear();
  const onnx::GraphProto g = parse(onnx_model(m)).graph();
  ASSERT_EQ(g.output_size(), 1);
  EXPECT_EQ(g.output(0).name(), "variable");
  const auto init = initializers(g);
  EXPECT_EQ(init.at("nnfit/target_scale")->double_data(0), m.target_scale);
  EXPECT_EQ(init.at("nnfit/target_mean")->double_data(0), m.target_mean);
}

TEST(OnnxExport, RefusesAColumnNamedLikeAnOutput) {
  model::Model m = penguins();
  m.features.columns[0].name = "probabilities";
  EXPECT_NE(error_of(m).find("'probabilities'"), std::string::npos) << error_of(m);
  m.features.columns[0].name = "nnfit/x";
  EXPECT_NE(error_of(m).find("rename the column"), std::string::npos) << error_of(m);
}

TEST(OnnxExport, RefusesWeightsThatAreNotFinite) {
  model::Model m = penguins();
  m.params[3] = std::numeric_limits<Scalar>::quiet_NaN();
  EXPECT_NE(error_of(m).find("not finite"), std::string::npos) << error_of(m);
}

TEST(OnnxExport, RefusesAnOutputLayerThatDoesNotFitTheTask) {
  model::Model m = penguins();
  m.spec.loss = nn::LossKind::kSquaredError;
  EXPECT_NE(error_of(m).find("does not fit its task"), std::string::npos) << error_of(m);
}

}  // namespace
}  // namespace nnfit::exporting
