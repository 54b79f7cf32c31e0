// A feed-forward network: Dense -> activation -> ... -> Dense, then a loss on the logits.
// The network owns the flat parameter and gradient vectors (each layer gets a slice) and the
// per-layer activation buffers, which are sized once for a maximum batch and reused, so the
// training loop allocates nothing.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/types.h"
#include "nn/dropout.h"
#include "nn/layer.h"
#include "nn/loss.h"

namespace nnfit::nn {

enum class Activation { kIdentity, kSigmoid, kTanh, kRelu };
std::string activation_name(Activation a);            // "identity", "sigmoid", "tanh", "relu"
Activation parse_activation(const std::string& name);  // throws ConfigError naming the value

// Weight initialisation of the Dense layers (biases are always zero). Both kinds are uniform:
//   kGlorot: U[-b, b), b = sqrt(6 / (fan_in + fan_out)), variance 2 / (fan_in + fan_out);
//   kHe:     U[-b, b), b = sqrt(6 / fan_in),             variance 2 / fan_in;
//   kAuto:   kHe for a Dense layer followed by ReLU, kGlorot for every other (the default).
enum class Init { kAuto, kGlorot, kHe };
Init parse_init(const std::string& name);  // "auto" | "glorot" | "he"; throws ConfigError

// Where a Dense layer's weight matrix W (rows = units, cols = fan_in, column-major; the
// biases, which follow it, excluded) sits in the flat parameter vector.
struct WeightBlock {
  Index offset = 0;
  Index rows = 0;
  Index cols = 0;
};

struct NetworkSpec {
  Index inputs = 0;
  std::vector<Index> hidden;              // sizes of the hidden layers; empty = linear model
  std::vector<Activation> activations;    // one per hidden layer
  Index outputs = 1;
  LossKind loss = LossKind::kSquaredError;
};

class Network {
 public:
  // Throws ConfigError on an inconsistent spec (sizes < 1, activations.size() != hidden.size()).
  explicit Network(NetworkSpec spec);
  // A copy has the same spec, parameters and reserved batch size, and its own buffers (layers
  // hold views into params_, so the copy rebuilds them instead of copying pointers).
  Network(const Network& other);
  Network& operator=(const Network& other);
  // Moving keeps the heap buffers (and so the layers' views into them) valid.
  Network(Network&&) = default;
  Network& operator=(Network&&) = default;

  const NetworkSpec& spec() const { return spec_; }
  Index param_count() const { return params_.size(); }
  Vector& params() { return params_; }
  const Vector& params() const { return params_; }
  const Vector& grads() const { return grads_; }
  // 1 where params() holds a weight, 0 where it holds a bias (L1/L2 apply to weights only).
  const Vector& weight_mask() const { return weight_mask_; }
  const Loss& loss() const { return *loss_; }

  // The Dense layers' W, in layer order (see WeightBlock).
  const std::vector<WeightBlock>& weight_blocks() const { return weight_blocks_; }

  // Draws every Dense layer's weights from rng in layer order, W column-major (see Init);
  // biases zero. The number of draws does not depend on init.
  void init_params(Rng& rng, Init init = Init::kAuto);

  // Inverted dropout on the hidden layers' outputs (after the activation) in forward_backward:
  // one rate for every hidden layer or one per hidden layer, each in [0, 1); 0 = none there,
  // empty = none at all. Hidden layer k draws its masks from Rng(derive_seed(seed, k)), so the
  // shuffles and the initialisation see the same random numbers with or without dropout.
  // forward, loss_sum, predict and evaluate never drop. Throws ConfigError on a bad rate list.
  void set_dropout(const std::vector<double>& rates, std::uint64_t seed);
  bool has_dropout() const { return has_dropout_; }
  // Whether forward_backward applies dropout (default true; no effect without dropout).
  void set_training(bool on) { training_ = on; }
  bool training() const { return training_; }
  // Keeps the current masks instead of drawing new ones per forward_backward (gradient checks).
  void fix_dropout_masks(bool fixed);
  // The dropout acting on layer i's output in forward_backward (hidden activations only), or
  // null where there is none; for checks that need its rate and mask (gradcheck's reference).
  const Dropout* dropout(std::size_t i) const { return dropout_[i].get(); }

  // The layers in order (Dense, activation, ..., Dense), for checks that walk them (gradcheck).
  // Layer i maps layer_input_size(i) rows to layer_input_size(i + 1); its parameters are the
  // slice [layer_offset(i), layer_offset(i) + param_count) of params().
  std::size_t layer_count() const { return layers_.size(); }
  const Layer& layer(std::size_t i) const { return *layers_[i]; }
  Index layer_input_size(std::size_t i) const { return sizes_[i]; }
  Index layer_offset(std::size_t i) const;
  // Swaps layer i for another with the same output size and parameter count, bound to the same
  // slices (parameters kept). For checks and tests (a layer with a deliberately wrong bprop);
  // a copy of the network rebuilds the standard layers. Throws ConfigError on a shape mismatch.
  void replace_layer(std::size_t i, std::unique_ptr<Layer> layer);
  // Swaps the loss for another of the same kind, for checks and tests (a loss whose weighted
  // gradient is deliberately wrong); a copy of the network rebuilds the standard loss. Throws
  // ConfigError on a null loss or a different kind.
  void replace_loss(std::unique_ptr<Loss> loss);

  // A network for data-parallel batches (train::NetworkObjective with --threads): this one's
  // spec, loss, dropout rates and training mode, its own gradients and activation buffers, and
  // THIS network's parameters as a view, so a step on this network is seen by the replica at
  // once. Its own params() is empty. Hidden layer k's masks come from
  // Rng(derive_seed(derive_seed(seed, k), stream)), stream >= 1, so the replicas draw
  // different masks from this network and from each other. This network must outlive the
  // replica and keep its parameter storage (assigning same-size vectors to params() does).
  std::unique_ptr<Network> replica(std::uint64_t stream) const;

  // Sizes the activation buffers for batches of up to max_batch columns. Called by the
  // methods below when a larger batch arrives; call it up front to keep the loop allocation-free.
  void reserve(Index max_batch);

  // Forward pass of x (inputs, B); returns the logits (outputs, B), valid until the next call.
  Eigen::Block<Matrix> forward(const ConstMatrixRef& x);
  // Forward, loss and backward for one batch: fills grads() with d(mean loss)/d params and
  // returns the mean loss over the batch. targets as described in loss.h. weights: null, or
  // one sample weight per column (Loss::weighted_gradient: each column's term times its weight).
  double forward_backward(const ConstMatrixRef& x, const ConstMatrixRef& targets,
                          const Scalar* weights = nullptr);
  // Sum of per-sample losses over all columns of x, processed in chunks of the reserved size;
  // with weights (one per column), the weighted sum.
  double loss_sum(const ConstMatrixRef& x, const ConstMatrixRef& targets,
                  const Scalar* weights = nullptr);
  // User-facing outputs (see Loss::output) for all columns of x; out is resized to (k, N).
  void predict(const ConstMatrixRef& x, Matrix& out);
  // loss_sum and predict in one forward pass: returns the loss sum and fills out (k, N).
  double evaluate(const ConstMatrixRef& x, const ConstMatrixRef& targets, Matrix& out,
                  const Scalar* weights = nullptr);

 private:
  NetworkSpec spec_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<Index> sizes_;         // sizes_[i] = input size of layer i; back() = outputs
  std::unique_ptr<Loss> loss_;
  Vector params_, grads_, weight_mask_;
  std::vector<Matrix> acts_;         // acts_[i] = output of layer i, (sizes_[i+1], max_batch)
  std::vector<Matrix> deltas_;       // deltas_[i] = dL/d(output of layer i)
  std::vector<std::unique_ptr<Dropout>> dropout_;  // dropout_[i] acts on layer i's output
  std::vector<Matrix> dropped_;      // dropped_[i] = output of layer i after dropout_[i]
  std::vector<WeightBlock> weight_blocks_;
  std::uint64_t dropout_seed_ = 0;  // the seed of set_dropout
  bool has_dropout_ = false;
  bool training_ = true;
  Matrix dinput_;                    // dL/dx of the first layer (discarded)
  Index max_batch_ = 0;

  void check_spec() const;
  void build_layers();
  void bind_params();
  void bind_layers(Scalar* params);  // each layer to its slice of params and of grads_
  void check_batch(const ConstMatrixRef& x, const ConstMatrixRef* targets) const;
  double chunk_loss(const ConstMatrixRef& logits, const ConstMatrixRef& targets,
                    const Scalar* weights, Index start) const;
  bool drops(std::size_t i, bool drop) const { return drop && dropout_[i] != nullptr; }
  // What layer i + 1 reads: layer i's output, after its dropout if drop.
  ConstMatrixRef fed(std::size_t i, Index batch, bool drop) const;
  Eigen::Block<Matrix> run_forward(const ConstMatrixRef& x, bool drop);
  void backward(const ConstMatrixRef& x, Index batch, bool drop);
};

}  // namespace nnfit::nn
