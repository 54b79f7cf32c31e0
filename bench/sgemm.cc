// sgemm.cc - single-thread SGEMM speed on this machine: the hardware side of the W1 bound.
//
// Measures C = A * B in float32 with Eigen (the library nnfit uses) and, when built with
// -DWITH_CBLAS, with OpenBLAS's cblas_sgemm: at 2048^3 (a large, compute-bound product) and
// at the eight products of one W1 training step (batch 64, 784-256-128-10). Prints one JSON
// object on stdout (bench/summarise.py reads it) and a readable table on stderr.
//
// Build (bench/run.sh does it):
//   g++ -O3 -march=native -std=c++17 -I/usr/include/eigen3 bench/sgemm.cc -o sgemm
//   ... -DWITH_CBLAS -I/usr/include/x86_64-linux-gnu/openblas-pthread -lopenblas   (optional)
// Run: sgemm [N=2048] [seconds per measurement=0.5]. Eigen is built without OpenMP, so it
// runs on one thread; OpenBLAS is held to one with openblas_set_num_threads(1).
#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#ifdef WITH_CBLAS
#include <cblas.h>
extern "C" void openblas_set_num_threads(int);
#endif

namespace {

using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Best time of one call of f: repeats until `budget` seconds are spent (at least 3 calls,
// after one warm-up call). The best, not the mean: the bound is what the machine can do.
double best_time(const std::function<void()>& f, double budget) {
  f();
  double best = 1e30, spent = 0;
  for (int i = 0; i < 3 || spent < budget; ++i) {
    const double t0 = now();
    f();
    const double dt = now() - t0;
    best = std::min(best, dt);
    spent += dt;
  }
  return best;
}

// One product shape: C (m x n) = op(A) (m x k) * op(B) (k x n). The transposes are those of
// the training step: dW = X^T dZ (ta), dX = dZ W^T (tb).
struct Shape {
  std::string name;
  int m, n, k;
  bool ta, tb;
};

struct Timing {
  double eigen_s = 0, blas_s = 0;
};

Timing time_shape(const Shape& s, double budget) {
  // A is stored as it is used: k x m when transposed, m x k otherwise (likewise B).
  Mat a = Mat::Random(s.ta ? s.k : s.m, s.ta ? s.m : s.k);
  Mat b = Mat::Random(s.tb ? s.n : s.k, s.tb ? s.k : s.n);
  Mat c = Mat::Zero(s.m, s.n);
  Timing t;
  t.eigen_s = best_time(
      [&] {
        if (s.ta && s.tb) c.noalias() = a.transpose() * b.transpose();
        else if (s.ta) c.noalias() = a.transpose() * b;
        else if (s.tb) c.noalias() = a * b.transpose();
        else c.noalias() = a * b;
      },
      budget);
#ifdef WITH_CBLAS
  t.blas_s = best_time(
      [&] {
        cblas_sgemm(CblasRowMajor, s.ta ? CblasTrans : CblasNoTrans,
                    s.tb ? CblasTrans : CblasNoTrans, s.m, s.n, s.k, 1.0f, a.data(),
                    static_cast<int>(a.cols()), b.data(), static_cast<int>(b.cols()), 0.0f,
                    c.data(), s.n);
      },
      budget);
#endif
  return t;
}

double gflops(const Shape& s, double seconds) {
  return seconds > 0 ? 2.0 * s.m * s.n * s.k / seconds / 1e9 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 2048;
  const double budget = argc > 2 ? std::atof(argv[2]) : 0.5;
#ifdef WITH_CBLAS
  openblas_set_num_threads(1);
  const bool blas = true;
#else
  const bool blas = false;
#endif
  const int batch = 64;  // W1
  const std::vector<Shape> w1 = {
      {"fwd1 X*W1", batch, 256, 784, false, false},  {"fwd2 H1*W2", batch, 128, 256, false, false},
      {"fwd3 H2*W3", batch, 10, 128, false, false},  {"dW1 X^T*dZ1", 784, 256, batch, true, false},
      {"dW2 H1^T*dZ2", 256, 128, batch, true, false}, {"dW3 H2^T*dZ3", 128, 10, batch, true, false},
      {"dH2 dZ3*W3^T", batch, 128, 10, false, true},  {"dH1 dZ2*W2^T", batch, 256, 128, false, true},
  };
  const Shape big{"square", n, n, n, false, false};

  std::string json = "{\"n\": " + std::to_string(n) + ", \"blas\": " + (blas ? "true" : "false");
  char buf[256];
  const Timing tb = time_shape(big, budget);
  std::snprintf(buf, sizeof buf, ", \"square_eigen_gflops\": %.2f, \"square_blas_gflops\": %.2f",
                gflops(big, tb.eigen_s), gflops(big, tb.blas_s));
  json += buf;
  std::fprintf(stderr, "%-14s %5s %5s %5s %9s %9s\n", "product", "m", "n", "k", "Eigen GF/s",
               blas ? "BLAS GF/s" : "");
  std::fprintf(stderr, "%-14s %5d %5d %5d %9.1f %9.1f\n", big.name.c_str(), n, n, n,
               gflops(big, tb.eigen_s), gflops(big, tb.blas_s));

  // One W1 step's products: their summed best times bound W1 if nothing else took any time.
  double step_eigen = 0, step_blas = 0, macs = 0;
  json += ", \"w1_shapes\": [";
  for (std::size_t i = 0; i < w1.size(); ++i) {
    const Shape& s = w1[i];
    const Timing t = time_shape(s, budget / 4);
    step_eigen += t.eigen_s;
    step_blas += t.blas_s;
    macs += double(s.m) * s.n * s.k;
    std::snprintf(buf, sizeof buf,
                  "%s{\"name\": \"%s\", \"m\": %d, \"n\": %d, \"k\": %d, \"eigen_gflops\": %.2f, "
                  "\"blas_gflops\": %.2f}",
                  i ? ", " : "", s.name.c_str(), s.m, s.n, s.k, gflops(s, t.eigen_s),
                  gflops(s, t.blas_s));
    json += buf;
    std::fprintf(stderr, "%-14s %5d %5d %5d %9.1f %9.1f\n", s.name.c_str(), s.m, s.n, s.k,
                 gflops(s, t.eigen_s), gflops(s, t.blas_s));
  }
  const double step_flops = 2 * macs;
  std::snprintf(buf, sizeof buf,
                "], \"w1_step_flops\": %.0f, \"w1_step_eigen_gflops\": %.2f, "
                "\"w1_step_blas_gflops\": %.2f}",
                step_flops, step_flops / step_eigen / 1e9,
                step_blas > 0 ? step_flops / step_blas / 1e9 : 0.0);
  json += buf;
  std::fprintf(stderr, "W1 step (8 products, %.3f MFLOP / sample): Eigen %.1f GF/s", step_flops / batch / 1e6,
               step_flops / step_eigen / 1e9);
  if (blas) std::fprintf(stderr, ", BLAS %.1f GF/s", step_flops / step_blas / 1e9);
  std::fprintf(stderr, "\n");
  std::printf("%s\n", json.c_str());
  return 0;
}
