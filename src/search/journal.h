// The journal of a search in --out-dir: a first line naming the search (a fingerprint of the
// data and options), then one JSON line per finished trial, appended and flushed to disk as
// each trial finishes. Rerunning the same search reads it and skips the finished trials, so an
// interrupted or killed search resumes where it stopped.
#pragma once

#include <map>
#include <string>

#include "search/search.h"

namespace nnfit::search {

class Journal {
 public:
  // Opens or creates DIR/journal.jsonl (creating DIR). A journal of another search (other
  // fingerprint) is a ConfigError naming both, and so is a journal that is not a regular file
  // (a link to /dev/full); an unreadable line is a DataError naming it.
  Journal(const std::string& dir, const std::string& fingerprint);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Finished trials read from the file, by trial_key(params, rung).
  const std::map<std::string, TrialResult>& finished() const { return finished_; }
  // Appends one finished trial and fsyncs. Throws Error if the disk refuses.
  void append(const TrialResult& r);

  std::string path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::map<std::string, TrialResult> finished_;
};

}  // namespace nnfit::search
