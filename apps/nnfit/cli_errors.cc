#include "cli_errors.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace nnfit::cli {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The deepest parsed subcommand: where the error is.
const CLI::App& command_of(const CLI::App& app) {
  const CLI::App* at = &app;
  for (auto subs = at->get_subcommands(); !subs.empty(); subs = at->get_subcommands()) {
    at = subs.back();
  }
  return *at;
}

std::vector<std::string> long_flags(const CLI::App& cmd) {
  std::vector<std::string> out;
  for (const CLI::Option* opt : cmd.get_options()) {
    for (const std::string& n : opt->get_lnames()) out.push_back("--" + n);
  }
  return out;
}

std::string subcommand_list(const CLI::App& app, std::vector<std::string>* names = nullptr) {
  std::string list;
  for (const CLI::App* sub : app.get_subcommands({})) {
    list += (list.empty() ? "" : ", ") + sub->get_name();
    if (names != nullptr) names->push_back(sub->get_name());
  }
  return list;
}

std::string did_you_mean(const std::string& guess) {
  return guess.empty() ? "" : "did you mean " + guess + "? ";
}

std::string unexpected(const CLI::App& app, const CLI::App& cmd, const CLI::ParseError& e) {
  const std::vector<std::string> extras = app.remaining(true);
  const std::string where = " (" + command_path(cmd) + "); ";
  const std::string help = command_path(cmd) + " --help lists ";
  if (extras.empty()) return std::string(e.what()) + where + "see " + command_path(cmd) + " --help";
  const auto is_flag = [](const std::string& s) { return s.size() > 1 && s[0] == '-'; };
  const auto flag = std::find_if(extras.begin(), extras.end(), is_flag);
  const auto word = std::find_if_not(extras.begin(), extras.end(), is_flag);
  if (flag != extras.end() && !(&cmd == &app && word != extras.end())) {
    const std::string name = flag->substr(0, flag->find('='));
    return "unknown option " + name + where + did_you_mean(closest_name(name, long_flags(cmd))) +
           help + "the options";
  }
  if (&cmd == &app) {
    std::vector<std::string> names;
    const std::string list = subcommand_list(app, &names);
    return "unknown command '" + *word + "'" + where + did_you_mean(closest_name(*word, names)) +
           "the commands are " + list;
  }
  return "unexpected argument '" + extras[0] + "'" + where +
         "options take the form --name VALUE; " + help + "them";
}

// The option a CLI11 message is about: "NAME: ...", "NAME is required", "Could not convert:
// NAME = VALUE"; "" if none.
std::string option_name(const std::string& message) {
  const std::string convert = "Could not convert: ";
  if (message.compare(0, convert.size(), convert) == 0) {
    const std::size_t eq = message.find(" = ", convert.size());
    return message.substr(convert.size(), eq == std::string::npos ? eq : eq - convert.size());
  }
  if (message.compare(0, 1, "-") != 0) return "";
  return message.substr(0, message.find_first_of(": "));
}

// "x not in {a,b,c}" (CLI::IsMember) -> "not one of a, b, c", hint "did you mean b?".
Problem member_problem(const std::string& detail) {
  const std::size_t at = detail.find(" not in {");
  if (at == std::string::npos || detail.back() != '}') return {detail, ""};
  const std::string value = detail.substr(0, at);
  const std::string set = detail.substr(at + 9, detail.size() - at - 10);
  std::vector<std::string> members;
  std::string list;
  for (std::size_t from = 0; from <= set.size();) {
    const std::size_t comma = std::min(set.find(',', from), set.size());
    members.push_back(set.substr(from, comma - from));
    list += (list.empty() ? "" : ", ") + members.back();
    from = comma + 1;
  }
  const std::string guess = closest_name(value, members);
  return {"not one of " + list, guess.empty() ? "" : "did you mean " + guess + "?"};
}

bool is_integer_text(const std::string& v) {
  const std::size_t from = (!v.empty() && (v[0] == '-' || v[0] == '+')) ? 1 : 0;
  return v.size() > from && std::all_of(v.begin() + static_cast<std::ptrdiff_t>(from), v.end(),
                                        [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string command_path(const CLI::App& cmd) {
  std::string name;
  for (const CLI::App* a = &cmd; a != nullptr; a = a->get_parent()) {
    name = a->get_name() + (name.empty() ? "" : " ") + name;
  }
  return name;
}

std::string closest_name(const std::string& s, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, s.size() / 3) + 1;
  for (const std::string& n : names) {
    const std::size_t d = edit_distance(s, n);
    if (d < best_distance) {
      best = n;
      best_distance = d;
    }
  }
  return best;
}

Problem value_problem(const CLI::Option& opt, const CLI::ParseError& e) {
  const std::string message = e.what();
  if (dynamic_cast<const CLI::ValidationError*>(&e) != nullptr) {
    const std::size_t colon = message.find(": ");
    return member_problem(colon == std::string::npos ? message : message.substr(colon + 2));
  }
  const std::string value = opt.results().empty() ? "" : opt.results().back();
  const std::string type = opt.get_type_name();
  if (type == "FLOAT") return {"not a number", ""};
  if (type == "INT" || type == "UINT") {
    return {is_integer_text(value) ? "out of range" : "not a whole number", ""};
  }
  return {"cannot be read as " + type, ""};
}

std::string parse_error_message(const CLI::App& app, const CLI::ParseError& e) {
  const CLI::App& cmd = command_of(app);
  const std::string where = " (" + command_path(cmd) + "); ";
  const std::string help = "see " + command_path(cmd) + " --help";
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) return unexpected(app, cmd, e);
  const std::string message = e.what();
  if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && &cmd == &app) {
    if (!app.remaining(true).empty()) return unexpected(app, cmd, e);
    return "no command given" + where + "give one of " + subcommand_list(app);
  }
  const std::string name = option_name(message);
  const CLI::Option* opt = name.empty() ? nullptr : cmd.get_option_no_throw(name);
  const bool value_error = dynamic_cast<const CLI::ConversionError*>(&e) != nullptr ||
                           dynamic_cast<const CLI::ValidationError*>(&e) != nullptr ||
                           dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr;
  if (opt != nullptr && dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr) {
    return name + " needs a value" + where + "give " + name + " " + opt->get_type_name();
  }
  if (opt != nullptr && value_error) {
    const Problem p = value_problem(*opt, e);
    const std::string value = opt->results().empty() ? "" : " '" + opt->results().back() + "'";
    return "invalid " + name + value + ": " + p.what + where + (p.hint.empty() ? help : p.hint);
  }
  if (opt != nullptr && dynamic_cast<const CLI::RequiredError*>(&e) != nullptr &&
      opt->nonpositional()) {
    return message + where + "give " + name + " " + opt->get_type_name();
  }
  return message + where + help;
}

CLI::Validator whole_number(std::uint64_t max) {
  const std::string range = "[0, " + std::to_string(max) + "]";
  return CLI::Validator(
      [max, range](std::string& v) -> std::string {
        const bool digits =
            !v.empty() && v.size() <= 20 &&
            std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
        errno = 0;
        const unsigned long long n = digits ? std::strtoull(v.c_str(), nullptr, 10) : 0;
        if (!digits || errno == ERANGE || n > max) {
          return "not an integer in " + range;
        }
        v = std::to_string(n);  // 010 is ten, not octal eight
        return "";
      },
      "", "whole_number");
}

}  // namespace nnfit::cli
