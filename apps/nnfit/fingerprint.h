// What identifies a search for its journal (--out-dir): the effective options that change its
// trials, as text. Options that change nothing (jobs, paths, logging, budgets) are left out.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace nnfit::cli {

// The options of the first journal format keep their lines, in their order, always; every
// option added since counts only when it differs from its default, so adding an option never
// orphans an existing --out-dir. data_path's size is appended (a changed file is another search).
std::string search_fingerprint(const CLI::App& cmd, const std::string& data_path);

}  // namespace nnfit::cli
