// Parsing and applying --class-weight (see class_weight.h).
#include "train/class_weight.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/error.h"
#include "data/csv.h"
#include "data/text.h"

namespace nnfit::train {
namespace {

[[noreturn]] void bad_spec(const std::string& spec, const std::string& what) {
  throw ConfigError("invalid --class-weight " + data::quoted(spec) + ": " + what +
                    "; expected balanced, or CLASS=W,... with W a number > 0 (e.g. "
                    "yes=5,no=1)");
}

// The CLASS=W items of spec (split at commas, then at the last '='), each W checked.
std::vector<std::pair<std::string, double>> parse_items(const std::string& spec) {
  std::vector<std::pair<std::string, double>> items;
  std::size_t start = 0;
  while (start <= spec.size()) {
    const std::size_t comma = std::min(spec.find(',', start), spec.size());
    const std::string item = spec.substr(start, comma - start);
    const std::size_t eq = item.rfind('=');
    if (eq == std::string::npos || eq == 0) {
      bad_spec(spec, data::quoted(item) + " is not CLASS=W");
    }
    const std::string name(data::trim(item.substr(0, eq)));
    const std::string text(data::trim(item.substr(eq + 1)));
    double w = 0;
    if (data::parse_number_status(text, w) != data::NumberStatus::kOk || !(w > 0) ||
        !std::isfinite(w)) {
      bad_spec(spec, "the weight " + data::quoted(text) + " of class " + data::quoted(name) +
                         " is not a finite number > 0");
    }
    for (const auto& [seen, unused] : items) {
      if (seen == name) bad_spec(spec, "class " + data::quoted(name) + " is given twice");
    }
    items.emplace_back(name, w);
    start = comma + 1;
  }
  return items;
}

std::vector<Index> class_counts(const Matrix& y, std::size_t k) {
  std::vector<Index> counts(k, 0);
  for (Index j = 0; j < y.cols(); ++j) ++counts[static_cast<std::size_t>(y(0, j))];
  return counts;
}

}  // namespace

void check_class_weight(const std::string& spec) {
  if (spec.empty() || spec == "balanced") return;
  parse_items(spec);
}

std::vector<double> class_weights(const std::string& spec, const std::vector<std::string>& classes,
                                  const Matrix& y) {
  if (spec.empty()) return {};
  std::vector<double> factors(classes.size(), 1.0);
  if (spec == "balanced") {
    const std::vector<Index> counts = class_counts(y, classes.size());
    const auto present = std::count_if(counts.begin(), counts.end(), [](Index c) { return c > 0; });
    for (std::size_t k = 0; k < classes.size(); ++k) {
      if (counts[k] > 0) {
        factors[k] = static_cast<double>(y.cols()) /
                     (static_cast<double>(present) * static_cast<double>(counts[k]));
      }
    }
    return factors;
  }
  for (const auto& [name, w] : parse_items(spec)) {
    const auto it = std::find(classes.begin(), classes.end(), name);
    if (it == classes.end()) {
      throw ConfigError("--class-weight names class " + data::quoted(name) +
                        ", which the target does not have; its classes are " +
                        data::list_names(classes) + " (names are case-sensitive)");
    }
    factors[static_cast<std::size_t>(it - classes.begin())] = w;
  }
  return factors;
}

Vector row_weights(const Vector& sample, const std::vector<double>& factors, const Matrix& y) {
  if (factors.empty()) return sample;
  Vector w(y.cols());
  for (Index j = 0; j < y.cols(); ++j) {
    const double s = sample.size() == 0 ? 1.0 : static_cast<double>(sample[j]);
    w[j] = static_cast<Scalar>(s * factors[static_cast<std::size_t>(y(0, j))]);
  }
  return w;
}

}  // namespace nnfit::train
