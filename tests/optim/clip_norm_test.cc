// MiniBatch's gradient-norm clipping and its call of Objective::project after every step.
#include <gtest/gtest.h>

#include "core/error.h"
#include "optim/minibatch.h"

namespace nnfit::optim {
namespace {

// f(w) = g'w on `n` examples: the batch gradient is g wherever w is. project() counts its
// calls and, if cap > 0, clamps every entry of w to [-cap, cap].
class Linear : public Objective {
 public:
  explicit Linear(Vector g, Index n = 1, Scalar cap = 0) : g_(std::move(g)), n_(n), cap_(cap) {}
  Index dim() const override { return g_.size(); }
  Index examples() const override { return n_; }
  double full(const Vector& w, Vector* grad) override {
    if (grad != nullptr) *grad = g_;
    return static_cast<double>(g_.dot(w));
  }
  BatchEval batch(const Vector& w, const Index*, Index) override { return {full(w, nullptr), &g_}; }
  void project(Vector& w) override {
    ++projections;
    if (cap_ > 0) w = w.cwiseMax(-cap_).cwiseMin(cap_);
  }
  int projections = 0;

 private:
  Vector g_;
  Index n_;
  Scalar cap_;
};

// One pass of plain SGD (mu = 0, rate 1, batch 1) from w = 0 on f, with clipping at clip.
Vector one_step(Objective& f, double clip, std::unique_ptr<StepRule> rule = nullptr) {
  ScheduleOptions s;
  s.alpha = 1.0;
  if (!rule) rule = std::make_unique<Momentum>(f.dim(), 0.0, false);
  MiniBatch opt(std::move(rule), Schedule(s), 1, clip);
  Vector w = Vector::Zero(f.dim());
  Rng rng(1);
  opt.pass(f, w, {&rng, nullptr});
  return w;
}

TEST(ClipNormTest, GradientOfNormTenClippedToOneStepsAsTheScaledGradient) {
  Vector g(2);
  g << 6, 8;  // |g| = 10
  Linear f(g);
  const Vector clipped = one_step(f, 1.0);
  Linear scaled(g * static_cast<Scalar>(1.0 / 10.0));  // the gradient scaled to norm 1
  EXPECT_TRUE(clipped == one_step(scaled, 0.0));
  EXPECT_NEAR(clipped.norm(), 1.0, 1e-6);
  EXPECT_FLOAT_EQ(clipped[0], -0.6f);
  EXPECT_FLOAT_EQ(clipped[1], -0.8f);
  // Without clipping (or with a larger cap) the step is the whole gradient, bit for bit.
  EXPECT_TRUE(one_step(f, 0.0) == -g);
  EXPECT_TRUE(one_step(f, 20.0) == -g);
}

TEST(ClipNormTest, AdamSeesTheClippedGradient) {
  // Adam's first step is -lr sign(g) whatever |g|, so compare its moments instead.
  Vector g(2);
  g << 6, 8;
  Linear f(g);
  ScheduleOptions s;
  s.alpha = 0.1;
  MiniBatch opt(std::make_unique<Adam>(2, 0.9, 0.999, 1e-8), Schedule(s), 1, 1.0);
  Vector w = Vector::Zero(2);
  Rng rng(1);
  opt.pass(f, w, {&rng, nullptr});
  const Vector m = opt.state().vectors[0];  // m = (1 - b1) g_clipped
  EXPECT_NEAR(m[0], 0.1 * 0.6, 1e-7);
  EXPECT_NEAR(m[1], 0.1 * 0.8, 1e-7);
}

TEST(ClipNormTest, ProjectRunsAfterEveryStep) {
  Vector g(2);
  g << 1, -1;
  Linear f(g, 5, 0.25f);
  const Vector w = one_step(f, 0.0);  // 5 steps of size 1, clamped to 0.25 after each
  EXPECT_EQ(f.projections, 5);
  EXPECT_FLOAT_EQ(w[0], -0.25f);
  EXPECT_FLOAT_EQ(w[1], 0.25f);
}

TEST(ClipNormTest, RejectsANegativeClipNorm) {
  ScheduleOptions s;
  EXPECT_THROW(MiniBatch(std::make_unique<Momentum>(2, 0.0, false), Schedule(s), 1, -1.0),
               ConfigError);
}

}  // namespace
}  // namespace nnfit::optim
