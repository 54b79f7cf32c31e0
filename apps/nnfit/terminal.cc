// Terminal width and colour for the learning-curve plots.
#include "terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <cstring>

#include "cli.h"

namespace nnfit::cli {

int terminal_width(int fd) {
  if (const char* env = std::getenv("COLUMNS")) {
    int n = 0;
    const char* end = env + std::strlen(env);
    const auto [p, ec] = std::from_chars(env, end, n);
    if (ec == std::errc() && p == end && n > 0) return n;
  }
  winsize ws{};
  if (isatty(fd) == 1 && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

bool terminal_color(int fd) { return isatty(fd) == 1 && !no_color(std::getenv("NO_COLOR")); }

}  // namespace nnfit::cli
