#include "search/journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <vector>

#include "core/error.h"
#include "search/select.h"

namespace nnfit::search {

namespace {

// A journal written before the defaults became adam (2026-12-04) says optimizer = "sgd" and
// lr = 0.01 where today's command says "adam" and "default", and one written before gridsearch
// --folds auto (2026-12-07) says folds = 0: name the flags that resume it.
std::string old_defaults_hint(const std::string& theirs, const std::string& ours) {
  std::string flags;
  if (theirs.find("\noptimizer = \"sgd\"\nlr = 0.01\n") != std::string::npos &&
      ours.find("\noptimizer = \"adam\"\n") != std::string::npos) {
    flags = "--optimizer sgd --lr 0.01";
  }
  if (theirs.find("\nfolds = 0\n") != std::string::npos &&
      ours.find("\nfolds = \"auto\"\n") != std::string::npos) {
    flags += std::string(flags.empty() ? "" : " ") + "--folds 0";
  }
  if (flags.empty()) return "";
  return " (it was written with nnfit's old defaults: add " + flags + " to resume it)";
}

// "key = value" lines of a fingerprint, by key.
std::map<std::string, std::string> fingerprint_lines(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const std::size_t eq = line.find(" = ");
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 3);
  }
  return out;
}

// What differs between the journal's fingerprint and this command's, e.g. "lr (journal 0.01,
// now \"default\"), data-bytes (journal 3878, now 3900)"; at most 4 keys named.
std::string differences(const std::string& theirs, const std::string& ours) {
  const auto a = fingerprint_lines(theirs), b = fingerprint_lines(ours);
  std::set<std::string> keys;
  for (const auto& [k, v] : a) keys.insert(k);
  for (const auto& [k, v] : b) keys.insert(k);
  std::vector<std::string> diff;
  for (const std::string& k : keys) {
    const auto x = a.find(k), y = b.find(k);
    const std::string was = x == a.end() ? "unset" : x->second;
    const std::string now = y == b.end() ? "unset" : y->second;
    if (was != now) diff.push_back(k + " (journal " + was + ", now " + now + ")");
  }
  std::string out;
  for (std::size_t i = 0; i < diff.size() && i < 4; ++i) out += (i ? ", " : "") + diff[i];
  if (diff.size() > 4) out += " and " + std::to_string(diff.size() - 4) + " more";
  return out;
}

using nlohmann::json;

// {"n": sets scored, "loss": [mean, sd], "accuracy": [...], ...}: every --scoring metric.
json scores_json(const TrialResult& r) {
  json j = {{"n", r.n_scored}};
  for (const Scoring s : kAllScorings) {
    j[scoring_name(s)] = {metric_value(r, s), metric_sd(r, s)};
  }
  return j;
}

// The scores of a journal line; one written before they existed knows the loss and the
// val_metric (accuracy or RMSE: both are set, the other task's is never read) and not F1 or R^2.
void read_scores(const json& j, TrialResult& r) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (!j.contains("scores")) {
    r.scores = {r.val_loss, r.val_metric, nan, r.val_metric, nan};
    r.scores_sd = {r.val_sd, nan, nan, nan, nan};
    return;
  }
  const json& s = j.at("scores");
  r.n_scored = s.at("n").get<int>();
  for (const Scoring m : kAllScorings) {
    r.scores.*score_field(m) = s.at(scoring_name(m)).at(0).get<double>();
    r.scores_sd.*score_field(m) = s.at(scoring_name(m)).at(1).get<double>();
  }
}

json to_json(const TrialResult& r) {
  json p = json::object();
  for (const auto& [k, v] : r.params) p[k] = v;
  json j = {{"params", p},
          {"seed", r.seed},
          {"val_loss", r.diverged ? json(nullptr) : json(r.val_loss)},
          {"val_sd", r.val_sd},
          {"val_metric", r.val_metric},
          {"best_epoch", r.best_epoch},
          {"epochs_run", r.epochs_run},
          {"seconds", r.seconds},
          {"diverged", r.diverged}};
  if (!r.diverged && r.n_scored > 0) j["scores"] = scores_json(r);
  if (r.rung > 0) {
    j["rung"] = r.rung;
    j["budget"] = r.budget;
  }
  return j;
}

TrialResult from_json(const json& j) {
  TrialResult r;
  for (const auto& [k, v] : j.at("params").items()) r.params.emplace_back(k, v.get<std::string>());
  r.seed = j.at("seed").get<std::uint64_t>();
  r.diverged = j.at("diverged").get<bool>();
  r.val_loss = r.diverged ? std::numeric_limits<double>::infinity() : j.at("val_loss").get<double>();
  r.val_sd = j.value("val_sd", 0.0);
  r.val_metric = j.at("val_metric").get<double>();
  r.best_epoch = j.at("best_epoch").get<int>();
  r.epochs_run = j.at("epochs_run").get<int>();
  r.seconds = j.at("seconds").get<double>();
  r.rung = j.value("rung", 0);
  r.budget = j.value("budget", 0);
  if (!r.diverged) read_scores(j, r);
  r.done = true;
  return r;
}

void write_all(int fd, const std::string& text, const std::string& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error("cannot write '" + path + "': " + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) throw Error("cannot write '" + path + "': " + std::strerror(errno));
}

}  // namespace

Journal::Journal(const std::string& dir, const std::string& fingerprint)
    : path_((std::filesystem::path(dir) / "journal.jsonl").string()) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error("cannot create --out-dir '" + dir + "': " + ec.message());
  const auto status = std::filesystem::status(path_, ec);  // links followed
  const bool existed = std::filesystem::exists(status);
  if (existed && !std::filesystem::is_regular_file(status)) {
    // A device (/dev/full, /dev/zero) or FIFO would be read forever or block: refuse it.
    throw ConfigError("'" + path_ + "' is not a regular file (a device, FIFO or folder, or a " +
                      "link to one); the journal must be a file: remove it or use another " +
                      "--out-dir");
  }
  if (existed) {
    std::ifstream in(path_);
    std::string line;
    unsigned number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (line.empty()) continue;
      json j;
      try {
        j = json::parse(line);
        if (number == 1) {
          const std::string theirs = j.at("search").get<std::string>();
          if (theirs != fingerprint) {
            throw ConfigError("'" + path_ + "' is the journal of another search: " +
                              differences(theirs, fingerprint) +
                              " differ; use another --out-dir, or delete it to start over" +
                              old_defaults_hint(theirs, fingerprint));
          }
          continue;
        }
        TrialResult r = from_json(j);
        const std::string key = trial_key(r.params, r.rung);
        finished_[key] = std::move(r);
      } catch (const json::exception& e) {
        // A line cut short by a crash while it was written: the trial simply reruns.
        if (in.peek() == EOF) break;
        throw DataError(path_ + ":" + std::to_string(number) + ": unreadable journal line (" +
                        e.what() + "); delete the line or the file");
      }
    }
  }
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  if (fd_ < 0) throw Error("cannot open '" + path_ + "': " + std::strerror(errno));
  if (!existed) write_all(fd_, json{{"search", fingerprint}}.dump() + "\n", path_);
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::append(const TrialResult& r) {
  write_all(fd_, to_json(r).dump() + "\n", path_);
  finished_[trial_key(r.params, r.rung)] = r;
}

}  // namespace nnfit::search
