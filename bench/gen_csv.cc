// gen_csv.cc - seeded synthetic CSV files for bench/run.sh: W5's scaling sets (up to 1e7
// rows, about 2 GB, so a compiled writer: about 20 s where a Python one takes minutes) and
// the tiny stand-ins of every workload's data for `bench/run.sh --smoke`.
//
//   gen_csv w5     ROWS OUT.csv  # x0..x19 (float), y: regression target of a fixed teacher
//   gen_csv tab    ROWS OUT.csv  # x0..x19, y in {0,1}: same shape as tab100k.csv (W2, W3)
//   gen_csv fmnist ROWS OUT.csv  # label,p0..p783 integer pixels: Fashion-MNIST's shape (W1, W4)
//
// The same kind and rows give the same bytes on any machine (own generator and normal
// deviates, no std:: distributions, whose output is implementation-defined). The file is
// written to OUT.csv.tmp and renamed, so an interrupted run never leaves a truncated file that
// a later run would take as complete.
// Build: g++ -O2 -std=c++17 bench/gen_csv.cc -o gen_csv
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

// splitmix64: small, fast, and fully specified.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return (next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double normal() {                                         // Box-Muller, one of the pair
    const double u = 1.0 - uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }
};

// Buffered writer of CSV cells.
class Out {
 public:
  explicit Out(std::FILE* f) : f_(f) { buf_.reserve(kSize + 64); }
  ~Out() { flush(); }
  void text(const char* s) { buf_.append(s); }
  void num(float x) {  // shortest of 6 significant digits, as the shared make_synth.py
    char tmp[32];
    const auto r = std::to_chars(tmp, tmp + sizeof tmp, x, std::chars_format::general, 6);
    buf_.append(tmp, r.ptr);
    if (buf_.size() >= kSize) flush();
  }
  void integer(int x) {
    char tmp[16];
    const auto r = std::to_chars(tmp, tmp + sizeof tmp, x);
    buf_.append(tmp, r.ptr);
  }
  void ch(char c) { buf_.push_back(c); }
  void flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) {
      std::perror("gen_csv: write");
      std::exit(1);
    }
    buf_.clear();
  }

 private:
  static constexpr std::size_t kSize = 1 << 20;
  std::FILE* f_;
  std::string buf_;
};

constexpr int kFeatures = 20;

void header_x(Out& out) {
  for (int j = 0; j < kFeatures; ++j) {
    out.text(j ? ",x" : "x");
    out.integer(j);
  }
}

// x0..x19: standard normal, uniform(-3, 3), exponential and scaled columns, as make_synth.py.
void features(Rng& rng, float* x) {
  for (int j = 0; j < kFeatures; ++j) {
    double v = rng.normal();
    if (j >= 5 && j < 10) v = rng.uniform() * 6 - 3;
    else if (j >= 10 && j < 13) v = -std::log(1.0 - rng.uniform());
    else if (j >= 13) v *= 0.5 + 0.25 * (j - 12);
    x[j] = static_cast<float>(v);
  }
}

// A fixed teacher 20-16-1 (tanh): the target of w5 (with noise) and the logit of tab.
struct Teacher {
  double w1[kFeatures][16], b1[16], w2[16];
  explicit Teacher(Rng& rng) {
    for (auto& row : w1)
      for (double& w : row) w = rng.normal() / std::sqrt(double(kFeatures));
    for (double& b : b1) b = 0.5 * rng.normal();
    for (double& w : w2) w = rng.normal() / 4;
  }
  double operator()(const float* x) const {
    double out = 0;
    for (int h = 0; h < 16; ++h) {
      double z = b1[h];
      for (int j = 0; j < kFeatures; ++j) z += w1[j][h] * x[j];
      out += w2[h] * std::tanh(z);
    }
    return out;
  }
};

void tabular(Out& out, long rows, bool binary) {
  Rng rng{binary ? 20240611ULL : 5ULL};
  const Teacher teacher(rng);
  header_x(out);
  out.text(",y\n");
  float x[kFeatures];
  for (long i = 0; i < rows; ++i) {
    features(rng, x);
    for (int j = 0; j < kFeatures; ++j) {
      if (j) out.ch(',');
      out.num(x[j]);
    }
    const double t = teacher(x) + 0.1 * rng.normal();
    out.ch(',');
    if (binary) out.integer(t > 0);
    else out.num(static_cast<float>(t));
    out.ch('\n');
  }
}

void fmnist(Out& out, long rows) {
  Rng rng{784ULL};
  out.text("label");
  for (int j = 0; j < 784; ++j) {
    out.text(",p");
    out.integer(j);
  }
  out.ch('\n');
  for (long i = 0; i < rows; ++i) {
    const int label = static_cast<int>(rng.next() % 10);
    out.integer(label);
    for (int j = 0; j < 784; ++j) {  // a class-dependent band of bright pixels, the rest noise
      const bool band = (j / 78) == label;
      const int v = static_cast<int>(rng.uniform() * (band ? 255 : 64));
      out.ch(',');
      out.integer(v);
    }
    out.ch('\n');
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: gen_csv w5|tab|fmnist ROWS OUT.csv\n");
    return 2;
  }
  const std::string kind = argv[1];
  const long rows = std::atol(argv[2]);
  const std::string path = argv[3], tmp = path + ".tmp";
  if (rows < 1 || (kind != "w5" && kind != "tab" && kind != "fmnist")) {
    std::fprintf(stderr, "gen_csv: bad kind or rows: %s %s\n", argv[1], argv[2]);
    return 2;
  }
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    std::perror(tmp.c_str());
    return 1;
  }
  {
    Out out(f);
    if (kind == "fmnist") fmnist(out, rows);
    else tabular(out, rows, kind == "tab");
  }
  if (std::fclose(f) != 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::perror(path.c_str());
    return 1;
  }
  return 0;
}
