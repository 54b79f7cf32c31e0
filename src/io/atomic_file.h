// Files that appear complete or not at all: written to `target + ".tmp-XXXXXX"` in the same
// directory, flushed to disk and renamed over the target on commit. A failure or an exception
// before commit removes the temporary, and an existing file stays intact. The target is the
// path with its symbolic links followed (the link stays a link; its file is replaced, keeping
// its permission bits). A path that is not a regular file (a device such as /dev/null or
// /dev/stdout, a FIFO) is written directly instead: there is nothing to replace.
#pragma once

#include <string>
#include <string_view>

namespace nnfit::io {

class AtomicFile {
 public:
  // Creates the temporary (or opens the device); throws Error naming path if the directory is
  // not writable or path is a directory.
  explicit AtomicFile(std::string path);
  ~AtomicFile();  // removes the temporary unless committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view text);  // throws Error naming path (e.g. disk full)
  void commit();                      // fsync and rename; throws Error naming path

 private:
  std::string path_, target_, tmp_;
  int fd_ = -1;
  int slot_ = -1;  // in the registry of temporaries for remove_temporaries_now
  bool committed_ = false;
  bool direct_ = false;
};

// The whole text through an AtomicFile.
void write_file_atomically(const std::string& path, const std::string& text);

// Throws Error naming path unless an AtomicFile could be created there now: creates the
// temporary file in the destination's folder and removes it again (so a read-only or pseudo
// file system such as /proc or /sys is found), and refuses a directory and a device other
// than a terminal or /dev/null (/dev/full). For checking an output path before a long run
// rather than after it.
void check_writable(const std::string& path);

// Removes the temporary file of every live AtomicFile. Async-signal-safe (unlink only): for a
// signal handler that is about to end the process, so that no `.tmp-` file is left behind.
void remove_temporaries_now() noexcept;

}  // namespace nnfit::io
