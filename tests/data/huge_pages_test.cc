// Tests for advise_huge_pages: advice only, the memory keeps its contents, also when it is
// reallocated afterwards (the advice may have split its mapping, so realloc may copy).
#include "data/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

namespace nnfit::data::detail {
namespace {

bool holds_pattern(const unsigned char* p, std::size_t bytes) {
  for (std::size_t i = 0; i < bytes; i += 4093) {
    if (p[i] != static_cast<unsigned char>(i / 4093)) return false;
  }
  return true;
}

TEST(HugePagesTest, AdviceKeepsContentsThroughRealloc) {
  const std::size_t bytes = kMinHugeBytes + 12345;
  auto* p = static_cast<unsigned char*>(std::malloc(bytes));
  ASSERT_NE(p, nullptr);
  for (std::size_t i = 0; i < bytes; i += 4093) p[i] = static_cast<unsigned char>(i / 4093);
  advise_huge_pages(p + 1, bytes - 1);  // any alignment
  EXPECT_TRUE(holds_pattern(p, bytes));
  auto* q = static_cast<unsigned char*>(std::realloc(p, 3 * bytes));
  ASSERT_NE(q, nullptr);
  EXPECT_TRUE(holds_pattern(q, bytes));
  std::memset(q + bytes, 7, 2 * bytes);  // the new part is usable
  EXPECT_EQ(q[3 * bytes - 1], 7);
  std::free(q);
  char small[64] = {1};
  advise_huge_pages(small, sizeof small);  // below kMinHugeBytes: nothing
  advise_huge_pages(nullptr, 0);
  EXPECT_EQ(small[0], 1);
}

}  // namespace
}  // namespace nnfit::data::detail
