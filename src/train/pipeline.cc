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
#include "train/metrics.h"

namespace nnfit::train {
namespace {

struct Prepared {
  Matrix x_train, y_train, x_val, y_val;
};

// Columns of val in the order of train's features, matched by name.
Matrix align_features(const data::Dataset& train, const data::Dataset& val) {
  Matrix x(static_cast<Index>(train.feature_names.size()), val.x.cols());
  for (std::size_t i = 0; i < train.feature_names.size(); ++i) {
    const auto& names = val.feature_names;
    const auto it = std::find(names.begin(), names.end(), train.feature_names[i]);
    if (it == names.end()) {
      throw DataError(val.source + ": column '" + train.feature_names[i] +
                      "' of the training data is missing from the validation file");
    }
    x.row(static_cast<Index>(i)) = val.x.row(static_cast<Index>(it - names.begin()));
  }
  return x;
}

std::vector<int> class_labels(const Matrix& y) {
  std::vector<int> labels(static_cast<std::size_t>(y.cols()));
  for (Index j = 0; j < y.cols(); ++j) labels[static_cast<std::size_t>(j)] = static_cast<int>(y(0, j));
  return labels;
}

// Leaves train.x empty: its columns are moved or copied into the training and validation sets,
// so at most one extra copy of the data is alive, and none without a validation split.
Prepared split_data(data::Dataset& train, const data::Dataset* val, Matrix y,
                    const data::TargetEncoding& enc, const DataOptions& opt, Rng& rng) {
  Prepared p;
  if (val != nullptr || opt.val_split == 0) {
    if (val != nullptr) {
      p.x_val = align_features(train, *val);
      p.y_val = data::encode_target(*val, enc);
    } else {
      p.x_val.resize(train.x.rows(), 0);
      p.y_val.resize(y.rows(), 0);
    }
    p.x_train = std::move(train.x);
    p.y_train = std::move(y);
    return p;
  }
  const bool stratify = enc.task == data::Task::kClassification;
  const std::vector<int> labels = stratify ? class_labels(y) : std::vector<int>{};
  const data::Split s = data::train_val_split(train.x.cols(), opt.val_split,
                                              stratify ? &labels : nullptr, rng);
  if (s.train.empty() || (opt.val_split > 0 && s.val.empty())) {
    std::ostringstream os;
    os << train.source << ": " << train.x.cols() << " rows are too few for --val-split "
       << opt.val_split << "; add rows, change --val-split, or use --val-split 0";
    throw DataError(os.str());
  }
  p.x_train = data::take_columns(train.x, s.train);
  p.y_train = data::take_columns(y, s.train);
  p.x_val = data::take_columns(train.x, s.val);
  p.y_val = data::take_columns(y, s.val);
  train.x = Matrix();
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
nlohmann::json split_metrics(nn::Network& net, const Matrix& x, const Matrix& y,
                             const model::Model& m) {
  nlohmann::json j;
  j["rows"] = x.cols();
  if (x.cols() == 0) return j;
  Matrix out;
  j["loss"] = net.evaluate(x, y, out) / static_cast<double>(x.cols());
  if (m.target.task == data::Task::kClassification) {
    j["accuracy"] = accuracy(out, y);
  } else {
    j["rmse"] = rmse(out, y) * m.target_scale;
    j["r2"] = r2(out, y);
  }
  return j;
}

// Warnings about data that trains but may not be what the user meant: constant feature
// columns (kept: they standardise to 0 and carry no information) and classes too rare to
// appear in both parts of the split.
void check_data(const Prepared& p, const model::Model& m, const data::WarningSink& warn) {
  if (!warn) return;
  for (Index f = 0; f < p.x_train.rows(); ++f) {
    if (p.x_train.cols() > 1 && p.x_train.row(f).minCoeff() == p.x_train.row(f).maxCoeff()) {
      warn("column '" + m.feature_names[static_cast<std::size_t>(f)] +
           "' is constant in the training rows; it carries no information (kept, maps to 0)");
    }
  }
  if (m.target.task != data::Task::kClassification || p.y_val.cols() == 0) return;
  std::vector<Index> in_train(m.target.classes.size(), 0), in_val(m.target.classes.size(), 0);
  for (Index j = 0; j < p.y_train.cols(); ++j) ++in_train[static_cast<std::size_t>(p.y_train(0, j))];
  for (Index j = 0; j < p.y_val.cols(); ++j) ++in_val[static_cast<std::size_t>(p.y_val(0, j))];
  for (std::size_t k = 0; k < m.target.classes.size(); ++k) {
    if (in_train[k] == 0 || in_val[k] == 0) {
      warn("class '" + m.target.classes[k] + "' has " + std::to_string(in_train[k] + in_val[k]) +
           " row(s): too rare to stratify, it is missing from the " +
           (in_train[k] == 0 ? "training" : "validation") + " part");
    }
  }
}

}  // namespace

void validate(const DataOptions& opt) {
  if (!(opt.val_split >= 0.0 && opt.val_split < 1.0)) {
    std::ostringstream os;
    os << "invalid --val-split " << opt.val_split << ": must be in [0, 1) (0 disables validation)";
    throw ConfigError(os.str());
  }
  data::parse_task(opt.task);
}

TrainRun train_datasets(data::Dataset train, const data::Dataset* val,
                        const DataOptions& data, const TrainOptions& opt,
                        const EpochCallback& on_epoch) {
  validate(data);
  validate(opt);
  TrainRun run;
  model::Model& m = run.model;
  m.options = opt;
  m.feature_names = train.feature_names;
  m.ignored_columns = data.csv.ignore;
  m.target_name = train.target_name;
  m.target = data::fit_target(train, data::parse_task(data.task), data.csv.warn);
  Rng rng(opt.seed);
  Prepared p = split_data(train, val, data::encode_target(train, m.target), m.target, data, rng);
  check_data(p, m, data.csv.warn);
  m.feature_scaler.fit(p.x_train);
  m.feature_scaler.transform(p.x_train);
  m.feature_scaler.transform(p.x_val);
  const bool classification = m.target.task == data::Task::kClassification;
  if (!classification) standardise_target(p, m);
  m.spec = network_spec(opt, p.x_train.rows(), m.target);

  nn::Network net(m.spec);
  net.init_params(rng);
  FitData fd{&p.x_train, &p.y_train, &p.x_val, &p.y_val, classification, m.target_scale};
  run.fit = fit(net, opt, fd, rng, on_epoch);
  m.params = net.params();
  run.n_train = p.x_train.cols();
  run.n_val = p.x_val.cols();
  m.metrics = {{"best_epoch", run.fit.best_epoch},
               {"epochs_run", run.fit.epochs_run},
               {"stopped_early", run.fit.stopped_early},
               {"train", split_metrics(net, p.x_train, p.y_train, m)},
               {"validation", split_metrics(net, p.x_val, p.y_val, m)}};
  return run;
}

TrainRun train_csv(const DataOptions& data, const TrainOptions& opt,
                   const EpochCallback& on_epoch) {
  validate(data);
  validate(opt);
  const auto t0 = std::chrono::steady_clock::now();
  data::Dataset train = data::read_dataset(data.data, data.target, data.csv);
  data::Dataset val;
  if (!data.val_data.empty()) val = data::read_dataset(data.val_data, train.target_name, data.csv);
  const double load_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  TrainRun run = train_datasets(std::move(train), data.val_data.empty() ? nullptr : &val, data, opt, on_epoch);
  run.load_seconds = load_seconds;
  return run;
}

}  // namespace nnfit::train
