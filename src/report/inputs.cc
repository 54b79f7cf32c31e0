#include "report/inputs.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <numeric>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "data/csv.h"

namespace nnfit::report {
namespace {

// reader.next, with the CSV reader's errors (quotes, bytes) saying which file was expected.
bool next(data::CsvReader& reader, std::vector<std::string_view>& f, const std::string& what) {
  try {
    return reader.next(f);
  } catch (const DataError& e) {
    throw DataError(std::string(e.what()) + "; expected " + what);
  }
}

Table read_table(data::CsvReader& reader, const std::string& what) {
  Table t;
  t.source = reader.source();
  std::vector<std::string_view> f;
  if (!next(reader, f, what)) throw DataError(t.source + ": empty file; expected " + what);
  for (auto v : f) t.header.emplace_back(v);
  while (next(reader, f, what)) {
    if (f.size() == 1 && f[0].empty()) continue;  // a blank line
    if (f.size() != t.header.size()) {
      throw DataError(t.source + ":" + std::to_string(reader.line()) + ": " +
                      std::to_string(f.size()) + " fields, expected " +
                      std::to_string(t.header.size()) + " (as the header); is it " + what + "?");
    }
    t.rows.emplace_back(f.begin(), f.end());
  }
  return t;
}

void require(const Table& t, const std::vector<std::string>& columns, const std::string& what) {
  for (const auto& c : columns) {
    if (t.column(c) < 0) {
      throw DataError(t.source + ":1: no column '" + c + "'; expected " + what);
    }
  }
}

// A cell as a number; "" is NaN. DataError naming file, line and column otherwise.
double number(const Table& t, std::size_t row, long col) {
  const std::string& s = t.rows[row][static_cast<std::size_t>(col)];
  if (s.empty()) return std::numeric_limits<double>::quiet_NaN();
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (*end != '\0') {
    throw DataError(t.source + ":" + std::to_string(row + 2) + ": column '" +
                    t.header[static_cast<std::size_t>(col)] + "': '" + s +
                    "' is not a number; was the file edited?");
  }
  return v;
}

const char* kHistory = "the learning-curve CSV of nnfit train --history";
const char* kResults = "a results table of nnfit gridsearch (--results, or results.csv in --out-dir)";

History to_history(const Table& t) {
  require(t, {"epoch", "train_loss", "val_loss", "lr"}, kHistory);
  if (t.header.size() < 5) throw DataError(t.source + ":1: expected " + std::string(kHistory));
  History h;
  h.source = t.source;
  h.metric = t.header[3];
  const std::pair<const char*, std::vector<double>*> cols[] = {
      {"epoch", &h.epoch}, {"train_loss", &h.train_loss}, {"val_loss", &h.val_loss},
      {"lr", &h.lr}};
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    for (const auto& [name, v] : cols) v->push_back(number(t, r, t.column(name)));
    h.val_metric.push_back(number(t, r, 3));
  }
  if (h.epoch.empty()) throw DataError(t.source + ": no epochs; expected " + std::string(kHistory));
  return h;
}

std::string read_text(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw DataError("cannot open '" + path + "': " + std::strerror(errno) + "; give " + what);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

long Table::column(const std::string& name) const {
  const auto it = std::find(header.begin(), header.end(), name);
  return it == header.end() ? -1 : static_cast<long>(it - header.begin());
}

History read_history(const std::string& name, std::istream& in) {
  data::CsvReader reader(name, in);
  return to_history(read_table(reader, kHistory));
}

History read_history(const std::string& path) {
  data::CsvReader reader(path);
  return to_history(read_table(reader, kHistory));
}

Table read_results(const std::string& name, std::istream& in) {
  data::CsvReader reader(name, in);
  Table t = read_table(reader, kResults);
  require(t, {"trial", "status", "val_loss"}, kResults);
  return t;
}

Table read_results(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError("cannot open '" + path + "': " + std::strerror(errno) + "; give " + kResults);
  return read_results(path, in);
}

std::vector<std::string> searched_keys(const Table& t) {
  std::vector<std::string> keys;
  for (std::size_t i = static_cast<std::size_t>(t.column("trial")) + 1; i < t.header.size(); ++i) {
    if (t.header[i] == "rung" || t.header[i] == "status") break;
    keys.push_back(t.header[i]);
  }
  return keys;
}

std::vector<JournalTrial> read_journal(const std::string& path) {
  std::istringstream in(read_text(path, "the journal.jsonl of a gridsearch --out-dir"));
  std::vector<JournalTrial> trials;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (n == 1 || line.empty()) continue;  // the fingerprint
    try {
      const nlohmann::json j = nlohmann::json::parse(line);
      JournalTrial t;
      for (const auto& [k, v] : j.at("params").items()) {
        t.params += (t.params.empty() ? "" : " ") + k + "=" + v.get<std::string>();
      }
      t.rung = j.value("rung", 0);
      t.budget = j.value("budget", 0);
      t.diverged = j.value("diverged", false);
      t.val_loss = t.diverged ? NAN : j.at("val_loss").get<double>();
      trials.push_back(t);
    } catch (const nlohmann::json::exception& e) {
      throw DataError(path + ":" + std::to_string(n) + ": not a trial of a gridsearch journal (" +
                      e.what() + ")");
    }
  }
  return trials;
}

Importance parse_importance(const std::string& source, const std::string& text) {
  const std::string what =
      "; expected the JSON of nnfit importance --json ({\"metric\", \"baseline\", \"columns\": "
      "[{\"column\", \"mean\", \"std\", \"drops\"}]})";
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw DataError(source + ": not JSON (" + e.what() + ")" + what);
  }
  Importance imp;
  imp.source = source;
  try {
    imp.metric = j.at("metric").get<std::string>();
    imp.higher_is_better = j.value("higher_is_better", true);
    imp.baseline = j.at("baseline").get<double>();
    imp.repeats = j.value("repeats", 0);
    imp.seed = j.value("seed", 0LL);
    imp.rows = j.value("rows", 0LL);
    for (const auto& c : j.at("columns")) {
      imp.columns.push_back({c.at("column").get<std::string>(), c.at("mean").get<double>(),
                             c.value("std", 0.0), c.value("drops", std::vector<double>{})});
    }
  } catch (const nlohmann::json::exception& e) {
    throw DataError(source + ": " + e.what() + what);
  }
  if (imp.columns.empty()) throw DataError(source + ": no columns" + what);
  return imp;
}

Importance read_importance(const std::string& path) {
  return parse_importance(path, read_text(path, "the JSON of nnfit importance --json"));
}

RocCurve roc_curve(const std::vector<double>& scores, const std::vector<bool>& positive) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  const double p = static_cast<double>(std::count(positive.begin(), positive.end(), true));
  const double n = static_cast<double>(positive.size()) - p;
  if (p == 0 || n == 0) return {};
  RocCurve c{{0}, {0}};
  double tp = 0, fp = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    (positive[order[i]] ? tp : fp) += 1;
    if (i + 1 < order.size() && scores[order[i + 1]] == scores[order[i]]) continue;
    c.fpr.push_back(fp / n);
    c.tpr.push_back(tp / p);
  }
  return c;
}

}  // namespace nnfit::report
