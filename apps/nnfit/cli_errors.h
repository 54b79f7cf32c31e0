// CLI11's parse errors in nnfit's format, `<what> (<where>); <what to do>` (the logger adds
// "error: "), and validators whose messages say what a valid value is.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace nnfit::cli {

// The one-line message for a parse error of the command line; app is the top-level app (its
// parsed subcommands say where the error is).
std::string parse_error_message(const CLI::App& app, const CLI::ParseError& e);

// What is wrong with the value CLI11 rejected for opt ("not a number"), for a ConversionError
// or ValidationError raised while setting opt, and a hint ("did you mean relu?") or "".
struct Problem {
  std::string what, hint;
};
Problem value_problem(const CLI::Option& opt, const CLI::ParseError& e);

// "nnfit gridsearch merge": the command's name after its parents'.
std::string command_path(const CLI::App& cmd);

// The name among names closest to s by edit distance, or "" if none is close enough to be a
// likely typo.
std::string closest_name(const std::string& s, const std::vector<std::string>& names);

// A whole number in [0, max] written in decimal: unlike CLI11's own conversion, which clamps
// 18446744073709551616 to the maximum and reads 010 as octal.
CLI::Validator whole_number(std::uint64_t max);

}  // namespace nnfit::cli
