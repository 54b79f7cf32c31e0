// io::AtomicFile: complete or nothing, symbolic links followed, permission bits kept, devices and
// FIFOs written directly, temporaries removable from a signal handler.
#include "io/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/error.h"

namespace nnfit::io {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("nnfit_atomic_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  static std::string read(const std::string& p) {
    std::ifstream in(p);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::size_t files() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), fs::directory_iterator{}));
  }
  fs::path dir_;
};

TEST_F(AtomicFileTest, AppearsOnlyOnCommitAndLeavesTheOldFileOnFailure) {
  std::ofstream(path("f")) << "old";
  {
    AtomicFile f(path("f"));
    f.write("new");
    EXPECT_EQ(read(path("f")), "old");
  }  // no commit: the temporary is removed
  EXPECT_EQ(read(path("f")), "old");
  EXPECT_EQ(files(), 1u);
  write_file_atomically(path("f"), "new");
  EXPECT_EQ(read(path("f")), "new");
  EXPECT_EQ(files(), 1u);
}

TEST_F(AtomicFileTest, FollowsSymbolicLinksAndKeepsPermissionBits) {
  std::ofstream(path("real")) << "old";
  ::chmod(path("real").c_str(), 0600);
  fs::create_symlink("real", path("link"));
  write_file_atomically(path("link"), "new");
  EXPECT_TRUE(fs::is_symlink(path("link")));  // still a link ...
  EXPECT_EQ(read(path("real")), "new");       // ... to the replaced file
  struct stat st {};
  ASSERT_EQ(::stat(path("real").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  // A dangling link: its target is created, the link kept.
  fs::create_symlink("later", path("dangling"));
  write_file_atomically(path("dangling"), "x");
  EXPECT_TRUE(fs::is_symlink(path("dangling")));
  EXPECT_EQ(read(path("later")), "x");
}

TEST_F(AtomicFileTest, WritesAFifoDirectly) {
  ASSERT_EQ(::mkfifo(path("fifo").c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] { got = read(path("fifo")); });
  write_file_atomically(path("fifo"), "through the pipe");
  reader.join();
  EXPECT_EQ(got, "through the pipe");
  struct stat st {};
  ASSERT_EQ(::lstat(path("fifo").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));  // not replaced by a regular file
}

TEST_F(AtomicFileTest, DirectoriesAndMissingFoldersAreErrors) {
  EXPECT_THROW(write_file_atomically(dir_.string(), "x"), Error);
  EXPECT_THROW(check_writable(dir_.string()), Error);
  EXPECT_THROW(check_writable(path("nowhere/f")), Error);
  EXPECT_NO_THROW(check_writable(path("f")));
  EXPECT_FALSE(fs::exists(path("f")));  // checking creates nothing
}

TEST_F(AtomicFileTest, CheckWritableFindsUnwritablePlacesBeforeAnyWrite) {
  // Pseudo and read-only file systems refuse the temporary; a device that is not a terminal
  // or /dev/null is refused outright (/dev/full would fail only at the first write).
  EXPECT_THROW(check_writable("/proc/nnfit-probe"), Error);
  EXPECT_THROW(check_writable("/sys/nnfit-probe"), Error);
  EXPECT_THROW(check_writable("/dev/full"), Error);
  EXPECT_NO_THROW(check_writable("/dev/null"));
  ASSERT_EQ(::mkfifo(path("fifo").c_str(), 0600), 0);
  EXPECT_NO_THROW(check_writable(path("fifo")));  // not opened: that would wait for a reader
  EXPECT_NO_THROW(check_writable(path("new")));
  EXPECT_EQ(files(), 1u);  // the FIFO: the probe's temporary is gone
}

TEST_F(AtomicFileTest, RemoveTemporariesNowDeletesUnfinishedFiles) {
  AtomicFile a(path("a")), b(path("b"));
  a.write("partial");
  EXPECT_EQ(files(), 2u);  // the two temporaries
  remove_temporaries_now();
  EXPECT_EQ(files(), 0u);
}

}  // namespace
}  // namespace nnfit::io
