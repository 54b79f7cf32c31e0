// Range and consistency checks for TrainOptions, and the layer-list syntax.
#include "train/config.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

#include "core/error.h"
#include "nn/network.h"

namespace nnfit::train {
namespace {

template <typename T>
[[noreturn]] void fail(const std::string& name, T value, const std::string& expected) {
  std::ostringstream os;
  os << "invalid --" << name << " " << value << ": " << expected;
  throw ConfigError(os.str());
}

}  // namespace

void validate(const TrainOptions& opt) {
  if (!(opt.lr > 0.0) || !std::isfinite(opt.lr)) fail("lr", opt.lr, "must be > 0");
  if (!(opt.momentum >= 0.0 && opt.momentum < 1.0))
    fail("momentum", opt.momentum, "must be in [0, 1)");
  if (opt.batch_size < 1) fail("batch-size", opt.batch_size, "must be >= 1");
  if (opt.epochs < 1) fail("epochs", opt.epochs, "must be >= 1");
  if (!(opt.l1 >= 0.0)) fail("l1", opt.l1, "must be >= 0");
  if (!(opt.l2 >= 0.0)) fail("l2", opt.l2, "must be >= 0");
  if (opt.patience < 1) fail("patience", opt.patience, "must be >= 1");
  if (!(opt.min_delta >= 0.0)) fail("min-delta", opt.min_delta, "must be >= 0");
  if (opt.optimizer != "sgd") fail("optimizer", opt.optimizer, "only 'sgd' is available");
  for (Index h : opt.hidden) {
    if (h < 1) fail("hidden", h, "layer sizes must be >= 1");
  }
  const std::size_t n_act = opt.activation.size();
  if (n_act == 0) fail("activation", "''", "give one activation or one per hidden layer");
  if (n_act != 1 && n_act != opt.hidden.size()) {
    const std::size_t layers = opt.hidden.size();
    throw ConfigError("--activation gives " + std::to_string(n_act) + " activations for " +
                      std::to_string(layers) + " hidden layer" + (layers == 1 ? "" : "s") +
                      "; give one, or one per layer");
  }
  for (const std::string& a : opt.activation) nn::parse_activation(a);
}

std::vector<Index> parse_hidden(const std::string& spec) {
  std::vector<Index> out;
  if (spec.empty() || spec == "0") return out;
  std::size_t start = 0;
  while (start <= spec.size()) {
    const std::size_t comma = std::min(spec.find(',', start), spec.size());
    const std::string item = spec.substr(start, comma - start);
    long long v = 0;
    const auto res = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || res.ec != std::errc() || res.ptr != item.data() + item.size() || v < 1) {
      throw ConfigError("invalid --hidden '" + spec +
                        "': expected positive layer sizes separated by commas, e.g. 256,128 "
                        "(or 0 for no hidden layer)");
    }
    out.push_back(static_cast<Index>(v));
    start = comma + 1;
  }
  return out;
}

}  // namespace nnfit::train
