#include "io/atomic_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/error.h"

namespace nnfit::io {
namespace {

[[noreturn]] void cannot_write(const std::string& path, int err, const char* hint = "") {
  throw Error("cannot write '" + path + "': " + std::strerror(err) + hint);
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)), tmp_(path_ + ".tmp-XXXXXX") {
  fd_ = mkstemp(tmp_.data());
  if (fd_ < 0) cannot_write(path_, errno, " (does the directory exist and is it writable?)");
  const mode_t mask = ::umask(0);  // mkstemp creates 0600; give the file the usual mode
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) std::remove(tmp_.c_str());
}

void AtomicFile::write(std::string_view text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) cannot_write(path_, n < 0 ? errno : ENOSPC);
    done += static_cast<std::size_t>(n);
  }
}

void AtomicFile::commit() {
  if (::fsync(fd_) != 0) cannot_write(path_, errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) cannot_write(path_, errno);
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) cannot_write(path_, errno);
  committed_ = true;
}

void write_file_atomically(const std::string& path, const std::string& text) {
  AtomicFile file(path);
  file.write(text);
  file.commit();
}

}  // namespace nnfit::io
