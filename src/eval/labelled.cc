// The chunked read of a labelled file (formerly evaluate's own loop).
#include "eval/labelled.h"

#include <algorithm>
#include <utility>

#include "core/error.h"
#include "data/text.h"
#include "data/weight_column.h"

namespace nnfit::eval {
namespace {

bool missing_label_cell(const std::string& cell, const data::CsvOptions& csv) {
  const auto& na = csv.na_values;
  return cell.empty() || std::find(na.begin(), na.end(), cell) != na.end();
}

// The weight cell of a row (file column col), checked as in training.
double weight_cell(const model::Model& m, const data::CsvOptions& csv, const std::string& raw,
                   const std::string& source, unsigned line, long col) {
  const std::string cell(data::trim(raw));
  double w = 0;
  const std::string problem =
      data::weight_problem(cell, missing_label_cell(cell, csv), csv.decimal, w);
  if (!problem.empty()) {
    throw DataError(
        data::weight_error(source, line, m.weight_column, static_cast<std::size_t>(col), problem));
  }
  return w;
}

void check_label_weights(const Labels& l, const model::Model& m) {
  if (l.weights.empty() ||
      std::any_of(l.weights.begin(), l.weights.end(), [](double v) { return v > 0; })) {
    return;
  }
  throw DataError(l.target.source + ": every weight in column " + data::quoted(m.weight_column) +
                  " is 0, so no row counts; give some rows a weight > 0 (or drop the column "
                  "to score unweighted)");
}

}  // namespace

Labels read_labelled(const model::Model& m, const std::string& path, const data::CsvOptions& csv,
                     std::size_t chunk_rows, const std::function<void(data::Dataset&&)>& on_chunk) {
  data::FeatureStream stream(path, m.features.names(), csv, {m.target_name});
  const long wcol = m.weight_column.empty() ? -1 : stream.keep_if_present(m.weight_column);
  const std::size_t per_row = wcol < 0 ? 1 : 2;
  Labels l;
  l.target.target_name = m.target_name;
  l.target.decimal = m.decimal;
  data::Dataset chunk;
  std::vector<std::string> kept;
  while (stream.next(chunk, &kept, chunk_rows)) {
    l.target.source = chunk.source;
    for (std::size_t i = 0; i < chunk.lines.size(); ++i) {
      const std::string cell(data::trim(kept[i * per_row]));
      if (missing_label_cell(cell, csv)) {
        throw DataError(chunk.source + ":" + std::to_string(chunk.lines[i]) + ": target " +
                        data::quoted(m.target_name) +
                        " is missing; every row needs a target "
                        "value to be scored");
      }
      l.target.target.push_back(cell);
      if (wcol >= 0) {
        l.weights.push_back(
            weight_cell(m, csv, kept[i * per_row + 1], chunk.source, chunk.lines[i], wcol));
      }
    }
    l.target.lines.insert(l.target.lines.end(), chunk.lines.begin(), chunk.lines.end());
    on_chunk(std::move(chunk));
  }
  check_label_weights(l, m);
  return l;
}

Matrix concat_columns(const std::vector<Matrix>& parts) {
  Index n = 0;
  for (const Matrix& p : parts) n += p.cols();
  Matrix out(parts.front().rows(), n);
  Index at = 0;
  for (const Matrix& p : parts) {
    out.middleCols(at, p.cols()) = p;
    at += p.cols();
  }
  return out;
}

}  // namespace nnfit::eval
