// Sample-weight cells (--weight-column): each must be a finite number >= 0. Shared by the
// training reader (read_dataset) and `nnfit evaluate`, so both report a bad cell alike.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace nnfit::data {

// What is wrong with a weight cell (trimmed; missing: it is empty or a --na-values token), or ""
// when it is a finite number >= 0 under the decimal mark `decimal` (then in out).
std::string weight_problem(std::string_view cell, bool missing, char decimal, double& out);

// "FILE:LINE: weight column 'w' (3): '-1' is negative; sample weights must be finite numbers
// >= 0 (fix the cell, or drop the row)". col is 0-based.
std::string weight_error(const std::string& source, unsigned line, const std::string& column,
                         std::size_t col, const std::string& problem);

// DataError unless some weight is > 0 ("FILE: every weight in column 'w' is 0 ...").
// what: the rows meant, e.g. "the training rows".
void check_weights_not_all_zero(const Vector& w, const std::string& source,
                                const std::string& column, const std::string& what);

}  // namespace nnfit::data
