// Base64 against the RFC 4648 test vectors, malformed input rejected with the reason, and
// float32 arrays bit-exact through little-endian bytes.
#include "io/base64.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "core/error.h"

namespace nnfit::io {
namespace {

std::string decode_error(const std::string& text) {
  try {
    base64_decode(text);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

TEST(Base64Test, Rfc4648VectorsRoundTrip) {
  const std::vector<std::pair<std::string, std::string>> vectors = {{"", ""},
                                                                    {"f", "Zg=="},
                                                                    {"fo", "Zm8="},
                                                                    {"foo", "Zm9v"},
                                                                    {"foob", "Zm9vYg=="},
                                                                    {"fooba", "Zm9vYmE="},
                                                                    {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(base64_decode(encoded), plain);
    EXPECT_EQ(base64_decoded_size(encoded), plain.size());
  }
}

TEST(Base64Test, EveryByteValueRoundTrips) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    const std::string part = all.substr(all.size() - n);
    EXPECT_EQ(base64_decode(base64_encode(part)), part) << n;
  }
  EXPECT_EQ(base64_encode("\xfb\xff"), "+/8=");  // the last two alphabet characters
}

TEST(Base64Test, MalformedTextIsRejectedWithTheReason) {
  EXPECT_EQ(decode_error("Zm9"), "invalid base64: length 3 is not a multiple of 4");
  EXPECT_EQ(decode_error("Zm!v"), "invalid base64: character '!' at offset 2");
  EXPECT_EQ(decode_error("Zm9v\nYg=="), "invalid base64: length 9 is not a multiple of 4");
  EXPECT_EQ(decode_error("Zm 9"), "invalid base64: character ' ' at offset 2");
  EXPECT_EQ(decode_error("Zg=a"), "invalid base64: padding '=' at offset 2");
  EXPECT_EQ(decode_error("Z==="), "invalid base64: padding '=' at offset 1");
  EXPECT_EQ(decode_error("Zg==Zg=="), "invalid base64: padding '=' at offset 2");
  EXPECT_EQ(decode_error(std::string("Zm\x80v")), "invalid base64: byte 128 at offset 2");
  // "Zh==" and "Zm9=" carry bits past the last byte: a second spelling of "f" and "fo".
  EXPECT_EQ(decode_error("Zh=="), "invalid base64: non-zero bits after the last byte at offset 1");
  EXPECT_EQ(decode_error("Zm9="), "invalid base64: non-zero bits after the last byte at offset 2");
}

std::uint32_t bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

TEST(Base64Test, Float32BytesAreLittleEndianAndBitExact) {
  const std::vector<float> v = {1.0f,
                                -0.0f,
                                std::numeric_limits<float>::denorm_min(),
                                -std::numeric_limits<float>::denorm_min() * 3,
                                std::numeric_limits<float>::min() / 2,
                                std::numeric_limits<float>::max(),
                                -1e-30f,
                                0.1f};
  const std::string bytes = float32_le_bytes(v.data(), v.size());
  ASSERT_EQ(bytes.size(), 4 * v.size());
  EXPECT_EQ(bytes.substr(0, 4), std::string("\x00\x00\x80\x3f", 4));  // 1.0f = 0x3f800000
  EXPECT_EQ(bytes.substr(4, 4), std::string("\x00\x00\x00\x80", 4));  // -0.0f = 0x80000000
  std::vector<float> back(v.size());
  float32_from_le_bytes(base64_decode(base64_encode(bytes)), back.data());
  for (std::size_t i = 0; i < v.size(); ++i) EXPECT_EQ(bits(back[i]), bits(v[i])) << i;
  EXPECT_TRUE(std::signbit(back[1]));
}

}  // namespace
}  // namespace nnfit::io
