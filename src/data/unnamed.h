// Columns without a name: the empty column a delimiter at the end of every line makes (Excel,
// some exporters), and the row index pandas' to_csv() writes under an empty header (read back
// and written again it is "Unnamed: 0"). Both are dropped with a warning: the first has no
// values, the second counts the rows, so on a sorted file it would leak the label.
#pragma once

#include <string>
#include <vector>

#include "data/cells.h"
#include "data/dataset.h"

namespace nnfit::data {

// True for a header name that is empty or pandas' "Unnamed: N".
bool is_unnamed(const std::string& name);

// The default target (the last column), skipping a last column with an empty name.
std::size_t default_target(const std::vector<std::string>& names);

namespace detail {

// After the rows are read (d.x filled, before cells.finish): drops from d each unnamed feature
// column that is empty in every row, or whose values are 0..n-1 or 1..n in row order, with
// one warning each; their names go to d.dropped. A column with a name is never dropped: to
// keep an index column, name it in the header. DataError if no feature is left.
void drop_unnamed_columns(Dataset& d, const CellReader& cells, const WarningSink& warn);

}  // namespace detail
}  // namespace nnfit::data
