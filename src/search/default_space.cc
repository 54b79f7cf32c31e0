#include "search/default_space.h"

#include <algorithm>
#include <cstdlib>

#include "train/params.h"

namespace nnfit::search {
namespace {

// Whether text (base's value of d.key) is a value d can draw.
bool in_space(const Distribution& d, const std::string& text) {
  if (d.kind == Distribution::Kind::kChoice) {
    return std::find(d.choices.begin(), d.choices.end(), text) != d.choices.end();
  }
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0') return false;
  if (d.kind == Distribution::Kind::kInt && v != static_cast<double>(static_cast<long long>(v))) {
    return false;
  }
  return v >= d.low && v <= d.high;
}

}  // namespace

const std::vector<std::string>& default_space_texts() {
  static const std::vector<std::string> texts{
      "lr=loguniform(0.0001,0.03)",
      "hidden=choice(32|64|128|64,64|128,64|256,128)",
      "l2=choice(0|0.00001|0.0001|0.001|0.01)",
      "batch-size=choice(16|32|64|128)",
      "activation=choice(relu|tanh)",
  };
  return texts;
}

SearchSpace default_space() {
  SearchSpace space;
  for (const std::string& t : default_space_texts()) space.random.push_back(parse_distribution(t));
  return space;
}

std::optional<Candidate> base_candidate(const SearchSpace& space, const train::TrainOptions& base,
                                        bool within_space) {
  const train::TrainOptions opt = train::with_default_lr(base);
  Candidate c;
  for (const GridAxis& a : space.grid) {
    const std::string v = train::get_text(*train::find_param(a.key), opt);
    const bool listed = std::find(a.values.begin(), a.values.end(), v) != a.values.end();
    if (within_space && !listed) return std::nullopt;
    c.emplace_back(a.key, v);
  }
  for (const Distribution& d : space.random) {
    const std::string v = train::get_text(*train::find_param(d.key), opt);
    if (within_space && !in_space(d, v)) return std::nullopt;
    c.emplace_back(d.key, v);
  }
  std::sort(c.begin(), c.end());
  return c;
}

bool same_candidate(const Candidate& a, const Candidate& b, const train::TrainOptions& base) {
  if (a.size() != b.size()) return false;
  const train::TrainOptions x = train::with_default_lr(apply(a, base));
  const train::TrainOptions y = train::with_default_lr(apply(b, base));
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].first != b[i].first) return false;
    if (!train::same_value(*train::find_param(a[i].first), x, y)) return false;
  }
  return true;
}

}  // namespace nnfit::search
