// Range and consistency checks for TrainOptions, and the layer-list syntax.
#include "train/config.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <sstream>

#include "core/error.h"
#include "nn/network.h"
#include "train/class_weight.h"

namespace nnfit::train {
namespace {

template <typename T>
[[noreturn]] void fail(const std::string& name, T value, const std::string& expected) {
  std::ostringstream os;
  os << "invalid --" << name << " " << value << ": " << expected;
  throw ConfigError(os.str());
}

void one_of(const std::string& name, const std::string& value,
            std::initializer_list<const char*> allowed) {
  std::string list;
  for (const char* a : allowed) {
    if (value == a) return;
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  fail(name, "'" + value + "'", "expected one of " + list);
}

void validate_schedule(const TrainOptions& opt) {
  one_of("lr-schedule", opt.lr_schedule, {"constant", "inverse", "power", "cosine", "plateau"});
  one_of("lr-unit", opt.lr_unit, {"epoch", "update"});
  one_of("lr-warmup-kind", opt.lr_warmup_kind, {"linear", "constant"});
  if (opt.lr_schedule == "power" && !(opt.lr_decay > 0.5 && opt.lr_decay <= 1.0))
    fail("lr-decay", opt.lr_decay, "the power schedule needs 0.5 < delta <= 1");
  if (!(opt.lr_decay > 0.0)) fail("lr-decay", opt.lr_decay, "must be > 0");
  if (!(opt.lr_min >= 0.0 && opt.lr_min <= opt.lr))
    fail("lr-min", opt.lr_min, "must be in [0, --lr]");
  if (!(opt.lr_factor > 1.0)) fail("lr-factor", opt.lr_factor, "must be > 1");
  if (opt.lr_patience < 1) fail("lr-patience", opt.lr_patience, "must be >= 1");
  if (opt.lr_warmup < 0) fail("lr-warmup", opt.lr_warmup, "must be >= 0");
}

// lbfgs and newton step along a line search on one deterministic full-batch loss: dropout
// (a different random loss each pass), max-norm (a projection the line search and the
// curvature pairs never see) and clip-norm (a step length the line search already chooses)
// have no meaning there, so they are refused rather than silently ignored.
void validate_full_batch(const TrainOptions& opt) {
  if (!is_full_batch(opt)) return;
  std::string what;
  if (std::any_of(opt.dropout.begin(), opt.dropout.end(), [](double d) { return d > 0; }))
    what = "--dropout";
  else if (opt.max_norm > 0)
    what = "--max-norm";
  else if (opt.clip_norm > 0)
    what = "--clip-norm";
  if (what.empty()) return;
  throw ConfigError(what + " applies to the mini-batch optimizers (sgd, adam, adamw), not to " +
                    "--optimizer " + opt.optimizer + ", whose full-batch line search needs one " +
                    "fixed loss; drop " + what + " or use --optimizer adam");
}

}  // namespace

double default_lr(const std::string& optimizer) { return optimizer == "sgd" ? 0.01 : 0.001; }

TrainOptions with_default_lr(TrainOptions opt) {
  if (std::isnan(opt.lr)) opt.lr = default_lr(opt.optimizer);
  return opt;
}

void validate(const TrainOptions& given) {
  const TrainOptions opt = with_default_lr(given);
  if (!(opt.lr > 0.0) || !std::isfinite(opt.lr)) fail("lr", opt.lr, "must be > 0");
  if (!(opt.momentum >= 0.0 && opt.momentum < 1.0))
    fail("momentum", opt.momentum, "must be in [0, 1)");
  if (opt.batch_size < 1) fail("batch-size", opt.batch_size, "must be >= 1");
  if (opt.epochs < 1) fail("epochs", opt.epochs, "must be >= 1");
  if (!(opt.l1 >= 0.0)) fail("l1", opt.l1, "must be >= 0");
  if (!(opt.l2 >= 0.0)) fail("l2", opt.l2, "must be >= 0");
  if (opt.patience < 1) fail("patience", opt.patience, "must be >= 1");
  if (!(opt.min_delta >= 0.0)) fail("min-delta", opt.min_delta, "must be >= 0");
  one_of("optimizer", opt.optimizer, {"sgd", "adam", "adamw", "lbfgs", "newton"});
  one_of("init", opt.init, {"auto", "glorot", "he"});
  if (!(opt.beta1 >= 0.0 && opt.beta1 < 1.0)) fail("beta1", opt.beta1, "must be in [0, 1)");
  if (!(opt.beta2 >= 0.0 && opt.beta2 < 1.0)) fail("beta2", opt.beta2, "must be in [0, 1)");
  if (!(opt.epsilon > 0.0) || !std::isfinite(opt.epsilon))
    fail("epsilon", opt.epsilon, "must be > 0");
  if (!(opt.weight_decay >= 0.0)) fail("weight-decay", opt.weight_decay, "must be >= 0");
  if (opt.lbfgs_history < 1) fail("lbfgs-history", opt.lbfgs_history, "must be >= 1");
  if (!(opt.tol > 0.0)) fail("tol", opt.tol, "must be > 0");
  validate_schedule(opt);
  if (!(opt.max_norm >= 0.0)) fail("max-norm", opt.max_norm, "must be >= 0 (0 = off)");
  if (!(opt.clip_norm >= 0.0)) fail("clip-norm", opt.clip_norm, "must be >= 0 (0 = off)");
  for (double d : opt.dropout) {
    if (!(d >= 0.0 && d < 1.0)) fail("dropout", d, "rates must be in [0, 1)");
  }
  if (opt.dropout.size() > 1 && opt.dropout.size() != opt.hidden.size()) {
    throw ConfigError("--dropout gives " + std::to_string(opt.dropout.size()) + " rates for " +
                      std::to_string(opt.hidden.size()) +
                      " hidden layers; give one, or one per layer");
  }
  validate_full_batch(opt);
  check_class_weight(opt.class_weight);
  one_of("monitor", opt.monitor, {"val_loss", "val_accuracy", "val_f1", "val_rmse"});
  if (opt.min_epochs < 0) fail("min-epochs", opt.min_epochs, "must be >= 0");
  if (!(opt.look_ahead >= 0.0)) fail("look-ahead", opt.look_ahead, "must be >= 0 (0 = off)");
  if (opt.max_recoveries < 0) fail("max-recoveries", opt.max_recoveries, "must be >= 0");
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

bool is_full_batch(const TrainOptions& opt) {
  return opt.optimizer == "lbfgs" || opt.optimizer == "newton";
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
