// Per-epoch progress on stderr: epoch, losses, validation metric, learning rate, time and an
// ETA ("*" marks a new best epoch). On a terminal one line is redrawn in place; otherwise (a log file, a pipe, CI) each epoch is a plain log line.
#pragma once

#include <chrono>
#include <string>

#include "train/trainer.h"

namespace nnfit::cli {

// "1h02m", "3m05s", "12s": a duration for humans.
std::string format_duration(double seconds);

// The text of one epoch's progress, without a level prefix or newline. elapsed: seconds since
// training started; the ETA assumes the remaining epochs take the mean time so far (an upper
// bound, since early stopping may end the run sooner).
std::string epoch_line(const train::EpochReport& r, int epochs, double elapsed);

class Progress {
 public:
  // enabled: false with --quiet or a log level above info. redraw: stderr is a terminal.
  Progress(int epochs, bool enabled, bool redraw);
  ~Progress();  // ends a redrawn line
  void operator()(const train::EpochReport& r);

 private:
  int epochs_;
  bool enabled_, redraw_, open_line_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace nnfit::cli
