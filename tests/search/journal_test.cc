// The journal refuses what is not a regular file instead of reading it forever.
#include "search/journal.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "core/error.h"

namespace nnfit::search {
namespace {

namespace fs = std::filesystem;

TEST(JournalTest, RefusesAJournalThatIsNotARegularFile) {
  const fs::path dir = fs::temp_directory_path() / "nnfit_journal_special";
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const char* device : {"/dev/full", "/dev/zero"}) {  // read: endless zero bytes
    fs::remove(dir / "journal.jsonl");
    fs::create_symlink(device, dir / "journal.jsonl");
    EXPECT_THROW(Journal(dir.string(), "search"), ConfigError) << device;
  }
  fs::remove(dir / "journal.jsonl");
  ASSERT_EQ(::mkfifo((dir / "journal.jsonl").c_str(), 0600), 0);  // would block forever
  EXPECT_THROW(Journal(dir.string(), "search"), ConfigError);
  fs::remove(dir / "journal.jsonl");
  EXPECT_NO_THROW(Journal(dir.string(), "search"));  // a new journal is still created
  EXPECT_TRUE(fs::is_regular_file(dir / "journal.jsonl"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace nnfit::search
