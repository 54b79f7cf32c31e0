// Test entry point. Matrix products run on one thread, as the CLI's default --threads 1 does,
// so test timings do not depend on OpenMP's choice of thread count.
#include <gtest/gtest.h>

#include <Eigen/Core>

int main(int argc, char** argv) {
  Eigen::setNbThreads(1);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
