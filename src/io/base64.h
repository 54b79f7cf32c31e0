// Base64 (RFC 4648, standard alphabet, '=' padding, no line breaks) for the model file's weight
// arrays, and float32 arrays as little-endian bytes, so a file reads the same on any host.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nnfit::io {

std::string base64_encode(std::string_view bytes);
// The bytes encoded in text. Throws DataError saying what is wrong: a length that is not a
// multiple of 4, a character outside the alphabet (with its offset), misplaced padding, or
// non-zero bits after the last byte (so every byte string has exactly one encoding).
std::string base64_decode(std::string_view text);
// The number of bytes text decodes to if it is well formed (from its length and padding).
std::size_t base64_decoded_size(std::string_view text);

// n floats as 4n little-endian IEEE-754 bytes, and back (bit-exact: -0.0, denormals, NaN bits).
std::string float32_le_bytes(const float* values, std::size_t n);
void float32_from_le_bytes(std::string_view bytes, float* out);  // reads bytes.size() / 4 floats

}  // namespace nnfit::io
