// Feeding io::LineReader in windows of whole lines. A LineReader keeps a buffer of 48 MiB, all of
// it resident once the input is over 32 MiB: a quarter of the feature matrix of a 60000 x 784
// file, and resident next to it at the peak. So the input goes to it in windows of about
// kWindowBytes that end after a line break, each read by a LineReader of its own, of whose buffer
// only the window is touched. Internal to CsvReader (csv.cc).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace io {
class ByteSourceBase;
class LineReader;
}  // namespace io

namespace nnfit::data::detail {

class LineWindows {
 public:
  static constexpr std::size_t kWindowBytes = std::size_t{16} << 20;

  // Reads from `in`, which must return short reads only at its end.
  explicit LineWindows(std::unique_ptr<::io::ByteSourceBase> in);
  ~LineWindows();
  LineWindows(const LineWindows&) = delete;
  LineWindows& operator=(const LineWindows&) = delete;

  // A LineReader (naming `name` in its errors) over the next window; nullptr at the end of the
  // input. Its lines are those of the input, complete; a line too long for it (16 MiB) is its
  // error, as without windows.
  std::unique_ptr<::io::LineReader> next(const std::string& name);
  // Where the window starts, in the buffer of the reader that next() returned. The reader skips a
  // UTF-8 BOM at the start of every window, but in a later window it is the text of a line (the
  // input's BOM is at the start of the first), which then starts here rather than where the
  // reader's first line does.
  char* start() const { return start_; }

 private:
  class Source;
  int fill(char* buffer, int size);

  std::unique_ptr<::io::ByteSourceBase> in_;
  std::string carry_;  // the start of the line that the last window did not hold
  bool end_ = false;   // in_ is exhausted
  char* start_ = nullptr;
};

}  // namespace nnfit::data::detail
