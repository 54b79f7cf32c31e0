// The bad cells of a file (missing, not a number, not finite, the odd cells of a mixed column),
// reported together once the file is read: the first in file order (line, then column) with
// its message, and how many more there are, so that one run says how much is wrong and fixing
// the cells top to bottom works.
#pragma once

#include <cstddef>
#include <string>

namespace nnfit::data::detail {

class BadCells {
 public:
  // Records `count` bad cells, the first of them at (line, col); message() (returning
  // std::string) is called only when that cell comes before every cell recorded so far.
  template <typename F>
  void add(unsigned line, std::size_t col, std::size_t count, F message) {
    if (count == 0) return;
    if (count_ == 0 || line < line_ || (line == line_ && col < col_)) {
      line_ = line;
      col_ = col;
      message_ = message();
    }
    count_ += count;
  }
  bool empty() const { return count_ == 0; }
  // A later error (a row of the wrong length, ...) stopped the reading; its message is
  // appended, since the cells after it were not checked.
  void set_stopped_by(std::string later_error) { later_ = std::move(later_error); }
  // Throws DataError: the first cell's message, then " (N more bad cells in this file after
  // fixing it)" when there are others. Does nothing if no cell was recorded.
  void throw_if_any() const;

 private:
  std::size_t count_ = 0;
  unsigned line_ = 0;
  std::size_t col_ = 0;
  std::string message_;
  std::string later_;
};

}  // namespace nnfit::data::detail
