// CellReader on plain lines (CsvReader::next): the cells cut at each delimiter and the plain
// decimals of the features read in place, in one pass over the line.
#include <algorithm>
#include <cstring>

#include "data/cells.h"

namespace nnfit::data::detail {
namespace {

// If the cell at p (up to the delimiter or end, where a NUL byte is) is a plain decimal, its value
// as CellReader::read gives it goes to out, and its end is returned; else nullptr.
inline const char* plain_number(const char* p, const char* end, char delimiter, float& out) {
  // Integers of up to 9 digits (the most common cells) without the general scan: the float
  // nearest an integer is what to_float makes of it too, rounded once either way.
  const char* q = p;
  unsigned m = static_cast<unsigned char>(*q) - 48u;
  if (m < 10) {
    for (unsigned d; (d = static_cast<unsigned char>(*++q) - 48u) < 10;) m = m * 10 + d;
    if ((*q == delimiter || *q == '\0') && q - p <= 9) {  // '\0': q == end
      out = static_cast<float>(m);
      return q;
    }
  }
  double v = 0.0;
  q = scan_plain_decimal(p, end, v);
  if (q == nullptr || (*q != delimiter && *q != '\0')) return nullptr;
  out = to_float(std::string_view(p, static_cast<std::size_t>(q - p)), v);
  return q;
}

}  // namespace

void CellReader::plan_plain(const std::vector<int>& slots, const std::vector<std::size_t>& texts) {
  plan_.assign(slots.size(), kNoSlot);
  uncounted_.assign(slots.size(), 0);
  unnumbered_ = 0;
  for (std::size_t col = 0; col < slots.size(); ++col) {
    const int slot = slots[col];
    if (slot < 0) continue;
    if (plain_[col] && std::find(texts.begin(), texts.end(), col) == texts.end()) {
      plan_[col] = slot;
      unnumbered_ += numbers_[col] == 0;
    } else {
      plan_[col] = kNoSlot - 1 - slot;
    }
  }
}

void CellReader::note_first_number(std::size_t col, std::string_view cell, unsigned line) {
  columns_[col].first_number = {line, std::string(cell)};
  if (col < plan_.size() && plan_[col] >= 0) --unnumbered_;
}

std::size_t CellReader::numbers(std::size_t col) const {
  const bool in_place = col < plan_.size() && plan_[col] >= 0;
  return numbers_[col] + (in_place ? counted_rows_ - uncounted_[col] : 0);
}

// The arrays are reached through locals, which the stores to out and fields cannot alias.
void CellReader::read_plain(std::string_view text, char delimiter, float* out,
                            std::vector<std::string_view>& fields, unsigned line) {
  fields.resize(plan_.size());
  pending_.clear();
  const bool count_rows = unnumbered_ == 0;  // see numbers_
  const int* const plan = plan_.data();
  std::size_t* const numbers = numbers_.data();
  std::string_view* const cells = fields.data();
  const char* p = text.data();
  const char* const end = p + text.size();
  for (std::size_t col = 0, n = plan_.size(); col < n; ++col) {
    const int slot = plan[col];
    const char* stop = slot >= 0 ? plain_number(p, end, delimiter, out[slot]) : nullptr;
    if (stop != nullptr) {
      if (!count_rows && numbers[col]++ == 0) {
        note_first_number(col, std::string_view(p, static_cast<std::size_t>(stop - p)), line);
      }
    } else {
      stop = static_cast<const char*>(std::memchr(p, delimiter, static_cast<std::size_t>(end - p)));
      if (stop == nullptr) stop = end;
      cells[col] = std::string_view(p, static_cast<std::size_t>(stop - p));
      if (slot != kNoSlot) pending_.push_back({slot >= 0 ? slot : kNoSlot - 1 - slot, col});
      if (slot >= 0 && count_rows) ++uncounted_[col];
    }
    p = stop + 1;
  }
  counted_rows_ += count_rows;
  const auto by_slot = [](const Pending& a, const Pending& b) { return a.slot < b.slot; };
  if (!std::is_sorted(pending_.begin(), pending_.end(), by_slot)) {
    std::sort(pending_.begin(), pending_.end(), by_slot);
  }
  for (const Pending& cell : pending_) out[cell.slot] = read(fields[cell.col], cell.col, line);
}

}  // namespace nnfit::data::detail
