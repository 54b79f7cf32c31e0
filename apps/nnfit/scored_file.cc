#include "scored_file.h"

#include <utility>

#include "data/target.h"
#include "eval/labelled.h"

namespace nnfit::cli {

ScoredFile score_file(const model::Model& m, const std::string& path, const CsvFlags& flags,
                      const std::string& command) {
  data::CsvOptions csv = model_csv_options(flags, m);
  csv.keep_reason = "the model's target, which " + command + " scores the predictions against";
  data::UnseenCategories unseen;
  std::vector<Matrix> parts;
  eval::Labels labels = eval::read_labelled(m, path, csv, kChunkRows, [&](data::Dataset&& chunk) {
    parts.push_back(model::predict_outputs(m, std::move(chunk), csv.warn, &unseen));
  });
  unseen.warn(csv.warn);
  ScoredFile s;
  s.outputs = eval::concat_columns(parts);
  s.truth = data::encode_target(labels.target, m.target);
  s.weights = std::move(labels.weights);
  s.labels = std::move(labels.target);
  return s;
}

}  // namespace nnfit::cli
