// Per-epoch progress on stderr: epoch, losses, validation metric, learning rate, time and an
// ETA ("*" marks a new best epoch), fitted to a width. On a terminal one line is redrawn in
// place, as wide as the terminal; otherwise (a log file, a pipe, CI) each epoch is a plain log
// line of at most 80 characters with its "info: " prefix.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "train/trainer.h"

namespace nnfit::cli {

// "1h02m", "3m05s", "12s": a duration for humans.
std::string format_duration(double seconds);

// The text of one epoch's progress, without a level prefix or newline, e.g.
//   "epoch  12/200 loss 0.04710 val 0.05900 acc 0.9667 lr 0.01 0.001s eta 0s *"
// (val: validation loss; acc or rmse: the validation metric; left out without validation).
// elapsed: seconds since training started; the ETA assumes the remaining epochs take the mean
// time so far (an upper bound, since early stopping may end the run sooner). If the line is
// wider than width, the epoch's seconds, then the learning rate, then the ETA are left out
// until it fits (the rest is always there).
std::string epoch_line(const train::EpochReport& r, int epochs, double elapsed,
                       std::size_t width = 80);

// Columns a progress line may use. On a terminal: its width (TIOCGWINSZ on stderr, else
// $COLUMNS, else 80) less one, since a line that fills the last column wraps on some
// terminals; otherwise 80 less the "info: " prefix of a log line.
std::size_t progress_width(bool terminal);
// The same from the values found: ioctl_columns 0 if unknown, columns_env null if unset.
std::size_t progress_width(bool terminal, unsigned ioctl_columns, const char* columns_env);

class Progress {
 public:
  // enabled: false with --quiet, --no-progress or a log level above info. redraw: stderr is a
  // terminal.
  Progress(int epochs, bool enabled, bool redraw);
  ~Progress();  // ends a redrawn line
  void operator()(const train::EpochReport& r);

 private:
  int epochs_;
  bool enabled_, redraw_, open_line_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace nnfit::cli
