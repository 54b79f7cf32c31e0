// Runs the nnfit CLI in-process with captured stdout and stderr, in a fresh temporary folder.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli.h"
#include "io/model_io.h"
#include "testing/paths.h"

namespace nnfit::cli::testing {

struct CliResult {
  int code = -1;
  std::string out, err;
};

inline CliResult run_cli(std::vector<std::string> args) {
  args.insert(args.begin(), "nnfit");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  CliResult r;
  r.code = run(static_cast<int>(argv.size()), argv.data());
  r.out = ::testing::internal::GetCapturedStdout();
  r.err = ::testing::internal::GetCapturedStderr();
  return r;
}

using test::data_path;

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// CSV text equal cell by cell, numbers within a relative 1e-5: a fixture written on one CPU is
// read on another, and -march=native may round the last float digit differently (FMA, AVX-512).
inline void expect_csv_near(const std::string& actual, const std::string& expected) {
  std::istringstream a(actual), e(expected);
  std::string la, le;
  int line = 0;
  while (std::getline(e, le)) {
    ++line;
    ASSERT_TRUE(static_cast<bool>(std::getline(a, la))) << "missing line " << line;
    std::istringstream ca(la), ce(le);
    for (std::string x, y; std::getline(ce, y, ',');) {
      ASSERT_TRUE(static_cast<bool>(std::getline(ca, x, ','))) << "line " << line << ": " << la;
      char* end = nullptr;
      const double dy = std::strtod(y.c_str(), &end);
      if (end == y.c_str() || *end != '\0') {
        EXPECT_EQ(x, y) << "line " << line;
        continue;
      }
      EXPECT_NEAR(std::strtod(x.c_str(), nullptr), dy, 1e-5 * std::max(1.0, std::abs(dy)))
          << "line " << line << ": " << la;
    }
  }
  EXPECT_FALSE(static_cast<bool>(std::getline(a, la))) << "extra line: " << la;
}

// A per-test scratch folder, removed at the end of the test.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           (std::string("nnfit_cli_") +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Trains on iris for a few epochs with extra flags; returns the result and loads the model.
  CliResult train(const std::string& model_name, std::vector<std::string> extra) {
    std::vector<std::string> args{"train", "--data", data_path("iris.csv"), "--target", "species",
                                  "--epochs", "4", "--model", path(model_name), "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  model::Model load(const std::string& model_name) const {
    return io::load_model(path(model_name));
  }
  // `from` (a data/ file) with a column w appended: weights[i] on data row i (1 past the end).
  std::string with_weights(const std::string& from, const std::string& name,
                           const std::vector<std::string>& weights) {
    std::ifstream in(data_path(from));
    std::ofstream out(path(name));
    std::string line;
    std::getline(in, line);
    out << line << ",w\n";
    for (std::size_t i = 0; std::getline(in, line); ++i) {
      out << line << "," << (i < weights.size() ? weights[i] : "1") << "\n";
    }
    return path(name);
  }

  std::filesystem::path dir_;
};

}  // namespace nnfit::cli::testing
