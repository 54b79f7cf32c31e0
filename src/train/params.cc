// The rows of the hyper-parameter table, and text conversion by field type.
#include "train/params.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>
#include <type_traits>

#include "core/error.h"

namespace nnfit::train {
namespace {

using O = TrainOptions;
using G = ParamGroup;
const std::vector<std::string> kActivations{"relu", "tanh", "sigmoid", "identity"};

// One row; choices and searchable are optional (spelled out for -Wmissing-field-initializers).
Param row(std::string name, ParamGroup group, ParamField field, std::string doc,
          std::vector<std::string> choices = {}, bool searchable = true) {
  return Param{std::move(name), group, field, std::move(doc), std::move(choices), searchable};
}

std::vector<Param> make_rows() {
  return {
      row("hidden", G::kArchitecture, &O::hidden, "Hidden layer sizes, e.g. 256,128; 0 = none"),
      row("activation", G::kArchitecture, &O::activation,
          "relu | tanh | sigmoid | identity: one, or one per hidden layer (relu,tanh)",
          kActivations),
      row("init", G::kArchitecture, &O::init,
          "Weight initialisation: glorot (default) | he | auto (He before ReLU, Glorot elsewhere)",
          {"auto", "glorot", "he"}),
      row("optimizer", G::kOptimizer, &O::optimizer,
          "adam (default) | sgd (momentum) | adamw | lbfgs (full batch) | newton (full batch, "
          "small nets)",
          {"sgd", "adam", "adamw", "lbfgs", "newton"}),
      row("lr", G::kOptimizer, &O::lr,
          "Learning rate (> 0); default: 0.001 for adam and adamw, 0.01 for sgd; auto: 1 / "
          "lambda_max of the loss Hessian at the start"),
      row("momentum", G::kOptimizer, &O::momentum, "Momentum in [0, 1) (sgd)"),
      row("nesterov", G::kOptimizer, &O::nesterov, "Nesterov momentum instead of heavy ball (sgd)"),
      row("beta1", G::kOptimizer, &O::beta1, "Adam's first-moment decay in [0, 1)"),
      row("beta2", G::kOptimizer, &O::beta2, "Adam's second-moment decay in [0, 1)"),
      row("epsilon", G::kOptimizer, &O::epsilon, "Adam's denominator epsilon (> 0)"),
      row("weight-decay", G::kOptimizer, &O::weight_decay,
          "AdamW's decoupled weight decay on weights (>= 0): w -= lr * wd * w per update"),
      row("lbfgs-history", G::kOptimizer, &O::lbfgs_history, "L-BFGS: (s, y) pairs kept (>= 1)"),
      row("tol", G::kOptimizer, &O::tol,
          "L-BFGS / Newton: stop when max |gradient| <= tol (or the loss stops decreasing)"),
      row("batch-size", G::kOptimizer, &O::batch_size,
          "Examples per step; 1 = per-example SGD (lbfgs and newton use the full batch)"),
      row("epochs", G::kOptimizer, &O::epochs,
          "Maximum number of epochs (iterations for lbfgs and newton)"),
      row("lr-schedule", G::kSchedule, &O::lr_schedule,
          "constant | inverse lr/(1+decay t) | power lr/t^decay | cosine (to --lr-min) | plateau",
          {"constant", "inverse", "power", "cosine", "plateau"}),
      row("lr-unit", G::kSchedule, &O::lr_unit,
          "What the schedule's t counts: epoch | update (one mini-batch step)",
          {"epoch", "update"}),
      row("lr-decay", G::kSchedule, &O::lr_decay,
          "delta of inverse (> 0) and power (0.5 < delta <= 1)"),
      row("lr-min", G::kSchedule, &O::lr_min, "Lowest rate of cosine and plateau, in [0, --lr]"),
      row("lr-factor", G::kSchedule, &O::lr_factor, "plateau: divide the rate by this (> 1)"),
      row("lr-patience", G::kSchedule, &O::lr_patience,
          "plateau: epochs without improvement before the rate drops (>= 1)"),
      row("lr-warmup", G::kSchedule, &O::lr_warmup, "Warm-up length in --lr-unit units (>= 0)"),
      row("lr-warmup-kind", G::kSchedule, &O::lr_warmup_kind,
          "linear (lr (t+1)/W) | constant (lr held, then the schedule starts)",
          {"linear", "constant"}),
      row("l1", G::kRegularization, &O::l1, "L1 penalty on weights (not biases)"),
      row("l2", G::kRegularization, &O::l2, "L2 penalty on weights (not biases)"),
      row("dropout", G::kRegularization, &O::dropout,
          "Dropout rate of hidden layers in [0, 1): one, or one per hidden layer; 0 = none"),
      row("max-norm", G::kRegularization, &O::max_norm,
          "Cap on each unit's incoming weight norm after every update; 0 = off"),
      row("clip-norm", G::kRegularization, &O::clip_norm,
          "Clip the gradient's global norm to this; 0 = off"),
      row("class-weight", G::kRegularization, &O::class_weight,
          "Class weights of the training loss (classification): balanced, or CLASS=W,... with "
          "W > 0 (others 1); times --weight-column; empty = none"),
      row("monitor", G::kStopping, &O::monitor,
          "Early stopping watches: val_loss | val_accuracy | val_f1 | val_rmse",
          {"val_loss", "val_accuracy", "val_f1", "val_rmse"}),
      row("patience", G::kStopping, &O::patience,
          "Stop after this many epochs without improvement of --monitor"),
      row("min-delta", G::kStopping, &O::min_delta,
          "Smallest improvement of --monitor that counts"),
      row("min-epochs", G::kStopping, &O::min_epochs, "No early stop before this many epochs"),
      row("look-ahead", G::kStopping, &O::look_ahead,
          "Patience grows to epoch * FACTOR on a significant improvement; 0 = off"),
      row("max-recoveries", G::kStopping, &O::max_recoveries,
          "Divergences recovered from (roll back, halve the rate) before exit 3"),
      row("seed", G::kRun, &O::seed,
          "Random seed (split, initialisation, shuffling), in [0, 18446744073709551615]", {},
          false),
  };
}

// Why a value does not parse (set_text adds the option and the value).
struct Problem {
  std::string what;
};

[[noreturn]] void bad(const Param&, const std::string&, const std::string& why) {
  throw Problem{why};
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) out.push_back(item);
  if (!text.empty() && text.back() == ',') out.emplace_back();
  return out;
}

template <typename T>
bool parse_whole(const std::string& s, T& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

double parse_double(const Param& p, const std::string& s) {
  double v = 0;
  if (!parse_whole(s, v) || !std::isfinite(v)) bad(p, s, "not a number");
  return v;
}

// Integers in decimal; the seed names its range, as it is the one users type big values into.
template <typename T>
T parse_int(const Param& p, const std::string& s) {
  T v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && end == s.data() + s.size()) return v;
  if (std::is_unsigned_v<T>) {
    bad(p, s, "not an integer in [0, " + std::to_string(std::numeric_limits<T>::max()) + "]");
  }
  if (ec == std::errc::result_out_of_range && end == s.data() + s.size()) bad(p, s, "out of range");
  bad(p, s, "not a whole number");
}

void check_choice(const Param& p, const std::string& v, const std::string& text) {
  if (p.choices.empty() || std::count(p.choices.begin(), p.choices.end(), v) > 0) return;
  std::string list;
  for (const std::string& c : p.choices) list += (list.empty() ? "" : ", ") + c;
  bad(p, text,
      std::string("expected ") + (text.find(',') == std::string::npos ? "one of " : "each of ") +
          list);
}

// Shortest of the stream's 6 significant digits (CLI11's default text) and 17 that reads back.
std::string number_text(double v) {
  std::ostringstream os;
  os << v;
  double back = 0;
  if (parse_whole(os.str(), back) && back == v) return os.str();
  os.str("");
  os.precision(17);
  os << v;
  return os.str();
}

template <typename T>
std::string join(const std::vector<T>& items, std::string (*text)(const T&)) {
  std::string out;
  for (const T& item : items) out += (out.empty() ? "" : ",") + text(item);
  return out;
}

struct TextGetter {
  const TrainOptions& o;
  std::string operator()(double O::*f) const { return number_text(o.*f); }
  std::string operator()(bool O::*f) const { return o.*f ? "true" : "false"; }
  std::string operator()(std::string O::*f) const { return o.*f; }
  template <typename T>
  std::string operator()(T O::*f) const {
    return std::to_string(o.*f);
  }
  std::string operator()(std::vector<Index> O::*f) const {
    if ((o.*f).empty()) return "0";
    return join<Index>(o.*f, [](const Index& i) { return std::to_string(i); });
  }
  std::string operator()(std::vector<std::string> O::*f) const {
    return join<std::string>(o.*f, [](const std::string& s) { return s; });
  }
  std::string operator()(std::vector<double> O::*f) const {
    if ((o.*f).empty()) return "0";
    return join<double>(o.*f, [](const double& d) { return number_text(d); });
  }
};

struct TextSetter {
  const Param& p;
  TrainOptions& o;
  const std::string& s;
  void operator()(double O::*f) const {
    if (f == &O::lr && (s == "auto" || s == "default")) {
      o.lr_auto = s == "auto";
      o.lr = kDefaultLr;
      return;
    }
    o.*f = parse_double(p, s);
    if (f == &O::lr) o.lr_auto = false;
  }
  void operator()(bool O::*f) const {
    if (s != "true" && s != "false") bad(p, s, "expected true or false");
    o.*f = s == "true";
  }
  void operator()(std::string O::*f) const {
    check_choice(p, s, s);
    o.*f = s;
  }
  template <typename T>
  void operator()(T O::*f) const {
    o.*f = parse_int<T>(p, s);
  }
  void operator()(std::vector<Index> O::*f) const { o.*f = parse_hidden(s); }
  void operator()(std::vector<std::string> O::*f) const {
    std::vector<std::string> items = split(s);
    for (const std::string& item : items) check_choice(p, item, s);
    o.*f = std::move(items);
  }
  void operator()(std::vector<double> O::*f) const {
    std::vector<double> rates;
    for (const std::string& item : split(s)) rates.push_back(parse_double(p, item));
    if (rates.size() == 1 && rates[0] == 0.0) rates.clear();  // "0": none
    o.*f = std::move(rates);
  }
};

}  // namespace

std::string group_name(ParamGroup g) {
  switch (g) {
    case ParamGroup::kArchitecture:
      return "architecture";
    case ParamGroup::kOptimizer:
      return "optimizer";
    case ParamGroup::kSchedule:
      return "schedule";
    case ParamGroup::kRegularization:
      return "regularization";
    case ParamGroup::kStopping:
      return "stopping";
    case ParamGroup::kRun:
      return "run";
  }
  return "";
}

const std::vector<Param>& params() {
  static const std::vector<Param> rows = make_rows();
  return rows;
}

const Param* find_param(const std::string& name) {
  std::string key = name;
  std::replace(key.begin(), key.end(), '_', '-');
  for (const Param& p : params()) {
    if (p.name == key) return &p;
  }
  return nullptr;
}

std::string get_text(const Param& p, const TrainOptions& o) {
  if (std::holds_alternative<double O::*>(p.field) && std::get<double O::*>(p.field) == &O::lr &&
      o.lr_auto) {
    return "auto";
  }
  if (std::holds_alternative<double O::*>(p.field) && std::get<double O::*>(p.field) == &O::lr &&
      std::isnan(o.lr)) {
    return "default";
  }
  return std::visit(TextGetter{o}, p.field);
}

void set_text(const Param& p, TrainOptions& o, const std::string& text) {
  try {
    std::visit(TextSetter{p, o, text}, p.field);
  } catch (const Problem& e) {
    throw ConfigError("invalid --" + p.name + " '" + text + "': " + e.what);
  }
}

std::string value_problem(const Param& p, const std::string& text) {
  TrainOptions scratch;
  try {
    std::visit(TextSetter{p, scratch, text}, p.field);
  } catch (const Problem& e) {
    return e.what;
  } catch (const ConfigError& e) {  // parse_hidden's own message
    return e.what();
  }
  return "";
}

std::string type_name(const Param& p) {
  if (std::holds_alternative<double O::*>(p.field)) return "FLOAT";
  if (std::holds_alternative<int O::*>(p.field) || std::holds_alternative<Index O::*>(p.field) ||
      std::holds_alternative<std::uint64_t O::*>(p.field)) {
    return "INT";
  }
  return "TEXT";
}

bool same_value(const Param& p, const TrainOptions& a, const TrainOptions& b) {
  return get_text(p, a) == get_text(p, b);
}

}  // namespace nnfit::train
