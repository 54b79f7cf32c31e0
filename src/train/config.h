// TrainOptions: every hyper-parameter of `nnfit train`, with its default and valid range,
// grouped by purpose (architecture, optimizer, schedule, regularization, stopping). The table in
// train/params.h names each field once (flag, TOML key, model JSON key, check, doc, searchable),
// so flags, config files, validation, the model file and the search keys all come from it.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/types.h"

namespace nnfit::train {

// TrainOptions::lr's "the optimizer's default" (text "default"): a quiet NaN.
inline constexpr double kDefaultLr = std::numeric_limits<double>::quiet_NaN();

struct TrainOptions {
  // --- Architecture ---
  // Hidden layer sizes, e.g. {256, 128}. Empty = no hidden layer (a linear/logistic model).
  std::vector<Index> hidden{64};
  // One activation for all hidden layers, or one per hidden layer: relu|tanh|sigmoid|identity.
  std::vector<std::string> activation{"relu"};
  // Weight initialisation: glorot (uniform, sqrt(6/(fan_in+fan_out))), he (uniform,
  // sqrt(6/fan_in)), auto (He for a layer followed by ReLU, Glorot otherwise). Biases are zero.
  // glorot by measurement (bench/ACCURACY.md): higher held-out scores than auto on 11 of 13
  // small-set rows, none worse beyond the noise.
  std::string init = "glorot";

  // --- Optimizer ---
  // sgd | adam | adamw | lbfgs | newton. adam by measurement (bench/ACCURACY.md, with the
  // 5-fold protocol of `nnfit train`): never below scikit-learn's adam beyond the noise.
  std::string optimizer = "adam";
  // Learning rate alpha, > 0 (SGD family; L-BFGS and Newton use a line search instead).
  // kDefaultLr (NaN, text "default") = the optimizer's own default, default_lr(optimizer):
  // resolved by with_default_lr before training, so a search over choice(sgd,adam) gives each
  // trial its optimizer's rate.
  double lr = kDefaultLr;
  // --lr auto: set lr from the curvature at the start, 1 / lambda_max of the loss Hessian.
  bool lr_auto = false;
  // Heavy-ball momentum mu in [0, 1): v <- mu v - lr g; w <- w + v.
  double momentum = 0.9;
  // Nesterov momentum instead of heavy ball (sgd only).
  bool nesterov = false;
  // Adam / AdamW moment decay rates in [0, 1) and the denominator's epsilon (> 0).
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  // AdamW's decoupled weight decay on weights (not biases), >= 0: w <- w - lr wd w per update.
  double weight_decay = 0.01;
  // L-BFGS: (s, y) pairs kept, >= 1.
  int lbfgs_history = 10;
  // L-BFGS / Newton: converged when max |gradient| <= tol, or (L-BFGS) the relative loss
  // decrease of an iteration is below tol * 1e-4. > 0.
  double tol = 1e-5;
  // Examples per gradient step, >= 1. 1 = true per-example SGD. Full batch for lbfgs/newton.
  Index batch_size = 32;
  // Maximum number of passes over the training set (iterations for lbfgs/newton), >= 1.
  int epochs = 200;

  // --- Learning-rate schedule (SGD family) ---
  // constant | inverse | power | cosine | plateau.
  std::string lr_schedule = "constant";
  // What t counts in the schedule's formula: "epoch" or "update" (a mini-batch step).
  std::string lr_unit = "epoch";
  // delta of inverse alpha/(1 + delta t) (> 0) and power alpha/t^delta (0.5 < delta <= 1).
  double lr_decay = 1.0;
  // Lowest rate of cosine and plateau, in [0, lr].
  double lr_min = 0.0;
  // plateau: divide the rate by lr_factor (> 1) after lr_patience (>= 1) epochs without
  // improvement of the monitored quantity.
  double lr_factor = 10.0;
  int lr_patience = 5;
  // Warm-up over this many units (of lr_unit), >= 0: linear (alpha (t+1)/W) or constant.
  int lr_warmup = 0;
  std::string lr_warmup_kind = "linear";

  // --- Regularization and weighting ---
  // L1 and L2 penalties on weights only (never biases), >= 0. Added to each batch's mean loss:
  // l1 * sum|w| + (l2 / 2) * sum w^2.
  double l1 = 0.0;
  double l2 = 0.0;
  // Inverted dropout on hidden layers' outputs during training: one rate for all hidden
  // layers, or one per hidden layer, each in [0, 1). Empty or 0 = none.
  std::vector<double> dropout{};
  // Max-norm constraint: after each update, each unit's incoming weight vector is scaled down
  // to norm <= max_norm. 0 = off, else > 0.
  double max_norm = 0.0;
  // Global gradient-norm clipping: g <- g * min(1, clip_norm / |g|). 0 = off, else > 0.
  double clip_norm = 0.0;
  // Class weights: "" (none), "balanced" (n / (k n_c)), or "CLASS=W,..." (others weigh 1).
  std::string class_weight = "";

  // --- Early stopping and recovery ---
  // val_loss | val_accuracy | val_f1 | val_rmse: the saved weights are the best by it.
  std::string monitor = "val_loss";
  // Stop after `patience` epochs (>= 1) whose monitored value did not improve on the best by
  // more than `min_delta` (>= 0). The best epoch's weights are kept.
  int patience = 20;
  double min_delta = 1e-4;
  // No early stop before this many epochs, >= 0.
  int min_epochs = 0;
  // The source's look-ahead: on a significant improvement at epoch t, patience becomes
  // max(patience, t * look_ahead). 0 = off, else > 0.
  double look_ahead = 0.0;
  // Divergence recovery: roll back to the last good weights and halve the rate, at most this
  // many times (>= 0) before the run fails with exit 3.
  int max_recoveries = 5;

  // Seed for initialisation, the validation split and the per-epoch shuffles.
  std::uint64_t seed = 42;
};

// Throws ConfigError naming the offending option and its value (lr "default" is resolved
// first, as with_default_lr).
void validate(const TrainOptions& opt);

// The rate --lr default stands for: 0.01 for sgd (the rate measured with momentum 0.9), 0.001
// for adam and adamw (Kingma and Ba's, scikit-learn's and Keras's), 0.001 for lbfgs and newton
// (which do not use it).
double default_lr(const std::string& optimizer);

// opt with lr "default" replaced by default_lr(opt.optimizer); other rates unchanged.
TrainOptions with_default_lr(TrainOptions opt);

// True for lbfgs and newton: a pass is one iteration over the full batch.
bool is_full_batch(const TrainOptions& opt);

// Parses a layer list such as "256,128"; "" or "0" = no hidden layer. Throws ConfigError.
std::vector<Index> parse_hidden(const std::string& spec);

}  // namespace nnfit::train
