// Learning-rate schedules (formulas in schedule.h).
#include "optim/schedule.h"

#include <cmath>
#include <sstream>

#include "core/error.h"

namespace nnfit::optim {
namespace {

constexpr const char* kNames[] = {"constant", "inverse", "power", "cosine", "plateau"};

void require(bool ok, const char* field, double value, const char* what) {
  if (ok) return;
  std::ostringstream os;
  os << "learning-rate schedule: " << field << " = " << value << " is invalid; it must be " << what;
  throw ConfigError(os.str());
}

}  // namespace

std::string schedule_name(ScheduleKind k) { return kNames[static_cast<int>(k)]; }

ScheduleKind parse_schedule(const std::string& s) {
  for (int i = 0; i < 5; ++i) {
    if (s == kNames[i]) return static_cast<ScheduleKind>(i);
  }
  throw ConfigError("unknown learning-rate schedule '" + s +
                    "'; use constant, inverse, power, cosine or plateau");
}

void validate(const ScheduleOptions& o) {
  require(o.alpha > 0 && std::isfinite(o.alpha), "alpha", o.alpha, "> 0");
  if (o.kind == ScheduleKind::kInverse) require(o.delta > 0, "delta", o.delta, "> 0");
  if (o.kind == ScheduleKind::kPower) {
    require(o.delta > 0.5 && o.delta <= 1, "delta", o.delta, "in (0.5, 1]");
  }
  if (o.kind == ScheduleKind::kCosine) {
    require(o.horizon >= 1, "horizon", double(o.horizon), ">= 1");
  }
  require(o.floor >= 0 && o.floor <= o.alpha, "floor", o.floor, "in [0, alpha]");
  if (o.kind == ScheduleKind::kPlateau) {
    require(o.factor > 1, "factor", o.factor, "> 1");
    require(o.patience >= 1, "patience", o.patience, ">= 1");
    require(o.min_delta >= 0, "min_delta", o.min_delta, ">= 0");
  }
  require(o.warmup >= 0, "warmup", double(o.warmup), ">= 0");
}

Schedule::Schedule(ScheduleOptions o) : o_(o) { validate(o_); }

double Schedule::decayed(long t) const {
  const double a = o_.alpha;
  const double td = static_cast<double>(t);
  switch (o_.kind) {
    case ScheduleKind::kConstant:
      return a;
    case ScheduleKind::kInverse:
      return a / (1.0 + o_.delta * td);
    case ScheduleKind::kPower:
      return a / std::pow(td + 1.0, o_.delta);
    case ScheduleKind::kCosine: {
      const double frac = std::min(td, double(o_.horizon)) / double(o_.horizon);
      return o_.floor + (a - o_.floor) * 0.5 * (1.0 + std::cos(M_PI * frac));
    }
    case ScheduleKind::kPlateau:
      return std::max(o_.floor, a / std::pow(o_.factor, k_));
  }
  return a;
}

double Schedule::rate(long t) const {
  if (t < o_.warmup) {
    if (o_.warmup_kind == WarmupKind::kConstant) return o_.alpha;
    return o_.alpha * static_cast<double>(t + 1) / static_cast<double>(o_.warmup);
  }
  return decayed(t - o_.warmup);
}

void Schedule::observe(double loss) {
  if (o_.kind != ScheduleKind::kPlateau || std::isnan(loss)) return;
  if (loss < best_ - o_.min_delta) {
    best_ = loss;
    bad_ = 0;
    return;
  }
  if (++bad_ >= o_.patience) {
    ++k_;
    bad_ = 0;
  }
}

void Schedule::restore(const std::vector<double>& s) {
  if (s.size() != 3) throw ModelError("schedule state: expected 3 values");
  k_ = static_cast<int>(s[0]);
  best_ = s[1];
  bad_ = static_cast<int>(s[2]);
}

}  // namespace nnfit::optim
