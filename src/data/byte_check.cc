// The byte source wrapper and UTF-8 validator behind CsvReader's binary-content errors.
#include "data/byte_check.h"

#include "data/fccp.h"

#include <cstdint>
#include <cstring>
#include <utility>

namespace nnfit::data::detail {

namespace {

constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// The first byte >= 0x80 in [p, end), or end; 64 bytes at a time (vectorized), then 8, then 1.
const char* find_high(const char* p, const char* end) {
  for (; end - p >= 64; p += 64) {
    std::uint64_t any = 0;
    for (int i = 0; i < 8; ++i) {
      std::uint64_t word;
      std::memcpy(&word, p + 8 * i, 8);
      any |= word;
    }
    if (any & kHighBits) break;
  }
  for (; end - p >= 8; p += 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    if (word & kHighBits) break;
  }
  while (p != end && static_cast<unsigned char>(*p) < 0x80) ++p;
  return p;
}

// Reads through to another byte source, recording what ByteCheck holds.
class CheckingSource : public ::io::ByteSourceBase {
 public:
  CheckingSource(std::unique_ptr<io::ByteSourceBase> in, ByteCheck& check)
      : in_(std::move(in)), check_(check) {}
  int read(char* buffer, int size) override {
    const int n = in_->read(buffer, size);
    if (offset_ == 0) check_.bom = n >= 3 && std::memcmp(buffer, "\xEF\xBB\xBF", 3) == 0;
    if (check_.first_nul.load(std::memory_order_relaxed) == ByteCheck::kNone) {
      if (const void* nul = std::memchr(buffer, '\0', n)) note(check_.first_nul, nul, buffer);
    }
    if (check_.first_high.load(std::memory_order_relaxed) == ByteCheck::kNone) {
      const char* high = find_high(buffer, buffer + n);
      if (high != buffer + n) note(check_.first_high, high, buffer);
    }
    offset_ += static_cast<unsigned long long>(n);
    return n;
  }

 private:
  void note(std::atomic<unsigned long long>& at, const void* p, const char* buffer) {
    at.store(offset_ + static_cast<unsigned long long>(static_cast<const char*>(p) - buffer));
  }
  std::unique_ptr<io::ByteSourceBase> in_;
  ByteCheck& check_;
  unsigned long long offset_ = 0;
};

}  // namespace

std::unique_ptr<io::ByteSourceBase> make_checking_source(std::unique_ptr<io::ByteSourceBase> in,
                                                         ByteCheck& check) {
  return std::make_unique<CheckingSource>(std::move(in), check);
}

std::ptrdiff_t invalid_utf8(const unsigned char* p, const unsigned char* end) {
  const unsigned char* begin = p;
  while (p != end) {
    p = reinterpret_cast<const unsigned char*>(
        find_high(reinterpret_cast<const char*>(p), reinterpret_cast<const char*>(end)));
    if (p == end) break;
    const int n = (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : 0;
    if (n == 0 || end - p <= n) return p - begin;
    std::uint32_t cp = *p & (0x3F >> n);
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return p - begin;
      cp = cp << 6 | (p[i] & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return p - begin;
    p += n + 1;
  }
  return -1;
}

}  // namespace nnfit::data::detail
