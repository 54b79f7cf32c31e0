#include "scored_file.h"

#include <algorithm>

#include "core/error.h"
#include "data/target.h"
#include "data/text.h"
#include "data/weight_column.h"

namespace nnfit::cli {
namespace {

// The weight cell of a row (kept cell `cell`, file column col), checked as in training.
double weight_cell(const model::Model& m, const data::CsvOptions& csv, const std::string& raw,
                   const std::string& source, unsigned line, long col) {
  const std::string cell(data::trim(raw));
  const auto& na = csv.na_values;
  const bool missing = cell.empty() || std::find(na.begin(), na.end(), cell) != na.end();
  double w = 0;
  const std::string problem = data::weight_problem(cell, missing, csv.decimal, w);
  if (!problem.empty()) {
    throw DataError(
        data::weight_error(source, line, m.weight_column, static_cast<std::size_t>(col), problem));
  }
  return w;
}

// The model's outputs for every row of the file, and the rows' target cells (in `labels`).
// With a model weight column that the file has, each row's weight goes to *weights (else it
// stays empty).
Matrix predict_file(const model::Model& m, const std::string& path, const CsvFlags& flags,
                    data::Dataset& labels, std::vector<double>* weights) {
  data::CsvOptions csv = model_csv_options(flags, m);
  csv.keep_reason = "the model's target, which evaluate scores the predictions against";
  data::FeatureStream stream(path, m.features.names(), csv, {m.target_name});
  const long wcol = m.weight_column.empty() ? -1 : stream.keep_if_present(m.weight_column);
  const std::size_t per_row = wcol < 0 ? 1 : 2;
  data::Dataset chunk;
  std::vector<std::string> kept;
  data::UnseenCategories unseen;
  std::vector<Matrix> parts;
  Index n = 0;
  while (stream.next(chunk, &kept, kChunkRows)) {
    labels.source = chunk.source;
    for (std::size_t i = 0; i < chunk.lines.size(); ++i) {
      const std::string cell(data::trim(kept[i * per_row]));
      const auto& na = csv.na_values;
      if (cell.empty() || std::find(na.begin(), na.end(), cell) != na.end()) {
        throw DataError(chunk.source + ":" + std::to_string(chunk.lines[i]) + ": target " +
                        data::quoted(m.target_name) + " is missing; every row needs a target "
                        "value to be scored");
      }
      labels.target.push_back(cell);
      if (wcol >= 0) {
        weights->push_back(
            weight_cell(m, csv, kept[i * per_row + 1], chunk.source, chunk.lines[i], wcol));
      }
    }
    labels.lines.insert(labels.lines.end(), chunk.lines.begin(), chunk.lines.end());
    parts.push_back(model::predict_outputs(m, std::move(chunk), csv.warn, &unseen));
    n += parts.back().cols();
  }
  unseen.warn(csv.warn);
  Matrix out(parts.front().rows(), n);
  Index at = 0;
  for (const Matrix& p : parts) {
    out.middleCols(at, p.cols()) = p;
    at += p.cols();
  }
  return out;
}

}  // namespace

ScoredFile score_file(const model::Model& m, const std::string& path, const CsvFlags& flags) {
  ScoredFile s;
  s.labels.target_name = m.target_name;
  s.labels.decimal = m.decimal;
  s.outputs = predict_file(m, path, flags, s.labels, &s.weights);
  s.truth = data::encode_target(s.labels, m.target);
  return s;
}

}  // namespace nnfit::cli
