// Files that appear complete or not at all: written to `path + ".tmp-XXXXXX"` in the same
// directory, flushed to disk and renamed over `path` on commit. A failure or an exception
// before commit removes the temporary, and an existing file at `path` stays intact.
#pragma once

#include <string>
#include <string_view>

namespace nnfit::io {

class AtomicFile {
 public:
  // Creates the temporary; throws Error naming path if the directory is not writable.
  explicit AtomicFile(std::string path);
  ~AtomicFile();  // removes the temporary unless committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view text);  // throws Error naming path (e.g. disk full)
  void commit();                      // fsync and rename; throws Error naming path

 private:
  std::string path_, tmp_;
  int fd_ = -1;
  bool committed_ = false;
};

// The whole text through an AtomicFile.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace nnfit::io
