// Mini-batch step rules: one fused, allocation-free loop over w, g and the rule's state per
// update (a large network's vectors exceed the L2 cache, so separate Eigen statements would
// stream them several times). g is the gradient of the objective, penalty included.
#pragma once

#include <memory>
#include <string>

#include "optim/optimizer.h"

namespace nnfit::optim {

class StepRule {
 public:
  virtual ~StepRule() = default;
  virtual std::string name() const = 0;
  // One update of all of w: prepare(lr), then update(w, g, 0, w.size()).
  void step(Vector& w, const Vector& g, double lr) {
    prepare(lr);
    update(w, g, 0, w.size());
  }
  // The per-step part, once per update (Adam's step count and bias corrections)...
  virtual void prepare(double lr) = 0;
  // ...and the fused loop over the entries [lo, hi), which threads may run on disjoint ranges.
  virtual void update(Vector& w, const Vector& g, Index lo, Index hi) = 0;
  virtual std::vector<Vector> vectors() const = 0;
  virtual std::vector<double> scalars() const = 0;
  virtual void restore(const std::vector<Vector>& v, const std::vector<double>& s) = 0;
  virtual std::size_t n_vectors() const = 0;
  virtual std::size_t n_scalars() const = 0;
};

// Heavy-ball momentum (today's SGD, bit for bit):  v <- mu v - lr g;  w <- w + v.
// Nesterov (the look-ahead written at the current point, Sutskever et al. 2013):
//   v <- mu v - lr g;  w <- w + mu v - lr g.
// mu in [0, 1); mu = 0 is plain SGD either way.
class Momentum : public StepRule {
 public:
  Momentum(Index dim, double mu, bool nesterov);
  std::string name() const override { return nesterov_ ? "nesterov" : "sgd"; }
  void prepare(double lr) override { lr_ = lr; }
  void update(Vector& w, const Vector& g, Index lo, Index hi) override;
  std::vector<Vector> vectors() const override { return {v_}; }
  std::vector<double> scalars() const override { return {}; }
  void restore(const std::vector<Vector>& v, const std::vector<double>&) override { v_ = v[0]; }
  std::size_t n_vectors() const override { return 1; }
  std::size_t n_scalars() const override { return 0; }

 private:
  double mu_;
  bool nesterov_;
  Vector v_;
  double lr_ = 0.0;
};

// Adam (Kingma & Ba 2015), t = updates so far including this one:
//   m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
//   w <- w - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
// AdamW (Loshchilov & Hutter 2019) adds decoupled weight decay on weights only (mask = 1):
//   w <- w - lr wd mask w, applied before the Adam step. weight_decay = 0 is Adam.
// REQUIRES: b1, b2 in [0, 1), eps > 0, wd >= 0, mask.size() == dim (or empty when wd == 0).
class Adam : public StepRule {
 public:
  Adam(Index dim, double beta1, double beta2, double epsilon, double weight_decay = 0.0,
       Vector mask = Vector());
  std::string name() const override { return wd_ > 0 ? "adamw" : "adam"; }
  void prepare(double lr) override;
  void update(Vector& w, const Vector& g, Index lo, Index hi) override;
  std::vector<Vector> vectors() const override { return {m_, v_}; }
  std::vector<double> scalars() const override { return {static_cast<double>(t_)}; }
  void restore(const std::vector<Vector>& v, const std::vector<double>& s) override;
  std::size_t n_vectors() const override { return 2; }
  std::size_t n_scalars() const override { return 1; }

 private:
  double b1_, b2_, eps_, wd_;
  Vector mask_, m_, v_;
  long t_ = 0;
  // This step's constants (prepare): lr / (1 - b1^t), 1 / sqrt(1 - b2^t), lr wd.
  Scalar step_ = 0, inv_sc2_ = 0, decay_ = 0;
};

}  // namespace nnfit::optim
