#include "io/atomic_file.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
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

// The temporaries that a signal handler removes: fixed slots, so registering allocates nothing
// the handler could see half-built. state: 0 free, 1 being filled, 2 live.
struct Slot {
  std::atomic<int> state{0};
  char path[PATH_MAX];
};
std::array<Slot, 16> g_slots;

int register_temporary(const std::string& tmp) {
  if (tmp.size() >= PATH_MAX) return -1;
  for (std::size_t i = 0; i < g_slots.size(); ++i) {
    int expected = 0;
    if (g_slots[i].state.compare_exchange_strong(expected, 1)) {
      std::memcpy(g_slots[i].path, tmp.c_str(), tmp.size() + 1);
      g_slots[i].state.store(2);
      return static_cast<int>(i);
    }
  }
  return -1;  // more than 16 at once: this one is not removed on a signal
}

void unregister_temporary(int slot) {
  if (slot >= 0) g_slots[static_cast<std::size_t>(slot)].state.store(0);
}

// Paths that name a stream of this process: always written directly.
bool is_stream_path(const std::string& p) {
  return p == "/dev/stdout" || p == "/dev/stderr" || p.rfind("/dev/fd/", 0) == 0 ||
         p.rfind("/proc/self/fd/", 0) == 0;
}

// p with its symbolic links followed, also a dangling one (whose target is then created).
std::string resolve_links(std::string p) {
  for (int depth = 0; depth < 40; ++depth) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
    char buf[PATH_MAX];
    const ssize_t n = ::readlink(p.c_str(), buf, sizeof buf - 1);
    if (n < 0) return p;
    std::string target(buf, static_cast<std::size_t>(n));
    if (target[0] != '/') {
      const auto slash = p.rfind('/');
      if (slash != std::string::npos) target = p.substr(0, slash + 1) + target;
    }
    p = target;
  }
  cannot_write(p, ELOOP);
}

// What is at path: *exists and *st from stat(2); true if path is written directly (a stream of
// this process, a device, a FIFO) rather than replaced. A directory is an Error.
bool written_directly(const std::string& path, struct stat& st, bool& exists) {
  exists = ::stat(path.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) cannot_write(path, EISDIR);
  return is_stream_path(path) || (exists && !S_ISREG(st.st_mode));
}

}  // namespace

void remove_temporaries_now() noexcept {
  for (Slot& s : g_slots) {
    if (s.state.load() == 2) ::unlink(s.path);
  }
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  struct stat st {};
  bool exists = false;
  if (written_directly(path_, st, exists)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) cannot_write(path_, errno);
    direct_ = true;
    return;
  }
  target_ = resolve_links(path_);
  tmp_ = target_ + ".tmp-XXXXXX";
  fd_ = mkstemp(tmp_.data());
  if (fd_ < 0) cannot_write(path_, errno, " (does the directory exist and is it writable?)");
  slot_ = register_temporary(tmp_);
  if (exists) {  // keep the replaced file's permission bits (and owner, where allowed)
    ::fchmod(fd_, st.st_mode & 07777);
    if (::fchown(fd_, st.st_uid, st.st_gid) != 0) {
      // Not permitted for other owners unless root: the new file is the writer's.
    }
  } else {  // mkstemp creates 0600; give a new file the usual mode
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd_, 0666 & ~mask);
  }
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !direct_) std::remove(tmp_.c_str());
  unregister_temporary(slot_);
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
  const int fd = fd_;
  fd_ = -1;
  if (direct_) {
    committed_ = true;
    if (::close(fd) != 0) cannot_write(path_, errno);
    return;
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    cannot_write(path_, err);
  }
  if (::close(fd) != 0) cannot_write(path_, errno);
  if (std::rename(tmp_.c_str(), target_.c_str()) != 0) cannot_write(path_, errno);
  committed_ = true;
}

void write_file_atomically(const std::string& path, const std::string& text) {
  AtomicFile file(path);
  file.write(text);
  file.commit();
}

namespace {

// A path written directly (see written_directly) that is no place for a file is refused now:
// a device other than a terminal or /dev/null (/dev/full, a disk), or one this process may
// not open for writing. A FIFO is not opened (that would wait for its reader).
void check_direct(const std::string& path, const struct stat& st, bool exists) {
  if (!exists || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) return;
  const int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) cannot_write(path, errno);
  const bool terminal = ::isatty(fd) == 1;
  ::close(fd);
  struct stat null_st {};
  const bool is_null =
      ::stat("/dev/null", &null_st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == null_st.st_rdev;
  if (S_ISREG(st.st_mode) || terminal || is_null) return;
  throw Error("cannot write '" + path + "': it is a device, not a file (only a regular file, " +
              "a FIFO, a terminal or /dev/null can take the output)");
}

}  // namespace

void check_writable(const std::string& path) {
  struct stat st {};
  bool exists = false;
  if (written_directly(path, st, exists)) {
    check_direct(path, st, exists);
    return;
  }
  // The temporary an AtomicFile would create, created and removed: finds a read-only or
  // pseudo file system (/proc, /sys), a missing folder or a full inode table now.
  std::string tmp = resolve_links(path) + ".tmp-XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) cannot_write(path, errno, " (does the directory exist and is it writable?)");
  ::close(fd);
  ::unlink(tmp.c_str());
}

}  // namespace nnfit::io
