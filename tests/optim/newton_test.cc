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
  for (int k = 0; k < 3; ++k) {
    const PassResult r = newton.pass(f, w, {});
    ASSERT_EQ(r.updates, 1);
    EXPECT_LT(r.loss, prev);  // every step goes down
    prev = r.loss;
  }
  EXPECT_GT(std::abs(w[1]), 1.0);  // it escaped along -y^2 instead of settling on the saddle
  EXPECT_LT(std::abs(w[0]), 1.0);  // and still descended in x
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
