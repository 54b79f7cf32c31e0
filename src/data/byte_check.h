// Binary-content checks for the CSV reader: a byte source wrapper that notes where the first NUL
// and the first byte >= 0x80 occur as io::LineReader reads each block, and a UTF-8 validator for
// the lines that may hold non-ASCII bytes. Internal to CsvReader (csv.cc).
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>

namespace io {
class ByteSourceBase;
}  // namespace io

namespace nnfit::data::detail {

// Where the first NUL and the first byte >= 0x80 are in the input (byte offsets, ~0 if none),
// noted as io::LineReader reads each block: a NUL would silently end a line there, and with no
// byte >= 0x80 in the file no line needs a UTF-8 check. Written on the reading thread.
class ByteCheck {
 public:
  static constexpr unsigned long long kNone = ~0ULL;
  std::atomic<unsigned long long> first_nul{kNone};
  std::atomic<unsigned long long> first_high{kNone};
  bool bom = false;  // the input starts with a UTF-8 BOM (which io::LineReader skips)
};

// A byte source that reads through to `in`, recording in `check` (which must outlive it) the
// offsets of the first NUL and first byte >= 0x80, and whether the first block starts with a
// UTF-8 BOM. The bytes read are passed on unchanged.
std::unique_ptr<::io::ByteSourceBase> make_checking_source(std::unique_ptr<::io::ByteSourceBase> in,
                                                         ByteCheck& check);

// The offset of the first byte of [p, end) that does not belong to valid UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF are invalid), or -1.
std::ptrdiff_t invalid_utf8(const unsigned char* p, const unsigned char* end);

}  // namespace nnfit::data::detail
