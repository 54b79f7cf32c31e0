// Config files: TOML read with toml++ (libtomlplusplus-dev), which decodes escapes, rejects
// duplicate keys and reports syntax errors with their line and column (CLI11 2.1's own reader
// does none of these), and the effective configuration written back as TOML.
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cli.h"
#include "cli_errors.h"
#include "core/error.h"

namespace nnfit::cli {
namespace {

std::string where(const std::string& path, const toml::source_region& r) {
  return path + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}
std::string where(const std::string& path, const toml::node& node) {
  return where(path, node.source());
}

// The file's lines, for the literal text of floats.
using Lines = std::vector<std::string>;

// A float as written in the file (without '_' separators), so that `1e-4` stays `1e-4` and a
// config written by --print-config reads back to the same text; the shortest round-trip form
// if the literal cannot be found.
std::string float_text(const toml::node& node, double d, const Lines& lines) {
  const toml::source_region& r = node.source();
  if (r.begin.line == r.end.line && r.begin.line >= 1 && r.begin.line <= lines.size() &&
      r.end.column > r.begin.column) {
    const std::string& line = lines[r.begin.line - 1];
    if (r.end.column - 1 <= line.size()) {
      std::string text = line.substr(r.begin.column - 1, r.end.column - r.begin.column);
      text.erase(std::remove(text.begin(), text.end(), '_'), text.end());
      return text;
    }
  }
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, res.ptr);
}

// A scalar as the text CLI11 parses: strings as they are, integers in decimal, floats as
// written, booleans as true/false.
std::string scalar_text(const toml::node& node, const std::string& context, const Lines& lines) {
  if (auto s = node.value_exact<std::string>()) return *s;
  if (auto i = node.value_exact<std::int64_t>()) return std::to_string(*i);
  if (auto b = node.value_exact<bool>()) return *b ? "true" : "false";
  if (auto d = node.value_exact<double>()) return float_text(node, *d, lines);
  throw ConfigError(context + ": expected a string, number or boolean");
}

// The values of one key: a scalar, or the elements of an array (one value each for a
// repeatable option such as --grid; joined by commas for a list option such as --hidden).
std::vector<std::string> values_of(const toml::node& node, const CLI::Option& opt,
                                   const std::string& context, const Lines& lines) {
  const toml::array* array = node.as_array();
  if (array == nullptr) return {scalar_text(node, context, lines)};
  std::vector<std::string> out;
  for (const toml::node& element : *array) out.push_back(scalar_text(element, context, lines));
  if (opt.get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll) return out;
  std::string joined;
  for (const std::string& v : out) joined += (joined.empty() ? "" : ",") + v;
  return {joined};
}

// A relative path from a config file is read from the current folder, as on the command line,
// not from the config's folder: say so when the file (or an output's folder) is not there.
void check_config_path(const std::string& config, const std::string& at, const std::string& key,
                       const std::string& value) {
  namespace fs = std::filesystem;
  static const std::set<std::string> kInputs{"data", "val-data"};
  static const std::set<std::string> kOutputs{"model", "history", "results", "report"};
  const fs::path p(value);
  const bool input = kInputs.count(key) > 0;
  if (value.empty() || value == "-" || p.is_absolute() || (!input && kOutputs.count(key) == 0)) {
    return;
  }
  const fs::path must_exist = input ? p : p.parent_path();
  if (must_exist.empty() || fs::exists(must_exist)) return;
  const fs::path beside = fs::path(config).parent_path() / p;
  throw DataError(at + ": '" + key + "' = '" + value +
                  "': " + (input ? "no such file" : "no folder '" + must_exist.string() + "'") +
                  " (relative paths in a config file are read from the current folder, " +
                  fs::current_path().string() + ", not from the config's folder); " +
                  (fs::exists(input ? beside : beside.parent_path())
                       ? "did you mean '" + beside.lexically_normal().string() + "'? "
                       : "") +
                  "run nnfit from the folder the paths are relative to, or give absolute paths");
}

// Errors about the key name it at the key, errors about the value at the value.
void apply_key(CLI::App& cmd, const std::string& path, const toml::key& toml_key,
               const toml::node& node, const Lines& lines, std::set<std::string>& seen) {
  const std::string key(toml_key.str());
  std::string name = key;
  std::replace(name.begin(), name.end(), '_', '-');
  const std::string context = where(path, toml_key.source()) + ": '" + key + "'";
  CLI::Option* opt = cmd.get_option_no_throw("--" + name);
  if (opt == nullptr || name == "config" || name == "help") {
    throw ConfigError(context + " is not an option of nnfit " + cmd.get_name() +
                      " (keys are its long flag names, see --help)");
  }
  if (!seen.insert(name).second) throw ConfigError(context + " is set twice");
  if (opt->count() > 0) return;  // given on the command line: the flag wins
  const std::vector<std::string> values =
      values_of(node, *opt, where(path, node) + ": '" + key + "'", lines);
  try {
    opt->add_result(values);
    opt->run_callback();
  } catch (const CLI::ParseError& e) {
    const Problem p = value_problem(*opt, e);
    const std::string value = opt->results().empty() ? "" : opt->results().back();
    throw ConfigError(where(path, node) + ": '" + key + "' = '" + value + "': " + p.what + "; " +
                      (p.hint.empty() ? "see " + command_path(cmd) + " --help" : p.hint));
  }
  if (values.size() == 1) check_config_path(path, where(path, node), name, values[0]);
}

}  // namespace

void apply_config_file(CLI::App& cmd, const std::string& path) {
  const CLI::Option* config = cmd.get_option_no_throw("--config");
  if (config != nullptr && config->count() > 1) {
    std::string files;
    for (const std::string& f : config->results()) files += (files.empty() ? "" : ", ") + f;
    throw ConfigError("--config is given " + std::to_string(config->count()) + " times (" + files +
                      "); give one config file (flags on the command line override its keys)");
  }
  if (path.empty()) return;
  if (!std::filesystem::is_regular_file(path)) {
    throw ConfigError("cannot read config file '" + path + "'");
  }
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw ConfigError(path + ":" + std::to_string(e.source().begin.line) + ":" +
                      std::to_string(e.source().begin.column) + ": " +
                      std::string(e.description()) + " (see configs/ for the TOML syntax)");
  }
  Lines lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::set<std::string> seen;
  for (const auto& [key, node] : table) {
    const std::string k(key.str());
    if (const toml::table* section = node.as_table()) {
      if (k != cmd.get_name()) {
        throw ConfigError(where(path, node) + ": section [" + k + "] is not for nnfit " +
                          cmd.get_name() + " (use [" + cmd.get_name() + "] or no section)");
      }
      for (const auto& [inner, value] : *section) {
        if (value.is_table()) {
          throw ConfigError(where(path, value) + ": nested section '" +
                            std::string(inner.str()) + "' is not an option");
        }
        apply_key(cmd, path, inner, value, lines, seen);
      }
      continue;
    }
    apply_key(cmd, path, key, node, lines, seen);
  }
}

namespace {

bool all_digits(const std::string& s, std::size_t from, std::size_t to) {
  if (from >= to) return false;
  for (std::size_t i = from; i < to; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// True if v is a TOML integer (in int64 range) or float literal, which reads back to the
// same number: [+-](0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?.
bool toml_number(const std::string& v) {
  std::size_t i = (!v.empty() && (v[0] == '+' || v[0] == '-')) ? 1 : 0;
  const std::size_t int_end = v.find_first_of(".eE", i);
  const std::size_t ie = int_end == std::string::npos ? v.size() : int_end;
  if (!all_digits(v, i, ie) || (v[i] == '0' && ie - i > 1)) return false;
  if (ie == v.size()) {  // an integer: must fit int64 for toml++
    errno = 0;
    std::strtoll(v.c_str(), nullptr, 10);
    return errno != ERANGE;
  }
  std::size_t j = ie;
  if (v[j] == '.') {
    const std::size_t fe = std::min(v.find_first_of("eE", j), v.size());
    if (!all_digits(v, j + 1, fe)) return false;
    j = fe;
  }
  if (j == v.size()) return true;
  ++j;  // past e/E
  if (j < v.size() && (v[j] == '+' || v[j] == '-')) ++j;
  return all_digits(v, j, v.size());
}

// A TOML value: true/false, a number as written, anything else a basic string with escapes.
std::string toml_value(const std::string& v) {
  if (v == "true" || v == "false" || toml_number(v)) return v;
  std::string q = "\"";
  for (const char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      q += '\\';
      q += c;
    } else if (c == '\t') {
      q += "\\t";
    } else if (c == '\n') {
      q += "\\n";
    } else if (c == '\r') {
      q += "\\r";
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      q += buf;
    } else {
      q += c;
    }
  }
  return q + "\"";
}

}  // namespace

std::string effective_config(const CLI::App& cmd) {
  std::string out = "# nnfit " + cmd.get_name() + " --config FILE reads this back\n";
  for (const CLI::Option* opt : cmd.get_options()) {
    if (opt->get_lnames().empty()) continue;
    const std::string& name = opt->get_lnames()[0];
    if (name == "help" || name == "config" || name == "print-config") continue;
    std::string value;
    if (opt->get_expected_max() == 0 || opt->get_type_size_max() == 0) {  // a flag
      value = opt->count() > 0 && opt->as<bool>() ? "true" : "false";
    } else if (opt->get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll) {
      if (opt->results().empty()) continue;  // not given: nothing to repeat
      std::string list;  // a repeatable option: a TOML array of every value
      for (const std::string& v : opt->results()) list += (list.empty() ? "" : ", ") + toml_value(v);
      out += name + " = [" + list + "]\n";
      continue;
    } else if (!opt->results().empty()) {
      value = opt->results().back();
    } else if (opt->get_expected_min() == 0) {
      continue;  // an optional value, not given (train --plot): its default is not a value
    } else {
      value = opt->get_default_str();
    }
    out += name + " = " + toml_value(value) + "\n";
  }
  return out;
}

}  // namespace nnfit::cli
