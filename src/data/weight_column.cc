// Sample-weight cells (see weight_column.h).
#include "data/weight_column.h"

#include <cmath>

#include "core/error.h"
#include "data/csv.h"
#include "data/text.h"

namespace nnfit::data {

std::string weight_problem(std::string_view cell, bool missing, char decimal, double& out) {
  if (missing) return cell.empty() ? "cell is empty" : data::quoted(cell) + " is missing";
  const NumberStatus status = parse_number_status(cell, out, decimal);
  if (status != NumberStatus::kOk) return data::quoted(cell) + number_problem(status);
  if (out < 0) return data::quoted(cell) + " is negative";
  return "";
}

std::string weight_error(const std::string& source, unsigned line, const std::string& column,
                         std::size_t col, const std::string& problem) {
  return source + ":" + std::to_string(line) + ": weight column " + data::quoted(column) + " (" +
         std::to_string(col + 1) + "): " + problem +
         "; sample weights must be finite numbers >= 0 (fix the cell, or drop the row)";
}

void check_weights_not_all_zero(const Vector& w, const std::string& source,
                                const std::string& column, const std::string& what) {
  if (w.size() == 0 || (w.array() > 0).any()) return;
  throw DataError(source + ": every weight in column " + data::quoted(column) + " of " + what +
                  " is 0, so they carry no information; give some rows a weight > 0 (or drop "
                  "--weight-column)");
}

}  // namespace nnfit::data
