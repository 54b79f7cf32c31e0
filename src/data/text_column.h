// A column of short texts (a Dataset's target cells) in one buffer: the bytes of every cell back
// to back, and where each ends. A std::vector<std::string> costs 32 bytes a cell plus its
// doubling's slack and copies (at 10^7 rows: about 0.6 GB at the peak of a load, as much as the
// feature matrix); this costs the text plus 8 bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace nnfit::data {

class TextColumn {
 public:
  TextColumn() = default;
  TextColumn(std::initializer_list<std::string_view> cells) {
    for (std::string_view c : cells) push_back(c);
  }

  std::size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  // Views into the column: valid until the next push_back.
  std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return {chars_.data() + begin, ends_[i] - begin};
  }
  std::string_view back() const { return (*this)[size() - 1]; }
  void push_back(std::string_view cell) {
    chars_.insert(chars_.end(), cell.begin(), cell.end());
    ends_.push_back(chars_.size());
  }
  void clear() {
    chars_.clear();
    ends_.clear();
  }
  bool operator==(const TextColumn& o) const { return ends_ == o.ends_ && chars_ == o.chars_; }
  bool operator!=(const TextColumn& o) const { return !(*this == o); }

  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;
    const_iterator(const TextColumn* c, std::size_t i) : c_(c), i_(i) {}
    std::string_view operator*() const { return (*c_)[i_]; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }
    bool operator!=(const const_iterator& o) const { return i_ != o.i_; }

   private:
    const TextColumn* c_;
    std::size_t i_;
  };
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size()}; }

 private:
  std::vector<char> chars_;
  std::vector<std::uint64_t> ends_;
};

// Cell by cell, as a std::vector<std::string> compares.
inline bool operator==(const TextColumn& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace nnfit::data
