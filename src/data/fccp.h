// The one place that includes fast-cpp-csv-parser (libfccp-dev), with the warning it trips.
#pragma once

// GCC's -Wstringop-truncation fires on the header's deliberate strncpy when it is inlined.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#endif
#include <libfccp/csv.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
