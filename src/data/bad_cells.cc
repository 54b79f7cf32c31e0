#include "data/bad_cells.h"

#include "core/error.h"

namespace nnfit::data::detail {

void BadCells::throw_if_any() const {
  if (count_ == 0) return;
  const std::size_t more = count_ - 1;
  const std::string others =
      std::to_string(more) + " more bad cell" + (more == 1 ? "" : "s") + " in this file";
  if (!later_.empty()) {
    throw DataError(message_ + " (" + (more == 0 ? "" : others + " before it; ") +
                    "then a later error stopped the reading: " + later_ + ")");
  }
  if (more == 0) throw DataError(message_);
  throw DataError(message_ + " (" + others + " after fixing it)");
}

}  // namespace nnfit::data::detail
