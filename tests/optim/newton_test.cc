// Damped Newton: one step on a positive-definite quadratic, no climb to the saddle of
// x^2 - y^2, and the parameter limit.
#include "optim/newton.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "optim/quadratic.h"

namespace nnfit::optim {
namespace {

TEST(NewtonTest, SolvesAPositiveDefiniteQuadraticInOneStep) {
  Matrix h(3, 3);
  h << 4, 1, 0,    //
      1, 3, 0.5f,  //
      0, 0.5f, 2;
  Vector c(3);
  c << 1, -2, 0.5f;
  test::Quadratic f(h, c);
  Vector w = Vector::Constant(3, 5.0f);
  NewtonOptions o;
  o.fd_step = 1e-2;  // a quadratic has no truncation error: a longer step only cuts rounding
  Newton newton(3, o);
  const PassResult r = newton.pass(f, w, {});
  const Eigen::VectorXd exact = h.cast<double>().ldlt().solve(c.cast<double>());
  EXPECT_EQ(r.updates, 1);
  EXPECT_DOUBLE_EQ(r.rate, 1.0);  // the full Newton step, no damping, no backtracking
  // One step from 5 lands within the float finite-difference error of the minimiser.
  for (Index i = 0; i < 3; ++i) EXPECT_NEAR(w[i], exact[i], 2e-4);
}

TEST(NewtonTest, DoesNotClimbToTheSaddleOfXSquaredMinusYSquared) {
  Matrix h(2, 2);  // f = x^2 - y^2: the plain Newton step from anywhere lands on (0, 0)
  h << 2, 0,       //
      0, -2;
  test::Quadratic f(h);
  Vector w(2);
  w << 1.0f, 0.1f;
  Newton newton(2, {});
  double prev = f.full(w, nullptr);
  for (int k = 0; k < 5; ++k) {
    const float y = std::abs(w[1]);
    const PassResult r = newton.pass(f, w, {});
    ASSERT_EQ(r.updates, 1);
    EXPECT_LT(r.loss, prev);       // every step goes down
    EXPECT_GT(std::abs(w[1]), y);  // and away from the saddle in y (|H| doubles y per step)
    prev = r.loss;
  }
  EXPECT_GT(std::abs(w[1]), 1.0);  // it escaped along -y^2 instead of settling on the saddle
  EXPECT_LT(std::abs(w[0]), 1.0);  // and still descended in x
}

// f = sum sqrt(1 + w_i^2), whose Newton step from |w| > 1 overshoots (it is rejected and damped),
// evaluated like the network objective: every point is first copied into the parameter vector
// the optimizer was handed (w below aliases params).
class AliasingSoftAbs : public Objective {
 public:
  explicit AliasingSoftAbs(Vector& params) : params_(params) {}
  Index dim() const override { return params_.size(); }
  Index examples() const override { return 1; }
  double full(const Vector& w, Vector* grad) override {
    if (&w != &params_) params_ = w;
    if (grad != nullptr) *grad = params_.array() / (1 + params_.array().square()).sqrt();
    return (1 + params_.array().square()).sqrt().cast<double>().sum();
  }
  BatchEval batch(const Vector& w, const Index*, Index) override { return {full(w, &g_), &g_}; }

 private:
  Vector& params_;
  Vector g_;
};

TEST(NewtonTest, RejectedTrialsDoNotMoveTheStartWhenTheObjectiveOwnsW) {
  Vector params(2), copy(2);
  params << 2.0f, -3.0f;
  copy = params;
  AliasingSoftAbs aliased(params), separate(copy);
  Vector w_separate = copy;
  Newton a(2, {}), b(2, {});
  const double f0 = aliased.full(params, nullptr);
  const PassResult ra = a.pass(aliased, params, {});
  const PassResult rb = b.pass(separate, w_separate, {});
  ASSERT_EQ(ra.updates, 1);
  EXPECT_LT(ra.rate, 1.0);  // damped: the plain step was rejected
  EXPECT_LT(ra.loss, f0);
  EXPECT_EQ(ra.loss, rb.loss);
  EXPECT_TRUE(params == w_separate);  // the same point as without aliasing
}

TEST(NewtonTest, RefusesTooManyParametersWithASuggestion) {
  try {
    Newton(kNewtonMaxParams + 1, {});
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("lbfgs"), std::string::npos);
  }
  EXPECT_NO_THROW(Newton(kNewtonMaxParams, {}));
}

}  // namespace
}  // namespace nnfit::optim
