// TPE against random search on two synthetic objectives with known optima (no training), for
// choosing TpeOptions' gamma and startup: 100 seeds, median best value and wins. Build and run
// (after a Release build in build/):
//   g++ -std=c++17 -O2 -march=native -fopenmp -Isrc -I/usr/include/eigen3 bench/tpe/synthetic.cc \
//       build/src/libnnfit_lib.a -o /tmp/tpe-synthetic && /tmp/tpe-synthetic 30
// obj1: (log10 lr + 2.5)^2 + (momentum - 0.3)^2 + 0.5 unless tanh (tests/search/tpe_test.cc);
// obj2: a made-up surface over gridsearch's default space (rate, width, L2, batch, activation).
#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>
#include "search/space.h"
#include "search/tpe.h"
using namespace nnfit::search;
std::string value(const Candidate& c, const std::string& k) { for (auto& [a, b] : c) if (a == k) return b; return ""; }
double obj1(const Candidate& c) {
  const double lr = std::log10(std::stod(value(c, "lr"))) + 2.5, m = std::stod(value(c, "momentum")) - 0.3;
  return lr * lr + m * m + (value(c, "activation") == "tanh" ? 0.0 : 0.5);
}
// A 5-key objective like the default space: rate, width, l2, batch, activation.
double obj2(const Candidate& c) {
  const double lr = std::log10(std::stod(value(c, "lr"))) + 2.7;
  const std::string h = value(c, "hidden"), l2 = value(c, "l2"), b = value(c, "batch-size");
  double f = lr * lr;
  f += h == "64,64" ? 0 : h == "128,64" ? 0.05 : h == "128" ? 0.1 : 0.3;
  f += l2 == "0.0001" ? 0 : l2 == "0.001" ? 0.05 : 0.2;
  f += b == "32" ? 0 : b == "16" ? 0.05 : 0.15;
  f += value(c, "activation") == "relu" ? 0 : 0.1;
  return f;
}
SearchSpace space(const std::vector<std::string>& d) { SearchSpace s; for (auto& t : d) s.random.push_back(parse_distribution(t)); return s; }
int main(int argc, char** argv) {
  const int trials = std::stoi(argv[1]);
  const SearchSpace s1 = space({"lr=loguniform(1e-5,1)", "momentum=uniform(0,1)", "activation=choice(relu,tanh,sigmoid)"});
  const SearchSpace s2 = space({"lr=loguniform(0.0001,0.03)", "hidden=choice(32|64|128|64,64|128,64|256,128)", "l2=choice(0|0.00001|0.0001|0.001|0.01)", "batch-size=choice(16|32|64|128)", "activation=choice(relu|tanh)"});
  for (int which = 1; which <= 2; ++which) {
    const SearchSpace& sp = which == 1 ? s1 : s2;
    auto f = which == 1 ? obj1 : obj2;
    for (double gamma : {0.1, 0.25}) for (int startup : {10, 5}) {
      std::vector<double> t, r; int wins = 0;
      for (std::uint64_t seed = 1; seed <= 100; ++seed) {
        std::vector<Observation> h;
        TpeOptions o; o.gamma = gamma; o.startup = startup;
        for (int b = 0; (int)h.size() < trials; ++b)
          for (auto& c : tpe_propose(sp, h, 4, tpe_batch_seed(seed, b), o)) h.push_back({c, f(c)});
        double bt = 1e9; for (auto& x : h) bt = std::min(bt, x.score);
        double br = 1e9; for (auto& c : random_candidates(sp, trials, seed)) br = std::min(br, f(c));
        t.push_back(bt); r.push_back(br); wins += bt < br;
      }
      std::sort(t.begin(), t.end()); std::sort(r.begin(), r.end());
      std::cout << "obj" << which << " trials " << trials << " gamma " << gamma << " startup " << startup << ": median tpe " << t[50] << " random " << r[50] << " wins " << wins << "/100\n";
    }
  }
}
