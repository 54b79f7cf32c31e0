// Network: builds Dense/activation layers from a NetworkSpec, owns the flat parameter and
// gradient vectors and the per-layer activation buffers, and runs forward/backward passes.
// Buffers are sized in reserve() only; passes use leftCols(B) views so they never allocate.
#include "nn/network.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>

#include "core/error.h"
#include "nn/activation.h"
#include "nn/dense.h"

namespace nnfit::nn {

constexpr Index kEvalChunk = 256;  // columns per forward pass in loss_sum and predict

Network::Network(NetworkSpec spec) : spec_(std::move(spec)) {
  check_spec();
  build_layers();
  bind_params();
  loss_ = make_loss(spec_.loss);
}

Network::Network(const Network& other) : Network(other.spec_) {
  params_ = other.params_;  // same size: no reallocation, the layers' views stay valid
  grads_ = other.grads_;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    if (other.dropout_[i]) dropout_[i] = std::make_unique<Dropout>(*other.dropout_[i]);
  }
  dropout_seed_ = other.dropout_seed_;
  has_dropout_ = other.has_dropout_;
  training_ = other.training_;
  reserve(other.max_batch_);
}

Network& Network::operator=(const Network& other) {
  if (this != &other) *this = Network(other);
  return *this;
}

void Network::check_spec() const {
  const auto fail = [](const std::string& what) { throw ConfigError("network: " + what); };
  if (spec_.inputs < 1) fail("inputs must be >= 1, got " + std::to_string(spec_.inputs));
  if (spec_.outputs < 1) fail("outputs must be >= 1, got " + std::to_string(spec_.outputs));
  for (Index h : spec_.hidden) {
    if (h < 1) fail("hidden layer sizes must be >= 1, got " + std::to_string(h));
  }
  if (spec_.activations.size() != spec_.hidden.size()) {
    fail(std::to_string(spec_.hidden.size()) + " hidden layers but " +
         std::to_string(spec_.activations.size()) + " activations (need one per hidden layer)");
  }
  if (spec_.loss == LossKind::kSoftmaxNll && spec_.outputs < 2) {
    fail("softmax_nll needs >= 2 outputs (one per class), got " + std::to_string(spec_.outputs));
  }
  if (spec_.loss == LossKind::kSigmoidBce && spec_.outputs != 1) {
    fail("sigmoid_bce needs exactly 1 output, got " + std::to_string(spec_.outputs));
  }
}

// Dense(h1), act1, ..., Dense(hn), actn, Dense(outputs); sizes_ holds each layer's input size.
void Network::build_layers() {
  for (std::size_t i = 0; i < spec_.hidden.size(); ++i) {
    layers_.push_back(std::make_unique<Dense>(spec_.hidden[i]));
    layers_.push_back(make_activation(spec_.activations[i]));
  }
  layers_.push_back(std::make_unique<Dense>(spec_.outputs));
  sizes_.assign(1, spec_.inputs);
  for (const auto& layer : layers_) sizes_.push_back(layer->output_size(sizes_.back()));
  dropout_.resize(layers_.size());
  dropped_.resize(layers_.size());
}

// One flat slice per layer, in layer order; within a Dense slice W comes before b.
void Network::bind_params() {
  Index total = 0;
  for (std::size_t i = 0; i < layers_.size(); ++i) total += layers_[i]->param_count(sizes_[i]);
  params_ = Vector::Zero(total);
  grads_ = Vector::Zero(total);
  weight_mask_ = Vector::Zero(total);
  bind_layers(params_.data());
  Index offset = 0;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    if (const auto* dense = dynamic_cast<const Dense*>(layers_[i].get())) {
      weight_mask_.segment(offset, dense->weight_count(sizes_[i])).setOnes();
      weight_blocks_.push_back({offset, sizes_[i + 1], sizes_[i]});
    }
    offset += layers_[i]->param_count(sizes_[i]);
  }
  assert(offset == total && "layer slices must tile the parameter vector");
  (void)offset;
}

void Network::bind_layers(Scalar* params) {
  Index offset = 0;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    layers_[i]->bind(params + offset, grads_.data() + offset, sizes_[i]);
    offset += layers_[i]->param_count(sizes_[i]);
  }
}

std::unique_ptr<Network> Network::replica(std::uint64_t stream) const {
  auto r = std::make_unique<Network>(spec_);
  // The layers only ever write through their gradient views, so viewing const parameters is
  // safe; the Layer interface takes non-const pointers for the owner's sake.
  r->bind_layers(const_cast<Scalar*>(params_.data()));
  r->params_ = Vector();
  for (std::size_t k = 0; k < spec_.hidden.size(); ++k) {
    const std::size_t i = 2 * k + 1;
    if (!dropout_[i]) continue;
    r->dropout_[i] = std::make_unique<Dropout>(
        dropout_[i]->rate(), derive_seed(derive_seed(dropout_seed_, k), stream));
  }
  r->has_dropout_ = has_dropout_;
  r->training_ = training_;
  r->reserve(max_batch_);
  return r;
}

Init parse_init(const std::string& name) {
  if (name == "auto") return Init::kAuto;
  if (name == "glorot") return Init::kGlorot;
  if (name == "he") return Init::kHe;
  throw ConfigError("unknown --init '" + name + "' (expected auto, glorot or he)");
}

Index Network::layer_offset(std::size_t i) const {
  Index offset = 0;
  for (std::size_t k = 0; k < i; ++k) offset += layers_[k]->param_count(sizes_[k]);
  return offset;
}

void Network::replace_layer(std::size_t i, std::unique_ptr<Layer> layer) {
  if (i >= layers_.size() || layer == nullptr ||
      layer->output_size(sizes_[i]) != sizes_[i + 1] ||
      layer->param_count(sizes_[i]) != layers_[i]->param_count(sizes_[i])) {
    throw ConfigError("network: replace_layer " + std::to_string(i) +
                      ": the new layer must have the old one's output size and parameter count");
  }
  const Index offset = layer_offset(i);
  layer->bind(params_.data() + offset, grads_.data() + offset, sizes_[i]);
  layers_[i] = std::move(layer);
}

void Network::replace_loss(std::unique_ptr<Loss> loss) {
  if (loss == nullptr || loss->kind() != spec_.loss) {
    throw ConfigError("network: replace_loss: the new loss must be a " + loss_name(spec_.loss));
  }
  loss_ = std::move(loss);
}

void Network::init_params(Rng& rng, Init init) {
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    auto* dense = dynamic_cast<Dense*>(layers_[i].get());
    if (dense == nullptr) continue;
    const bool relu_next = i + 1 < layers_.size() && layers_[i + 1]->kind() == "relu";
    if (init == Init::kHe || (init == Init::kAuto && relu_next)) {
      dense->init_he(rng);
    } else {
      dense->init_params(rng);
    }
  }
}

// Hidden layer k's activation is layer 2k + 1 (build_layers); its dropout acts on that output.
void Network::set_dropout(const std::vector<double>& rates, std::uint64_t seed) {
  const std::size_t hidden = spec_.hidden.size();
  if (rates.size() > 1 && rates.size() != hidden) {
    throw ConfigError("network: " + std::to_string(rates.size()) + " dropout rates for " +
                      std::to_string(hidden) + " hidden layers (give one, or one per layer)");
  }
  has_dropout_ = false;
  dropout_seed_ = seed;
  for (std::size_t k = 0; k < hidden; ++k) {
    const std::size_t i = 2 * k + 1;
    const double rate = rates.empty() ? 0.0 : rates[rates.size() == 1 ? 0 : k];
    if (!(rate >= 0.0 && rate < 1.0)) {
      throw ConfigError("network: dropout rate " + std::to_string(rate) + " is not in [0, 1)");
    }
    dropout_[i] = rate > 0 ? std::make_unique<Dropout>(rate, derive_seed(seed, k)) : nullptr;
    has_dropout_ = has_dropout_ || rate > 0;
  }
  if (has_dropout_ && max_batch_ > 0) {  // size the new masks and dropped_ buffers now
    const Index reserved = max_batch_;
    max_batch_ = 0;
    reserve(reserved);
  }
}

void Network::fix_dropout_masks(bool fixed) {
  for (auto& d : dropout_) {
    if (d) d->fix_mask(fixed);
  }
}

void Network::reserve(Index max_batch) {
  if (max_batch <= max_batch_) return;
  acts_.resize(layers_.size());
  deltas_.resize(layers_.size());
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    acts_[i].resize(sizes_[i + 1], max_batch);
    deltas_[i].resize(sizes_[i + 1], max_batch);
    if (dropout_[i]) {
      dropped_[i].resize(sizes_[i + 1], max_batch);
      dropout_[i]->reserve(sizes_[i + 1], max_batch);
    }
  }
  max_batch_ = max_batch;
}

void Network::check_batch(const ConstMatrixRef& x, const ConstMatrixRef* targets) const {
  if (x.rows() != spec_.inputs) {
    throw DataError("input has " + std::to_string(x.rows()) + " rows, network expects " +
                    std::to_string(spec_.inputs));
  }
  if (targets == nullptr) return;
  const Index rows = spec_.loss == LossKind::kSquaredError ? spec_.outputs : 1;
  if (targets->rows() != rows || targets->cols() != x.cols()) {
    throw DataError("targets are " + std::to_string(targets->rows()) + "x" +
                    std::to_string(targets->cols()) + ", expected " + std::to_string(rows) +
                    "x" + std::to_string(x.cols()) + " for " + loss_name(spec_.loss));
  }
}

ConstMatrixRef Network::fed(std::size_t i, Index batch, bool drop) const {
  return (drops(i, drop) ? dropped_[i] : acts_[i]).leftCols(batch);
}

Eigen::Block<Matrix> Network::forward(const ConstMatrixRef& x) { return run_forward(x, false); }

// Layer i maps fed(i-1) (x for i = 0) to acts_[i]; all views are the first B columns. With
// drop, dropout_[i] (where set) maps acts_[i] to dropped_[i], which layer i + 1 then reads.
Eigen::Block<Matrix> Network::run_forward(const ConstMatrixRef& x, bool drop) {
  check_batch(x, nullptr);
  const Index batch = x.cols();
  if (acts_.empty() || batch > max_batch_) reserve(std::max<Index>(batch, 1));
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    layers_[i]->fprop(i == 0 ? x : fed(i - 1, batch, drop), acts_[i].leftCols(batch));
    if (drops(i, drop)) dropout_[i]->fprop(acts_[i].leftCols(batch), dropped_[i].leftCols(batch));
  }
  return Eigen::Block<Matrix>(acts_.back(), 0, 0, spec_.outputs, batch);
}

// deltas_[i] = dL/d acts_[i]; layer i turns it into deltas_[i-1] (dL/d fed(i-1)), which the
// dropout of layer i-1, if any, multiplies by its mask in place. The first layer gets an
// empty dx, so Dense skips the W^T dy product whose result nobody reads.
void Network::backward(const ConstMatrixRef& x, Index batch, bool drop) {
  for (std::size_t i = layers_.size(); i-- > 0;) {
    const bool first = i == 0;
    layers_[i]->bprop(first ? x : fed(i - 1, batch, drop), acts_[i].leftCols(batch),
                      deltas_[i].leftCols(batch),
                      first ? dinput_.leftCols(0) : deltas_[i - 1].leftCols(batch));
    if (!first && drops(i - 1, drop)) {
      auto d = deltas_[i - 1].leftCols(batch);
      dropout_[i - 1]->bprop(acts_[i - 1].leftCols(batch), dropped_[i - 1].leftCols(batch), d, d);
    }
  }
}

double Network::forward_backward(const ConstMatrixRef& x, const ConstMatrixRef& targets,
                                 const Scalar* weights) {
  check_batch(x, &targets);
  if (x.cols() == 0) throw DataError("forward_backward: empty batch (0 columns)");
  const Index batch = x.cols();
  const bool drop = training_ && has_dropout_;
  const auto logits = run_forward(x, drop);
  const double loss =
      weights == nullptr
          ? loss_->gradient(logits, targets, deltas_.back().leftCols(batch))
          : loss_->weighted_gradient(logits, targets, weights, deltas_.back().leftCols(batch));
  backward(x, batch, drop);
  return loss;
}

// Loss::sum, or weighted_sum of the weights of columns start.. when there are weights.
double Network::chunk_loss(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                           const Scalar* weights, Index start) const {
  return weights == nullptr ? loss_->sum(logits, targets)
                            : loss_->weighted_sum(logits, targets, weights + start);
}

double Network::loss_sum(const ConstMatrixRef& x, const ConstMatrixRef& targets,
                         const Scalar* weights) {
  check_batch(x, &targets);
  reserve(kEvalChunk);  // no-op once reserved: evaluation never runs one column at a time
  double total = 0;
  for (Index start = 0; start < x.cols(); start += max_batch_) {
    const Index n = std::min(max_batch_, x.cols() - start);
    total +=
        chunk_loss(forward(x.middleCols(start, n)), targets.middleCols(start, n), weights, start);
  }
  return total;
}

void Network::predict(const ConstMatrixRef& x, Matrix& out) {
  check_batch(x, nullptr);
  reserve(kEvalChunk);
  out.resize(spec_.outputs, x.cols());
  for (Index start = 0; start < x.cols(); start += max_batch_) {
    const Index n = std::min(max_batch_, x.cols() - start);
    loss_->output(forward(x.middleCols(start, n)), out.middleCols(start, n));
  }
}

double Network::evaluate(const ConstMatrixRef& x, const ConstMatrixRef& targets, Matrix& out,
                         const Scalar* weights) {
  check_batch(x, &targets);
  reserve(kEvalChunk);
  out.resize(spec_.outputs, x.cols());
  double total = 0;
  for (Index start = 0; start < x.cols(); start += max_batch_) {
    const Index n = std::min(max_batch_, x.cols() - start);
    const auto logits = forward(x.middleCols(start, n));
    total += chunk_loss(logits, targets.middleCols(start, n), weights, start);
    loss_->output(logits, out.middleCols(start, n));
  }
  return total;
}

}  // namespace nnfit::nn
