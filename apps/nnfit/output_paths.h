// The files a command reads and writes, checked before any work: an output that is the same
// file as an input (or as another output) would destroy it, and an output that cannot be
// written should be found now, not after an hour of training.
#pragma once

#include <string>
#include <vector>

namespace nnfit::cli {

struct PathFlag {
  std::string flag;   // as the user wrote it, e.g. "--model" or "--out-dir (journal.jsonl)"
  std::string path;   // "" is skipped; "-" is stdin (inputs) or stdout (outputs)
  bool probe = true;  // outputs: also check it can be written (io::check_writable)
};

// Throws ConfigError (exit 2) naming both flags and paths if an output is the same file as a
// regular-file input (same device and inode: links, other spellings, and stdin or stdout
// redirected to the file are caught) or as
// another output; throws Error (exit 1, "unwritable output") naming the flag and path if a
// probed output cannot be written. Leaves nothing behind.
void check_output_paths(const std::vector<PathFlag>& inputs, const std::vector<PathFlag>& outputs);

// The files gridsearch keeps in --out-dir DIR (journal.jsonl, config.toml, best-trial.nnfit,
// results.csv), as "--out-dir (NAME)"; probed only if DIR exists (else it is created later).
// None for an empty dir.
std::vector<PathFlag> out_dir_paths(const std::string& dir);

}  // namespace nnfit::cli
