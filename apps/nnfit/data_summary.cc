#include "data_summary.h"

#include <spdlog/spdlog.h>

namespace nnfit::cli {

train::InputSummary describe_read(const train::InputData& in) {
  return train::describe_inputs(in, spdlog::should_log(spdlog::level::debug));
}

void log_inputs(train::InputSummary s, const train::PreparedData& p, int folds) {
  train::describe_prepared(s, p, folds);
  const train::SummaryText text = train::summary_text(s);
  for (const std::string& line : text.info) spdlog::info("{}", line);
  for (const std::string& line : text.debug) spdlog::debug("{}", line);
  for (const std::string& line : text.warnings) spdlog::warn("{}", line);
}

}  // namespace nnfit::cli
