// Transparent huge pages for the large buffers of loading a file.
#pragma once

#include <cstddef>

namespace nnfit::data::detail {

// For a buffer of many MiB that is written front to back (the feature matrix, the line reader's
// windows): asks the kernel to back the pages of [p, p + bytes) with transparent huge pages as
// they are first touched, one page fault per 2 MiB instead of per 4 KiB (on some virtual
// machines those faults cost as much as the parsing). Linux, where the system allows it (THP
// "madvise" or "always"); otherwise, or for less than kMinHugeBytes, nothing happens. Pages never
// touched still cost no memory. The advice splits the mapping where it does not cover all of it,
// after which growing the buffer by realloc copies it: advise a buffer that is not grown again.
constexpr std::size_t kMinHugeBytes = std::size_t{8} << 20;
void advise_huge_pages(void* p, std::size_t bytes);

}  // namespace nnfit::data::detail
