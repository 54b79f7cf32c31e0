// The C header's text: exact constants, escaped strings, the prefix, and what it refuses. That
// it compiles as strict C99 and predicts what nnfit predicts: tests/e2e/export_c.sh.
#include "export/c_export.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
#include <vector>

#include "core/error.h"
#include "io/model_io.h"
#include "testing/paths.h"

namespace nnfit::exporting {
namespace {

model::Model penguins() { return io::load_model(test::fixture_path("penguins-v2.nnfit")); }

// The numbers of the array initialiser `static const float DECLARATOR = {...};` (e.g. "W0[]"),
// read with strtof.
std::vector<float> float_array(const std::string& header, const std::string& declarator) {
  const std::string start = "static const float " + declarator + " = {";
  const std::size_t at = header.find(start);
  if (at == std::string::npos) return {};
  std::vector<float> out;
  const char* p = header.c_str() + at + start.size();
  while (*p != '}') {
    char* end = nullptr;
    out.push_back(std::strtof(p, &end));
    p = end;
    if (*p == 'f') ++p;
    while (*p == ',' || *p == ' ' || *p == '\n') ++p;
  }
  return out;
}

std::string config_error(const model::Model& m, const std::string& prefix) {
  try {
    c_header(m, prefix);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(CExport, WeightsAreExactlyTheModelsFloats) {
  const model::Model m = penguins();
  const std::string h = c_header(m);
  const std::vector<float> w = float_array(h, "nnfit_W0[]");
  const Index out = m.spec.hidden.at(0), in = m.spec.inputs;
  ASSERT_EQ(w.size(), static_cast<std::size_t>(out * in));
  for (Index o = 0; o < out; ++o) {
    for (Index i = 0; i < in; ++i) EXPECT_EQ(w[o * in + i], m.params[i * out + o]) << o << "," << i;
  }
  const std::vector<float> b = float_array(h, "nnfit_b0[]");
  ASSERT_EQ(b.size(), static_cast<std::size_t>(out));
  for (Index o = 0; o < out; ++o) EXPECT_EQ(b[o], m.params[out * in + o]);
  const std::vector<float> mean = float_array(h, "nnfit_mean[NNFIT_N_COLUMNS]");
  ASSERT_EQ(mean.size(), m.features.columns.size());
  for (std::size_t c = 0; c < mean.size(); ++c) {
    EXPECT_EQ(mean[c], m.features.columns[c].categorical ? 0.0f : m.features.columns[c].mean);
  }
}

TEST(CExport, PrefixRenamesEveryDefinitionButNotTheData) {
  model::Model m = penguins();
  m.features.columns[0].categories[0] = "pp_nnfit_x";  // data that looks like a placeholder
  const std::string h = c_header(m, "pen");
  EXPECT_NE(h.find("static inline int pen_predict(const float* x, float* out)"), std::string::npos);
  EXPECT_NE(h.find("#define PEN_N_COLUMNS 6\n"), std::string::npos);
  EXPECT_NE(h.find("\"pp_nnfit_x\""), std::string::npos);
  EXPECT_EQ(h.find("nnfit_predict"), std::string::npos);
  EXPECT_EQ(h.find("PP_"), std::string::npos);
  EXPECT_NE(c_header(m).find("static inline int nnfit_predict("), std::string::npos);
}

TEST(CExport, StringsAreEscapedForC) {
  model::Model m = penguins();
  m.features.columns[0].categories = {"a\"b\\c", "why??=", "caf\xc3\xa9"};
  m.features.columns[0].name = "x */ y";
  const std::string h = c_header(m);
  EXPECT_NE(h.find(R"({"a\"b\\c", "why\?\?=", "caf\303\251"})"), std::string::npos);
  EXPECT_NE(h.find(R"("x */ y")"), std::string::npos);  // in a string literal, not a comment
}

TEST(CExport, RejectsAPrefixThatIsNoCIdentifier) {
  const model::Model m = penguins();
  for (const char* bad : {"", "1x", "a-b", "a b"}) {
    EXPECT_NE(config_error(m, bad).find("invalid C prefix"), std::string::npos) << bad;
  }
  EXPECT_EQ(config_error(m, "_Model2"), "");
}

TEST(CExport, RefusesWeightsThatAreNotFinite) {
  model::Model m = penguins();
  m.params[0] = std::numeric_limits<Scalar>::infinity();
  EXPECT_THROW(c_header(m), ModelError);
}

}  // namespace
}  // namespace nnfit::exporting
