// Preprocessor <-> JSON. The reader checks every value before using it, since a model file may
// be corrupt: converting an out-of-range double to float or indexing past the categories would
// be undefined behaviour, and any exception other than ModelError would escape the loader's
// error handling.
#include "io/preprocess_json.h"

#include <cfloat>
#include <cmath>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/error.h"
#include "data/text.h"
#include "io/model_layers.h"

namespace nnfit::io {
namespace {

using detail::bad_model;
using nlohmann::json;

// A value of the document being read, with where it is for messages.
struct Reader {
  const std::string& source;
  std::string where;  // "preprocessing", "preprocessing column 2 ('x')"

  [[noreturn]] void fail(const std::string& what) const { bad_model(source, where + ": " + what); }

  const json& member(const json& object, const char* key) const {
    if (!object.is_object()) fail(std::string("expected an object, got ") + object.type_name());
    const auto it = object.find(key);
    if (it == object.end()) fail(std::string("no \"") + key + "\"");
    return *it;
  }

  std::string string(const json& v, const char* what) const {
    if (!v.is_string()) fail(std::string(what) + " must be a string, got " + v.type_name());
    return v.get<std::string>();
  }

  // A finite number that fits in a float (narrowing an out-of-range double is undefined).
  Scalar scalar(const json& v, const char* what) const {
    if (!v.is_number()) fail(std::string(what) + " must be a number, got " + v.type_name());
    const double d = v.get<double>();
    if (!(std::fabs(d) <= static_cast<double>(FLT_MAX))) {
      fail(std::string(what) + " " + v.dump() + " does not fit in a float");
    }
    return static_cast<Scalar>(d);
  }
};

json column_to_json(const data::FeatureColumn& c) {
  json o;
  o["name"] = c.name;
  const bool filled = !std::isnan(c.fill);
  if (!c.categorical) {
    o["type"] = "numeric";
    o["mean"] = static_cast<double>(c.mean);
    o["scale"] = static_cast<double>(c.scale);
    o["fill"] = filled ? json(c.fill) : json(nullptr);
    return o;
  }
  o["type"] = "categorical";
  o["categories"] = c.categories;
  if (filled && !(c.fill >= 0 && c.fill < static_cast<double>(c.categories.size()))) {
    throw Error("preprocessor_to_json: column " + data::quoted(c.name) + " has fill " +
                std::to_string(c.fill) + " outside its categories");
  }
  o["fill"] = filled ? json(c.categories[static_cast<std::size_t>(c.fill)]) : json(nullptr);
  return o;
}

void numeric_from_json(const json& o, const Reader& r, data::FeatureColumn& c) {
  c.mean = r.scalar(r.member(o, "mean"), "mean");
  c.scale = r.scalar(r.member(o, "scale"), "scale");
  // A subnormal or zero scale would make the standardised inputs infinite; the writer gives 1
  // for any spread that small.
  if (!(c.scale >= FLT_MIN)) r.fail("scale " + r.member(o, "scale").dump() + " is not positive");
  const json& fill = r.member(o, "fill");
  if (!fill.is_null()) c.fill = static_cast<double>(r.scalar(fill, "fill"));
}

void categorical_from_json(const json& o, const Reader& r, data::FeatureColumn& c) {
  const json& cats = r.member(o, "categories");
  if (!cats.is_array()) r.fail(std::string("categories must be an array, got ") + cats.type_name());
  if (cats.empty()) r.fail("no categories");
  std::unordered_map<std::string_view, std::size_t> index;
  c.categories.reserve(cats.size());
  for (const json& v : cats) c.categories.push_back(r.string(v, "a category"));
  for (std::size_t k = 0; k < c.categories.size(); ++k) {
    if (!index.emplace(c.categories[k], k).second) {
      r.fail("category " + data::quoted(c.categories[k]) + " is listed twice");
    }
  }
  const json& fill = r.member(o, "fill");
  if (fill.is_null()) return;
  const std::string name = r.string(fill, "fill");
  const auto it = index.find(name);
  if (it == index.end()) r.fail("fill " + data::quoted(name) + " is not one of the categories");
  c.fill = static_cast<double>(it->second);
}

data::FeatureColumn column_from_json(const json& o, Reader r, data::Impute impute) {
  data::FeatureColumn c;
  c.name = r.string(r.member(o, "name"), "name");
  r.where += " (" + data::quoted(c.name) + ")";
  const std::string type = r.string(r.member(o, "type"), "type");
  if (type == "numeric") {
    numeric_from_json(o, r, c);
  } else if (type == "categorical") {
    c.categorical = true;
    categorical_from_json(o, r, c);
  } else {
    r.fail("unknown type " + data::quoted(type) + " (expected numeric or categorical)");
  }
  // fit_preprocessor fills every column exactly when imputing; anything else was edited.
  if (std::isnan(c.fill) != (impute == data::Impute::kNone)) {
    r.fail(std::string("fill must be ") + (impute == data::Impute::kNone ? "null" : "given") +
           " with impute " + data::quoted(data::impute_name(impute)));
  }
  return c;
}

data::Preprocessor parse(const json& j, const std::string& source) {
  const Reader r{source, "preprocessing"};
  data::Preprocessor p;
  const std::string impute = r.string(r.member(j, "impute"), "impute");
  try {
    p.impute = data::parse_impute(impute);
  } catch (const ConfigError& e) {
    r.fail(e.what());
  }
  const json& columns = r.member(j, "columns");
  if (!columns.is_array()) r.fail(std::string("columns must be an array, got ") + columns.type_name());
  if (columns.empty()) r.fail("no columns");
  std::unordered_set<std::string> names;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const Reader column{source, "preprocessing column " + std::to_string(i + 1)};
    p.columns.push_back(column_from_json(columns[i], column, p.impute));
    if (!names.insert(p.columns.back().name).second) {
      r.fail("column " + data::quoted(p.columns.back().name) + " is listed twice");
    }
  }
  return p;
}

}  // namespace

nlohmann::json preprocessor_to_json(const data::Preprocessor& p) {
  json columns = json::array();
  for (const data::FeatureColumn& c : p.columns) columns.push_back(column_to_json(c));
  return {{"impute", data::impute_name(p.impute)}, {"columns", std::move(columns)}};
}

data::Preprocessor preprocessor_from_json(const nlohmann::json& j, const std::string& source) {
  try {
    return parse(j, source);
  } catch (const json::exception& e) {
    // Not expected (every access is checked first), but a library error must not escape.
    bad_model(source, std::string("preprocessing: ") + e.what());
  }
}

}  // namespace nnfit::io
