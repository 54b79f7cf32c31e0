// Learning-rate schedules. t is the number of completed units before the current one (0 for the
// first update or epoch); the unit is Schedule::unit (an update = one mini-batch step, an epoch =
// one pass). Each rate below is the one used for unit t:
//   constant  alpha
//   inverse   alpha / (1 + delta t)
//   power     alpha / (t + 1)^delta, 0.5 < delta <= 1 (the source's alpha / t^delta, t from 1);
//             sum of rates infinite and of squares finite, the convergence conditions
//   cosine    floor + (alpha - floor) (1 + cos(pi min(t, T) / T)) / 2 over a horizon of T units
//   plateau   max(floor, alpha / factor^k), k = reductions so far: one after every `patience`
//             epochs whose monitored loss did not improve on the best by more than min_delta
//             (fed by observe(); t is ignored)
// Warm-up of W units (any schedule): for t < W the rate is alpha (t + 1) / W (linear) or alpha
// (constant warm period), and the schedule above then runs on t - W, so its decay starts after.
#pragma once

#include <limits>
#include <string>
#include <vector>

namespace nnfit::optim {

enum class ScheduleKind { kConstant, kInverse, kPower, kCosine, kPlateau };
enum class ScheduleUnit { kUpdate, kEpoch };
enum class WarmupKind { kLinear, kConstant };

std::string schedule_name(ScheduleKind k);          // "constant", "inverse", ...
ScheduleKind parse_schedule(const std::string& s);  // throws ConfigError naming the value

struct ScheduleOptions {
  ScheduleKind kind = ScheduleKind::kConstant;
  ScheduleUnit unit = ScheduleUnit::kEpoch;  // what t counts (plateau: always epochs)
  double alpha = 0.01;                       // initial rate, > 0
  double delta = 0.5;                        // inverse: > 0; power: in (0.5, 1]
  long horizon = 0;                          // cosine: T units, >= 1
  double floor = 0.0;                        // cosine, plateau: lowest rate, in [0, alpha]
  double factor = 10.0;                      // plateau: divisor, > 1
  int patience = 5;                          // plateau: epochs without improvement, >= 1
  double min_delta = 0.0;                    // plateau: improvement that counts, >= 0
  long warmup = 0;                           // W units of warm-up, >= 0
  WarmupKind warmup_kind = WarmupKind::kLinear;
};

// Throws ConfigError naming the offending field.
void validate(const ScheduleOptions& o);

class Schedule {
 public:
  explicit Schedule(ScheduleOptions o);  // validates
  ScheduleUnit unit() const {
    return o_.kind == ScheduleKind::kPlateau ? ScheduleUnit::kEpoch : o_.unit;
  }
  double rate(long t) const;
  // After each epoch: the monitored loss (plateau); NaN is ignored.
  void observe(double loss);
  // Plateau state (k, best, bad epochs) for Optimizer::state().
  std::vector<double> state() const { return {static_cast<double>(k_), best_, double(bad_)}; }
  void restore(const std::vector<double>& s);  // REQUIRES: s.size() == 3

 private:
  ScheduleOptions o_;
  int k_ = 0;
  double best_ = std::numeric_limits<double>::infinity();
  int bad_ = 0;
  double decayed(long t) const;
};

}  // namespace nnfit::optim
