// CellReader on plain lines (CsvReader::next): the cells cut at each delimiter and the plain
// decimals of the features read in place, in one pass over the line.
#include <algorithm>
#include <cstring>

#include "data/cells.h"

namespace nnfit::data::detail {
namespace {

// If the cell at p, which ends at the first `stop` byte (the delimiter, or for the last cell the
// NUL byte at the end), is a plain decimal, its value as CellReader::read gives it goes to out,
// and its end is returned; else nullptr.
inline const char* plain_number(const char* p, const char* end, char stop, float& out) {
  // Integers of up to 9 digits (the most common cells) without the general scan: the float
  // nearest an integer is what to_float makes of it too, rounded once either way.
  const char* q = p;
  unsigned m = static_cast<unsigned char>(*q) - 48u;
  if (m < 10) {
    for (unsigned d; (d = static_cast<unsigned char>(*++q) - 48u) < 10;) m = m * 10 + d;
    if (*q == stop && q - p <= 9) {
      out = static_cast<float>(m);
      return q;
    }
  }
  double v = 0.0;
  q = scan_plain_decimal(p, end, v);
  if (q == nullptr || *q != stop) return nullptr;
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

void CellReader::read_plain(std::string_view text, char delimiter, float* out,
                            std::vector<std::string_view>& fields, unsigned line) {
  fields.resize(plan_.size());
  pending_.clear();
  const char* const end = text.data() + text.size();
  if (unnumbered_ == 0) {  // see numbers_
    read_plain_cells<false>(text.data(), end, delimiter, out, fields.data(), line);
    ++counted_rows_;
  } else {
    read_plain_cells<true>(text.data(), end, delimiter, out, fields.data(), line);
  }
  const auto by_slot = [](const Pending& a, const Pending& b) { return a.slot < b.slot; };
  if (!std::is_sorted(pending_.begin(), pending_.end(), by_slot)) {
    std::sort(pending_.begin(), pending_.end(), by_slot);
  }
  for (const Pending& cell : pending_) out[cell.slot] = read(fields[cell.col], cell.col, line);
}

// The loop over the cells; kCount: count numbers_ cell by cell. The cells not read in place go
// to other_cell, out of the loop, which keeps fewer values at hand. Each cell but the last ends
// at a delimiter (the line has one fewer), the last one at the NUL byte.
template <bool kCount>
void CellReader::read_plain_cells(const char* p, const char* end, char delimiter, float* out,
                                  std::string_view* cells, unsigned line) {
  const int* const plan = plan_.data();
  const auto cell = [&](std::size_t col, char ends) {
    const int slot = plan[col];
    const char* stop = slot >= 0 ? plain_number(p, end, ends, out[slot]) : nullptr;
    if (stop == nullptr) {
      stop = other_cell(p, end, delimiter, col, cells, !kCount);
    } else if (kCount && numbers_[col]++ == 0) {
      note_first_number(col, std::string_view(p, static_cast<std::size_t>(stop - p)), line);
    }
    p = stop + 1;
  };
  const std::size_t last = plan_.size() - 1;
  for (std::size_t col = 0; col < last; ++col) cell(col, delimiter);
  cell(last, '\0');
}

// A cell that read_plain does not read in place: its text goes to cells[col], and a feature's
// to pending_ (and, in a counted row, to uncounted_ if its column is read in place).
const char* CellReader::other_cell(const char* p, const char* end, char delimiter, std::size_t col,
                                   std::string_view* cells, bool counted_row) {
  const auto* stop =
      static_cast<const char*>(std::memchr(p, delimiter, static_cast<std::size_t>(end - p)));
  if (stop == nullptr) stop = end;
  cells[col] = std::string_view(p, static_cast<std::size_t>(stop - p));
  const int slot = plan_[col];
  if (slot != kNoSlot) pending_.push_back({slot >= 0 ? slot : kNoSlot - 1 - slot, col});
  if (slot >= 0 && counted_row) ++uncounted_[col];
  return stop;
}

}  // namespace nnfit::data::detail
