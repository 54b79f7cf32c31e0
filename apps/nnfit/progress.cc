#include "progress.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>

namespace nnfit::cli {

std::string format_duration(double seconds) {
  const long s = std::lround(std::max(seconds, 0.0));
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  } else if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lds", s);
  }
  return buf;
}

std::string epoch_line(const train::EpochReport& r, int epochs, double elapsed) {
  const double eta = elapsed / r.epoch * (epochs - r.epoch);
  std::string line = fmt::format("epoch {:>4}/{}  train_loss {:.5f}", r.epoch, epochs, r.train_loss);
  if (!std::isnan(r.val_loss)) {
    line += fmt::format("  val_loss {:.5f}  {} {:.4f}", r.val_loss,
                        r.classification ? "val_acc" : "val_rmse", r.val_metric);
  }
  line += fmt::format("  lr {:g}  {:.3f}s  eta {}", r.lr, r.seconds, format_duration(eta));
  if (r.improved && !std::isnan(r.val_loss)) line += "  *";
  return line;
}

Progress::Progress(int epochs, bool enabled, bool redraw)
    : epochs_(epochs), enabled_(enabled), redraw_(redraw),
      start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() {
  if (open_line_) std::fputc('\n', stderr);
}

void Progress::operator()(const train::EpochReport& r) {
  if (!enabled_) return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::string line = epoch_line(r, epochs_, elapsed);
  if (!redraw_) {
    spdlog::info("{}", line);
    return;
  }
  // \r and "erase line" redraw in place; the summary after training names the best epoch.
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  open_line_ = true;
}

}  // namespace nnfit::cli
