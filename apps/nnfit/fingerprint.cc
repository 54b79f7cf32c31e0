#include "fingerprint.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <vector>

#include "cli.h"

namespace nnfit::cli {
namespace {

// Frozen: the options (and order) of journals written before the hyper-parameter table. Their
// "min-epochs" was successive halving's first rung, today's --halving-min-epochs.
const std::vector<std::string> kFirstFormat{
    "data",    "delimiter", "no-header", "na-values", "decimal",      "target",  "ignore",
    "categorical", "max-categories", "impute", "val-data", "val-split", "task",  "hidden",
    "activation", "optimizer", "lr", "momentum", "batch-size", "epochs", "l1", "l2",
    "patience", "min-delta", "seed", "grid", "space", "trials", "folds", "halving", "eta",
    "halving-min-epochs"};

const std::vector<std::string> kIrrelevant{"jobs",      "results",  "out-dir", "quiet",
                                           "log-level", "max-trials", "max-time", "model",
                                           "threads",   "shard",    "no-progress", "refit",
                                           "scoring",   "select",   "json",
                                           "no-baseline", "report"};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool at_default(const CLI::App& cmd, const std::string& key) {
  const CLI::Option* opt = cmd.get_option_no_throw("--" + key);
  if (opt == nullptr || opt->count() == 0) return true;
  if (opt->get_expected_max() == 0) return !opt->as<bool>();  // a flag given as false
  return opt->results().size() == 1 && opt->results().back() == opt->get_default_str();
}

}  // namespace

std::string search_fingerprint(const CLI::App& cmd, const std::string& data_path) {
  std::map<std::string, std::string> lines;
  std::vector<std::string> order;
  std::istringstream in(effective_config(cmd));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::string key = line.substr(0, line.find(' '));
    lines[key] = line;
    order.push_back(key);
  }
  std::string out;
  for (const std::string& key : kFirstFormat) {
    const auto it = lines.find(key);
    if (it == lines.end()) continue;
    out += key == "halving-min-epochs" ? "min-epochs" + it->second.substr(key.size()) : it->second;
    out += "\n";
  }
  for (const std::string& key : order) {
    if (contains(kFirstFormat, key) || contains(kIrrelevant, key) || at_default(cmd, key)) {
      continue;
    }
    out += lines[key] + "\n";
  }
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(data_path, ec);
  if (!ec) out += "data-bytes = " + std::to_string(bytes) + "\n";
  return out;
}

}  // namespace nnfit::cli
