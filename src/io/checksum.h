// The model file's integrity check: a last member `"checksum": "crc32:XXXXXXXX"` on a line of
// its own, whose value is the CRC-32 of every byte before that line, followed only by "}".
#pragma once

#include <string>
#include <string_view>

namespace nnfit::io {

// "crc32:" + the CRC-32 of `bytes` (IEEE 802.3, the same as zlib's crc32) in 8 lowercase hex
// digits. The checksum member's value; exposed so tools and tests can re-seal an edited file.
std::string checksum_of(std::string_view bytes);

enum class ChecksumStatus { kOk, kMissing, kMismatch };
// kMissing: no checksum line; kMismatch: the value does not match the bytes before the line,
// or anything but "}" and whitespace follows it.
ChecksumStatus check_checksum(std::string_view text);

}  // namespace nnfit::io
