#include "output_paths.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <optional>

#include "core/error.h"
#include "io/atomic_file.h"

namespace nnfit::cli {
namespace {

bool skipped(const PathFlag& p) { return p.path.empty() || p.path == "-"; }

// Device and inode of the regular file at path (links followed), or for "-" of the file open
// on std_fd (`--data - < v.csv`, `--output - >> v.csv`); nothing if it is not a regular file.
std::optional<std::pair<dev_t, ino_t>> regular_file_id(const std::string& path, int std_fd) {
  struct stat st {};
  const int rc = path == "-" ? ::fstat(std_fd, &st) : ::stat(path.c_str(), &st);
  if (rc != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return std::make_pair(st.st_dev, st.st_ino);
}

// What names one output file: its inode if it exists, else its path made absolute and normal
// (links in the existing part resolved). Empty for a device or FIFO, which may be shared.
std::string output_identity(const std::string& path) {
  if (const auto id = regular_file_id(path, STDOUT_FILENO)) {
    return "inode " + std::to_string(id->first) + ":" + std::to_string(id->second);
  }
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return "";
  const auto normal = std::filesystem::weakly_canonical(std::filesystem::absolute(path), ec);
  return ec ? "" : "path " + normal.string();
}

std::string shown(const PathFlag& p, const char* stream) {
  return p.flag + " '" + p.path + "'" + (p.path == "-" ? std::string(" (") + stream + ")" : "");
}

[[noreturn]] void same_file(const PathFlag& out, const PathFlag& other, bool other_is_input) {
  throw ConfigError(shown(out, "standard output") + " is the same file as " +
                    (other_is_input ? shown(other, "standard input") +
                                          ", which is read: writing it would destroy the input"
                                    : shown(other, "standard output") + ", which is written too") +
                    "; nothing was written: give " + out.flag + " another path");
}

}  // namespace

void check_output_paths(const std::vector<PathFlag>& inputs, const std::vector<PathFlag>& outputs) {
  std::vector<std::string> seen(outputs.size());
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const PathFlag& out = outputs[i];
    if (out.path.empty()) continue;
    if (const auto id = regular_file_id(out.path, STDOUT_FILENO)) {
      for (const PathFlag& in : inputs) {
        if (!in.path.empty() && regular_file_id(in.path, STDIN_FILENO) == id) {
          same_file(out, in, true);
        }
      }
    }
    if (out.path == "-") continue;
    seen[i] = output_identity(out.path);
    for (std::size_t k = 0; k < i; ++k) {
      if (!seen[i].empty() && seen[k] == seen[i]) {
        same_file(out, outputs[k], false);
      }
    }
  }
  for (const PathFlag& out : outputs) {
    if (skipped(out) || !out.probe) continue;
    try {
      io::check_writable(out.path);
    } catch (const Error& e) {
      throw Error(out.flag + ": " + e.what());  // exit 1, as when found late
    }
  }
}

std::vector<PathFlag> out_dir_paths(const std::string& dir) {
  if (dir.empty()) return {};
  std::error_code ec;
  const bool exists = std::filesystem::is_directory(dir, ec);
  std::vector<PathFlag> paths;
  for (const char* name : {"journal.jsonl", "config.toml", "best-trial.nnfit", "results.csv"}) {
    paths.push_back({std::string("--out-dir (") + name + ")",
                     (std::filesystem::path(dir) / name).string(), exists});
  }
  return paths;
}

}  // namespace nnfit::cli
