// The bundled iris file prepared as one search data set (target species, split from seed 1),
// shared by the search tests.
#pragma once

#include "data/dataset.h"
#include "testing/paths.h"
#include "train/pipeline.h"

namespace nnfit::search::fixtures {

inline train::PreparedData prepared_iris() {
  train::DataOptions d;
  d.target = "species";
  const data::Dataset iris = data::read_dataset(test::data_path("iris.csv"), "species");
  Rng rng(1);
  return train::prepare_data(iris, nullptr, d, rng);
}

}  // namespace nnfit::search::fixtures
