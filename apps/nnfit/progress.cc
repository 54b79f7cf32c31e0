#include "progress.h"

#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

namespace nnfit::cli {
namespace {

constexpr std::size_t kDefaultColumns = 80;
constexpr std::size_t kLogPrefix = 6;  // "info: "

// The fields of an epoch line with their drop rank: 0 = always shown; else the order in which
// they are left out of a line that is too wide.
std::vector<std::pair<std::string, int>> epoch_fields(const train::EpochReport& r, int epochs,
                                                      double elapsed) {
  const double eta = elapsed / r.epoch * (epochs - r.epoch);
  const int digits = static_cast<int>(std::to_string(epochs).size());
  std::vector<std::pair<std::string, int>> f;
  f.emplace_back(fmt::format("epoch {:>{}}/{}", r.epoch, digits, epochs), 0);
  f.emplace_back(fmt::format("loss {:.5f}", r.train_loss), 0);
  const bool validation = !std::isnan(r.val_loss);
  if (validation) {
    f.emplace_back(fmt::format("val {:.5f}", r.val_loss), 0);
    f.emplace_back(r.classification ? fmt::format("acc {:.4f}", r.val_metric)
                                    : fmt::format("rmse {:.5g}", r.val_metric),
                   0);
  }
  f.emplace_back(fmt::format("lr {:g}", r.lr), 2);
  f.emplace_back(fmt::format("{:.3f}s", r.seconds), 1);
  f.emplace_back("eta " + format_duration(eta), 3);
  if (r.improved && validation) f.emplace_back("*", 0);
  return f;
}

}  // namespace

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

std::string epoch_line(const train::EpochReport& r, int epochs, double elapsed, std::size_t width) {
  const auto fields = epoch_fields(r, epochs, elapsed);
  std::string line;
  for (int dropped = 0; dropped <= 3; ++dropped) {
    line.clear();
    for (const auto& [text, rank] : fields) {
      if (rank != 0 && rank <= dropped) continue;
      line += (line.empty() ? "" : " ") + text;
    }
    if (line.size() <= width) break;
  }
  return line;
}

std::size_t progress_width(bool terminal, unsigned ioctl_columns, const char* columns_env) {
  if (!terminal) return kDefaultColumns - kLogPrefix;
  std::size_t columns = ioctl_columns;
  if (columns == 0 && columns_env != nullptr) {
    char* end = nullptr;
    const long n = std::strtol(columns_env, &end, 10);
    if (end != columns_env && *end == '\0' && n > 0) columns = static_cast<std::size_t>(n);
  }
  if (columns == 0) columns = kDefaultColumns;
  return columns > 1 ? columns - 1 : 1;
}

std::size_t progress_width(bool terminal) {
  winsize ws{};
  const unsigned cols = terminal && ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 ? ws.ws_col : 0;
  return progress_width(terminal, cols, std::getenv("COLUMNS"));
}

Progress::Progress(int epochs, bool enabled, bool redraw)
    : epochs_(epochs),
      enabled_(enabled),
      redraw_(redraw),
      start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() {
  if (open_line_) std::fputc('\n', stderr);
}

void Progress::operator()(const train::EpochReport& r) {
  if (!enabled_) return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::size_t width = progress_width(redraw_);  // a terminal may be resized while training
  std::string line = epoch_line(r, epochs_, elapsed, width);
  if (!redraw_) {
    spdlog::info("{}", line);
    return;
  }
  // \r and "erase line" redraw in place; a line wider than the terminal would wrap and leave
  // one cut line per epoch, so it is cut here. The summary after training names the best epoch.
  if (line.size() > width) line.resize(width);
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  open_line_ = true;
}

}  // namespace nnfit::cli
