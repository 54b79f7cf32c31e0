// LineWindows: the byte source behind each window's io::LineReader.
#include "data/line_windows.h"

#include <algorithm>
#include <cstring>
#include <iterator>

#include "data/fccp.h"
#include "data/huge_pages.h"

namespace nnfit::data::detail {

// Hands the reader its window: the one read() call a LineReader makes when it is given less
// than it asked for.
class LineWindows::Source : public ::io::ByteSourceBase {
 public:
  explicit Source(LineWindows& windows) : windows_(windows) {}
  int read(char* buffer, int size) override { return windows_.fill(buffer, size); }

 private:
  LineWindows& windows_;
};

LineWindows::LineWindows(std::unique_ptr<::io::ByteSourceBase> in) : in_(std::move(in)) {}

LineWindows::~LineWindows() = default;

std::unique_ptr<::io::LineReader> LineWindows::next(const std::string& name) {
  if (end_ && carry_.empty()) return nullptr;
  return std::make_unique<::io::LineReader>(name, std::make_unique<Source>(*this));
}

// Fills the reader's buffer (it asks for `size` bytes, twice its line limit) with carry_ and
// input, kWindowBytes or more for a longer line, and returns the length of its whole lines: up to
// the last '\n' that another byte follows (CsvReader reads the byte after a line to tell a CRLF
// ending). The rest is kept in carry_. At most size - 1 bytes, so that the reader takes the window
// for its whole input: it reads nothing more, and starts no reading thread.
int LineWindows::fill(char* buffer, int size) {
  start_ = buffer;
  const auto cap = static_cast<std::size_t>(size) - 1;
  std::size_t n = std::min(carry_.size(), cap);  // carry_ is shorter than a window: all of it
  std::memcpy(buffer, carry_.data(), n);
  carry_.clear();
  std::size_t want = std::min(cap, std::max(kWindowBytes, 2 * n));
  for (std::size_t scanned = 0;; want = std::min(cap, 2 * want)) {
    // Up to the 2 MiB page that holds the window's end (the reader's buffer is 3/2 size).
    advise_huge_pages(buffer, std::min(want + (std::size_t{2} << 20), cap / 2 * 3));
    while (!end_ && n < want) {
      const int got = in_->read(buffer + n, static_cast<int>(want - n));
      end_ = got <= 0 || static_cast<std::size_t>(got) < want - n;
      n += static_cast<std::size_t>(std::max(got, 0));
    }
    if (end_) return static_cast<int>(n);
    // The last '\n' before the last byte (the bytes before `scanned` hold none).
    const std::reverse_iterator<char*> from(buffer + n - 1), to(buffer + scanned);
    const auto cut = std::find(from, to, '\n');
    if (cut != to) {
      char* rest = cut.base();
      carry_.assign(rest, buffer + n);
      return static_cast<int>(rest - buffer);
    }
    scanned = n - 1;
    // No line ends in cap bytes: the reader reports the line as too long.
    if (want == cap) return static_cast<int>(n);
  }
}

}  // namespace nnfit::data::detail
