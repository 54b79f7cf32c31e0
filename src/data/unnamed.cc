#include "data/unnamed.h"

#include "core/error.h"
#include "data/text.h"

namespace nnfit::data {

bool is_unnamed(const std::string& name) {
  constexpr std::string_view kPandas = "Unnamed: ";
  if (name.empty()) return true;
  if (name.size() <= kPandas.size() || name.compare(0, kPandas.size(), kPandas) != 0) return false;
  return name.find_first_not_of("0123456789", kPandas.size()) == std::string::npos;
}

std::size_t default_target(const std::vector<std::string>& names) {
  const std::size_t last = names.size() - 1;
  return names[last].empty() && last > 0 ? last - 1 : last;
}

namespace detail {
namespace {

// Row f of x is 0..n-1 or 1..n (n >= 2).
bool counts_rows(const Matrix& x, Index f) {
  if (x.cols() < 2) return false;
  const float base = x(f, 0);
  if (base != 0.0f && base != 1.0f) return false;
  for (Index j = 0; j < x.cols(); ++j) {
    if (x(f, j) != base + static_cast<float>(j)) return false;
  }
  return true;
}

std::string why_dropped(const Dataset& d, std::size_t f, const CellReader& cells) {
  const std::size_t col = d.feature_columns[f];
  const auto n = static_cast<std::size_t>(d.x.cols());
  const std::string name =
      "column " + std::to_string(col + 1) +
      (d.feature_names[f].empty() ? "" : " (" + data::quoted(d.feature_names[f]) + ")");
  if (cells.missing_in(col) == n) {
    return d.source + ": " + name +
           " has no name and no values (a delimiter at the end of every line?); dropped";
  }
  if (cells.missing_in(col) == 0 && counts_rows(d.x, static_cast<Index>(f))) {
    const int base = static_cast<int>(d.x(static_cast<Index>(f), 0));
    return d.source + ": " + name + " has no name and counts the rows (" + std::to_string(base) +
           ".." + std::to_string(base + static_cast<int>(n) - 1) +
           ", a pandas to_csv() index?); dropped, since as a feature it would leak the row "
           "order; to keep it, give it a name in the header";
  }
  return "";
}

}  // namespace

void drop_unnamed_columns(Dataset& d, const CellReader& cells, const WarningSink& warn) {
  std::vector<std::size_t> keep;
  for (std::size_t f = 0; f < d.feature_names.size(); ++f) {
    const std::string why = is_unnamed(d.feature_names[f]) ? why_dropped(d, f, cells) : "";
    if (why.empty()) {
      keep.push_back(f);
      continue;
    }
    if (warn) warn(why);
    d.dropped.push_back(d.feature_names[f]);
  }
  if (keep.size() == d.feature_names.size()) return;
  if (keep.empty())
    throw DataError(d.source + ": no feature columns left after dropping unnamed ones");
  Matrix x(static_cast<Index>(keep.size()), d.x.cols());
  std::vector<std::string> names;
  std::vector<std::size_t> columns;
  for (std::size_t k = 0; k < keep.size(); ++k) {
    x.row(static_cast<Index>(k)) = d.x.row(static_cast<Index>(keep[k]));
    names.push_back(d.feature_names[keep[k]]);
    columns.push_back(d.feature_columns[keep[k]]);
  }
  d.x = std::move(x);
  d.feature_names = std::move(names);
  d.feature_columns = std::move(columns);
}

}  // namespace detail
}  // namespace nnfit::data
