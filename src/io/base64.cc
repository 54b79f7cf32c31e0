// Base64 and little-endian float32 conversion (see base64.h).
#include "io/base64.h"

#include <array>
#include <cstdint>
#include <cstring>

#include "core/error.h"

namespace nnfit::io {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::uint8_t kInvalid = 0xFF;

const std::array<std::uint8_t, 256>& decode_table() {
  static const std::array<std::uint8_t, 256> table = [] {
    std::array<std::uint8_t, 256> t{};
    t.fill(kInvalid);
    for (std::uint8_t i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = i;
    return t;
  }();
  return table;
}

[[noreturn]] void invalid(const std::string& what) { throw DataError("invalid base64: " + what); }

std::size_t padding(std::string_view text) {
  if (text.empty() || text.back() != '=') return 0;
  return text.size() >= 2 && text[text.size() - 2] == '=' ? 2 : 1;
}

// The 6-bit value of text[i]; throws for a character outside the alphabet.
std::uint32_t sextet(std::string_view text, std::size_t i) {
  const std::uint8_t v = decode_table()[static_cast<unsigned char>(text[i])];
  if (v == kInvalid) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::string shown = c == '=' ? "padding '='"
                              : c >= 0x20 && c < 0x7F
                                  ? "character '" + std::string(1, text[i]) + "'"
                                  : "byte " + std::to_string(c);
    invalid(shown + " at offset " + std::to_string(i));
  }
  return v;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  const auto byte = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i]));
  };
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    for (int k = 18; k >= 0; k -= 6) out += kAlphabet[(v >> k) & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    const std::uint32_t v = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::size_t base64_decoded_size(std::string_view text) {
  return text.size() / 4 * 3 - (text.size() % 4 == 0 ? padding(text) : 0);
}

std::string base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    invalid("length " + std::to_string(text.size()) + " is not a multiple of 4");
  }
  const std::size_t pad = padding(text);
  std::string out(base64_decoded_size(text), '\0');
  const std::size_t full = pad > 0 ? text.size() - 4 : text.size();  // groups without padding
  std::size_t o = 0;
  for (std::size_t i = 0; i < full; i += 4) {
    const std::uint32_t v = sextet(text, i) << 18 | sextet(text, i + 1) << 12 |
                            sextet(text, i + 2) << 6 | sextet(text, i + 3);
    out[o++] = static_cast<char>(v >> 16);
    out[o++] = static_cast<char>((v >> 8) & 0xFF);
    out[o++] = static_cast<char>(v & 0xFF);
  }
  if (pad > 0) {  // the last group: 2 or 3 characters, then padding
    std::uint32_t v = sextet(text, full) << 18 | sextet(text, full + 1) << 12;
    if (pad == 1) v |= sextet(text, full + 2) << 6;
    if ((v & (pad == 1 ? 0xFFu : 0xFFFFu)) != 0) {
      invalid("non-zero bits after the last byte at offset " +
              std::to_string(text.size() - pad - 1));
    }
    out[o++] = static_cast<char>(v >> 16);
    if (pad == 1) out[o] = static_cast<char>((v >> 8) & 0xFF);
  }
  return out;
}

std::string float32_le_bytes(const float* values, std::size_t n) {
  static_assert(sizeof(float) == 4 && sizeof(std::uint32_t) == 4, "float32 expected");
  std::string out(4 * n, '\0');
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t u;
    std::memcpy(&u, values + i, 4);
    for (int k = 0; k < 4; ++k) out[4 * i + k] = static_cast<char>((u >> (8 * k)) & 0xFF);
  }
  return out;
}

void float32_from_le_bytes(std::string_view bytes, float* out) {
  for (std::size_t i = 0; i + 4 <= bytes.size(); i += 4) {
    std::uint32_t u = 0;
    for (int k = 0; k < 4; ++k) {
      u |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + k])) << (8 * k);
    }
    std::memcpy(out + i / 4, &u, 4);
  }
}

}  // namespace nnfit::io
