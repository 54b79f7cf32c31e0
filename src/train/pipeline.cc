// The train pipeline. Randomness comes from one Rng seeded with opt.seed and is drawn in a
// fixed order (split, initialisation, shuffles), so a run is reproducible bit for bit.
#include "train/pipeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>
#include <utility>

#include "core/error.h"
#include "data/split.h"
#include "data/text.h"
#include "data/weight_column.h"
#include "train/class_weight.h"
#include "train/footprint.h"
#include "train/metrics.h"

namespace nnfit::train {
namespace {

struct Prepared {
  Matrix x_train, y_train, x_val, y_val;
  Vector w_train, w_val;  // empty without a weight column
};

Vector weights_of(const data::Dataset& d) {
  return Eigen::Map<const Vector>(d.weights.data(), static_cast<Index>(d.weights.size()));
}

std::vector<int> class_labels(const Matrix& y) {
  std::vector<int> labels(static_cast<std::size_t>(y.cols()));
  for (Index j = 0; j < y.cols(); ++j)
    labels[static_cast<std::size_t>(j)] = static_cast<int>(y(0, j));
  return labels;
}

// Fits the preprocessing on the training part only (validation rows would leak into the
// statistics) and applies it to both parts.
void preprocess(data::Dataset train_part, const data::Dataset& val_part, const DataOptions& opt,
                model::Model& m, Prepared& p) {
  m.features = data::fit_preprocessor(train_part, data::parse_impute(opt.impute), opt.csv.warn);
  p.x_val = m.features.transform(val_part, opt.csv.warn);
  p.x_train = m.features.transform(std::move(train_part), opt.csv.warn);
}

// Splits train (or takes val as the validation part), preprocesses both parts and leaves
// train.x empty. Without a split the training matrix is moved, not copied; with one, the training
// part is compacted in place (keep_rows), so the peak holds the matrix and the validation part.
Prepared split_data(data::Dataset& train, const data::Dataset* val, Matrix y, model::Model& m,
                    const DataOptions& opt, Rng& rng) {
  Prepared p;
  if (val != nullptr || opt.val_split == 0) {
    data::Dataset none = data::take_rows(train, {});
    p.y_val = val != nullptr ? data::encode_target(*val, m.target) : Matrix(y.rows(), 0);
    p.y_train = std::move(y);
    p.w_train = weights_of(train);
    if (val != nullptr) p.w_val = weights_of(*val);
    preprocess(std::move(train), val != nullptr ? *val : none, opt, m, p);
    return p;
  }
  const bool stratify = m.target.task == data::Task::kClassification;
  const std::vector<int> labels = stratify ? class_labels(y) : std::vector<int>{};
  const data::Split s =
      data::train_val_split(train.x.cols(), opt.val_split, stratify ? &labels : nullptr, rng);
  if (s.train.empty() || (opt.val_split > 0 && s.val.empty())) {
    std::ostringstream os;
    os << train.source << ": " << train.x.cols() << " rows are too few for --val-split "
       << opt.val_split << "; add rows, change --val-split, or use --val-split 0";
    throw DataError(os.str());
  }
  p.y_train = data::take_columns(y, s.train);
  p.y_val = data::take_columns(y, s.val);
  const data::Dataset val_part = data::take_rows(train, s.val);
  data::keep_rows(train, s.train);  // the training part, in place: one matrix at a time
  p.w_train = weights_of(train);
  p.w_val = weights_of(val_part);
  preprocess(std::move(train), val_part, opt, m, p);
  return p;
}

// Standardises the regression target with the training part's mean and std.
void standardise_target(Prepared& p, model::Model& m) {
  const Eigen::ArrayXd y = p.y_train.row(0).transpose().cast<double>().array();
  const double mean = y.mean();
  const double sd = std::sqrt((y - mean).square().mean());
  m.target_mean = mean;
  m.target_scale = sd > 0 && std::isfinite(sd) ? sd : 1.0;
  const auto apply = [&](Matrix& t) {
    t = ((t.array().cast<double>() - mean) / m.target_scale).cast<Scalar>().matrix();
  };
  apply(p.y_train);
  apply(p.y_val);
}

nn::NetworkSpec network_spec(const TrainOptions& opt, Index inputs, const data::TargetEncoding& t) {
  nn::NetworkSpec spec;
  spec.inputs = inputs;
  spec.hidden = opt.hidden;
  for (std::size_t i = 0; i < opt.hidden.size(); ++i) {
    const std::string& a = opt.activation.size() == 1 ? opt.activation[0] : opt.activation[i];
    spec.activations.push_back(nn::parse_activation(a));
  }
  model::set_output(spec, t);
  return spec;
}

// Loss and accuracy (or RMSE and R^2, in target units) of the final weights on x, y.
// With sample weights w (non-empty), weighted means.
nlohmann::json split_metrics(nn::Network& net, const Matrix& x, const Matrix& y,
                             const model::Model& m, const Vector& weights) {
  nlohmann::json j;
  j["rows"] = x.cols();
  if (x.cols() == 0) return j;
  const Vector* w = weights_or_null(weights);
  Matrix out;
  j["loss"] = net.evaluate(x, y, out, weight_data(w)) / weight_total(w, x.cols());
  if (m.target.task == data::Task::kClassification) {
    j["accuracy"] = accuracy(out, y, w);
  } else {
    j["rmse"] = rmse(out, y, w) * m.target_scale;
    j["r2"] = r2(out, y, w);
  }
  return j;
}

// Warns about classes too rare to appear in both parts of the split: one warning each, or one
// for all of them when there are more than kRareListed (a continuous target read as classes
// would otherwise give one line per value). (Constant columns are reported by the preprocessing.)
constexpr std::size_t kRareListed = 3;

void check_classes(const Prepared& p, const model::Model& m, const data::WarningSink& warn) {
  if (!warn) return;
  if (m.target.task != data::Task::kClassification || p.y_val.cols() == 0) return;
  const std::vector<std::string>& classes = m.target.classes;
  std::vector<Index> in_train(classes.size(), 0), in_val(classes.size(), 0);
  for (Index j = 0; j < p.y_train.cols(); ++j)
    ++in_train[static_cast<std::size_t>(p.y_train(0, j))];
  for (Index j = 0; j < p.y_val.cols(); ++j) ++in_val[static_cast<std::size_t>(p.y_val(0, j))];
  std::vector<std::size_t> rare;
  for (std::size_t k = 0; k < classes.size(); ++k) {
    if (in_train[k] == 0 || in_val[k] == 0) rare.push_back(k);
  }
  const auto rows = [&](std::size_t k) { return std::to_string(in_train[k] + in_val[k]); };
  if (rare.size() > kRareListed) {
    const std::string first = "class '" + classes[rare[0]] + "', " + rows(rare[0]) + " row(s)";
    warn(std::to_string(rare.size()) + " of " + std::to_string(classes.size()) +
         " classes are too rare to stratify: each is missing from the training or the validation "
         "part (first: " +
         first + ")");
    return;
  }
  for (std::size_t k : rare) {
    warn("class '" + classes[k] + "' has " + rows(k) +
         " row(s): too rare to stratify, it is missing from the " +
         (in_train[k] == 0 ? "training" : "validation") + " part");
  }
}

// Categorical columns with more than opt.max_categories categories (ids, names, free text):
// one-hot encoding them would add an input per distinct value and learn nothing that
// generalises. They are dropped with a warning and listed in the model's ignored columns.
std::vector<std::string> wide_categoricals(const data::Dataset& d, const DataOptions& opt) {
  std::vector<std::string> wide;
  if (opt.max_categories == 0) return wide;
  for (std::size_t f = 0; f < d.feature_names.size(); ++f) {
    const std::size_t k = d.categories[f].size();
    if (!d.categorical[f] || k <= opt.max_categories) continue;
    wide.push_back(d.feature_names[f]);
    if (opt.csv.warn) {
      opt.csv.warn(d.source + ": column " + data::quoted(d.feature_names[f]) + " has " +
                   std::to_string(k) + " categories in " + std::to_string(d.x.cols()) +
                   " rows, more than --max-categories " + std::to_string(opt.max_categories) +
                   "; dropped (pass --ignore " + data::shell_word(d.feature_names[f]) +
                   " to silence this, or raise --max-categories to keep it)");
    }
  }
  return wide;
}

}  // namespace

void validate(const DataOptions& opt) {
  if (!(opt.val_split >= 0.0 && opt.val_split < 1.0)) {
    std::ostringstream os;
    os << "invalid --val-split " << opt.val_split << ": must be in [0, 1) (0 disables validation)";
    throw ConfigError(os.str());
  }
  data::parse_task(opt.task);
  data::parse_impute(opt.impute);
}

std::vector<std::string> drop_wide_categoricals(data::Dataset& d, const DataOptions& opt) {
  std::vector<std::string> wide = wide_categoricals(d, opt);
  data::drop_features(d, wide);
  return wide;
}

namespace {

// The model without preprocessing or network: the column lists (dropping wide categorical
// columns from train) and the target encoding fitted on train.
model::Model model_skeleton(data::Dataset& train, const DataOptions& data) {
  model::Model m;
  m.ignored_columns = data.csv.ignore;
  m.ignored_columns.insert(m.ignored_columns.end(), train.dropped.begin(), train.dropped.end());
  for (std::string& name : drop_wide_categoricals(train, data)) {
    m.ignored_columns.push_back(std::move(name));
  }
  m.na_values = data.csv.na_values;
  m.decimal = data.csv.decimal;
  m.target_name = train.target_name;
  m.weight_column = train.weight_name;
  m.target = data::fit_target(train, data::parse_task(data.task), data.csv.warn);
  return m;
}

// Moves p's parts into out, checking that the training rows' weights are not all zero.
void move_parts(Prepared& p, PreparedData& out, const std::string& source) {
  data::check_weights_not_all_zero(p.w_train, source, out.model.weight_column, "the training rows");
  out.x_train = std::move(p.x_train);
  out.y_train = std::move(p.y_train);
  out.x_val = std::move(p.x_val);
  out.y_val = std::move(p.y_val);
  out.w_train = std::move(p.w_train);
  out.w_val = std::move(p.w_val);
}

}  // namespace

PreparedData prepare_data(data::Dataset train, const data::Dataset* val, const DataOptions& data,
                          Rng& rng) {
  validate(data);
  PreparedData prepared;
  model::Model& m = prepared.model;
  m = model_skeleton(train, data);
  Matrix y = data::encode_target(train, m.target);
  const std::string source = train.source;  // split_data may move train
  Prepared p = split_data(train, val, std::move(y), m, data, rng);
  check_classes(p, m, data.csv.warn);
  if (m.target.task != data::Task::kClassification) standardise_target(p, m);
  move_parts(p, prepared, source);
  return prepared;
}

std::vector<PreparedData> prepare_folds(data::Dataset train, const DataOptions& data_in, int folds,
                                        Rng& rng, FoldUse use) {
  validate(data_in);
  DataOptions data = data_in;
  if (use == FoldUse::kStopOnFold) data.val_split = 0;  // the held fold is the validation part
  if (use == FoldUse::kScoreFold && !(data.val_split > 0)) {
    throw ConfigError(
        "--folds needs --val-split > 0: early stopping inside each fold uses that "
        "part of the fold's training rows");
  }
  const model::Model base = model_skeleton(train, data);
  const Matrix y = data::encode_target(train, base.target);
  const bool classification = base.target.task == data::Task::kClassification;
  const std::vector<int> labels = classification ? class_labels(y) : std::vector<int>{};
  const std::vector<int> fold =
      data::kfold_assign(train.x.cols(), folds, classification ? &labels : nullptr, rng);
  std::vector<PreparedData> out;
  for (int f = 0; f < folds; ++f) {
    std::vector<Index> in, held;
    for (std::size_t j = 0; j < fold.size(); ++j)
      (fold[j] == f ? held : in).push_back(static_cast<Index>(j));
    data::Dataset part = data::take_rows(train, in);
    PreparedData pd;
    pd.model = base;
    Prepared p = split_data(part, nullptr, data::take_columns(y, in), pd.model, data, rng);
    if (!classification) standardise_target(p, pd.model);
    data::Dataset test = data::take_rows(train, held);
    pd.w_test = weights_of(test);
    pd.x_test = pd.model.features.transform(std::move(test), {});
    pd.y_test = data::take_columns(y, held);
    if (!classification) {
      pd.y_test =
          ((pd.y_test.array().cast<double>() - pd.model.target_mean) / pd.model.target_scale)
              .cast<Scalar>()
              .matrix();
    }
    move_parts(p, pd, train.source);
    if (use == FoldUse::kStopOnFold) {  // the held fold is what early stopping watches
      pd.x_val = std::move(pd.x_test);
      pd.y_val = std::move(pd.y_test);
      pd.w_val = std::move(pd.w_test);
      pd.x_test = Matrix();
      pd.y_test = Matrix();
      pd.w_test = Vector();
    }
    out.push_back(std::move(pd));
  }
  return out;
}

Score score_on(const model::Model& m, const Matrix& x, const Matrix& y, const Vector& weights) {
  nn::Network net(m.spec);
  net.params() = m.params;
  Matrix out;
  Score s;
  const Vector* w = weights_or_null(weights);
  s.loss = net.evaluate(x, y, out, weight_data(w)) / weight_total(w, x.cols());
  if (m.target.task == data::Task::kClassification) {
    s.metric = accuracy(out, y, w);
    s.f1 = macro_f1(out, y, w);
  } else {
    s.metric = rmse(out, y, w) * m.target_scale;
    s.r2 = r2(out, y, w);
  }
  return s;
}

namespace {

// One name per row of the network input: a numeric column's name, "column=category" for each
// one-hot slot of a categorical column.
std::vector<std::string> input_names(const data::Preprocessor& features) {
  std::vector<std::string> names;
  for (const data::FeatureColumn& c : features.columns) {
    if (!c.categorical) names.push_back(c.name);
    for (const std::string& category : c.categories) names.push_back(c.name + "=" + category);
  }
  return names;
}

model::Model with_network(const PreparedData& p, const TrainOptions& opt) {
  validate(opt);
  model::Model m = p.model;
  m.options = with_default_lr(opt);  // the model records the rate used
  m.spec = network_spec(opt, p.x_train.rows(), m.target);
  check_fits(network_footprint(p, opt), available_memory());  // before the network is allocated
  return m;
}

}  // namespace

Vector training_weights(const PreparedData& p, const TrainOptions& opt) {
  if (opt.class_weight.empty()) return p.w_train;
  if (p.model.target.task != data::Task::kClassification) {
    throw ConfigError("--class-weight " + data::quoted(opt.class_weight) +
                      " needs a classification target, but " + data::quoted(p.model.target_name) +
                      " is a regression target; weigh rows with --weight-column instead");
  }
  const std::vector<double> factors =
      class_weights(opt.class_weight, p.model.target.classes, p.y_train);
  return row_weights(p.w_train, factors, p.y_train);
}

PreparedFit::PreparedFit(const PreparedData& p, const TrainOptions& opt, const Rng& rng,
                         const std::atomic<bool>* interrupt)
    : p_(p), model_(with_network(p, opt)), net_(model_.spec), rng_(rng) {
  net_.init_params(rng_, nn::parse_init(opt.init));
  w_train_ = training_weights(p, opt);
  fit_data_ = FitData{&p.x_train, &p.y_train, &p.x_val, &p.y_val,
                      model_.target.task == data::Task::kClassification, model_.target_scale,
                      interrupt};
  input_names_ = input_names(model_.features);
  fit_data_.feature_names = &input_names_;
  fit_data_.w_train = weights_or_null(w_train_);
  fit_data_.w_val = weights_or_null(p.w_val);
  if (opt.lr_auto) {  // the model records the chosen rate (lr_auto stays true: it was auto)
    lr_auto_ = choose_rate(net_, p.x_train, p.y_train, opt);
    model_.options.lr = lr_auto_->rate;
  }
  trainer_ = std::make_unique<Trainer>(net_, model_.options, fit_data_, rng_);
}

TrainRun PreparedFit::run() const {
  TrainRun run;
  run.model = model_;
  run.fit = trainer_->result();
  run.lr_auto = lr_auto_;
  nn::Network best(model_.spec);
  best.params() = trainer_->best_params();
  run.model.params = best.params();
  run.n_train = p_.x_train.cols();
  run.n_val = p_.x_val.cols();
  run.model.metrics = {
      {"best_epoch", run.fit.best_epoch},
      {"epochs_run", run.fit.epochs_run},
      {"stopped_early", run.fit.stopped_early},
      {"converged", run.fit.converged},
      {"interrupted", run.fit.interrupted},
      {"train", split_metrics(best, p_.x_train, p_.y_train, run.model, p_.w_train)},
      {"validation", split_metrics(best, p_.x_val, p_.y_val, run.model, p_.w_val)}};
  return run;
}

nn::Network initial_network(const PreparedData& p, const TrainOptions& opt, Rng& rng) {
  nn::Network net(with_network(p, opt).spec);
  net.init_params(rng, nn::parse_init(opt.init));
  net.set_dropout(opt.dropout, opt.seed);  // as the Trainer sets it
  return net;
}

Footprint network_footprint(const PreparedData& p, const TrainOptions& opt) {
  return footprint(network_spec(opt, p.x_train.rows(), p.model.target), opt.batch_size,
                   p.x_train.cols() + p.x_val.cols());
}

TrainRun fit_prepared(const PreparedData& p, const TrainOptions& opt, Rng& rng,
                      const EpochCallback& on_epoch, const std::atomic<bool>* interrupt) {
  PreparedFit f(p, opt, rng, interrupt);
  f.run_to(opt.epochs, on_epoch);
  rng = f.rng();
  return f.run();
}

TrainRun train_datasets(data::Dataset train, const data::Dataset* val, const DataOptions& data,
                        const TrainOptions& opt, const EpochCallback& on_epoch,
                        const std::atomic<bool>* interrupt) {
  validate(data);
  validate(opt);
  Rng rng(opt.seed);  // one stream: the split, then the initialisation, then the shuffles
  const PreparedData p = prepare_data(std::move(train), val, data, rng);
  if (data.on_network) {
    data.on_network(network_footprint(p, opt));
  }
  return fit_prepared(p, opt, rng, on_epoch, interrupt);
}

InputData read_inputs(const DataOptions& data) {
  validate(data);
  const auto t0 = std::chrono::steady_clock::now();
  InputData in;
  DataOptions& d = in.options;
  d = data;
  d.csv.allow_missing = data::parse_impute(data.impute) != data::Impute::kNone;
  d.csv.max_categories = data.max_categories;
  in.train = data::read_dataset(d.data, d.target, d.csv);
  in.wide_dropped = drop_wide_categoricals(in.train, d);
  d.csv.ignore.insert(d.csv.ignore.end(), in.wide_dropped.begin(), in.wide_dropped.end());
  if (!d.val_data.empty()) {
    // Read against the training file's schema: the same categorical columns, the rest numeric.
    data::CsvOptions csv = d.csv;
    csv.infer_types = false;
    csv.categorical.clear();
    for (std::size_t f = 0; f < in.train.feature_names.size(); ++f) {
      if (in.train.categorical[f]) csv.categorical.push_back(in.train.feature_names[f]);
    }
    in.val = data::read_dataset(d.val_data, in.train.target_name, csv);
    in.has_val = true;
  }
  in.load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return in;
}

TrainRun train_csv(const DataOptions& data, const TrainOptions& opt, const EpochCallback& on_epoch,
                   const std::atomic<bool>* interrupt) {
  validate(opt);
  InputData in = read_inputs(data);
  TrainRun run = train_datasets(std::move(in.train), in.has_val ? &in.val : nullptr, in.options,
                                opt, on_epoch, interrupt);
  run.load_seconds = in.load_seconds;
  return run;
}

}  // namespace nnfit::train
