#include "param_flags.h"

#include "core/error.h"
#include "train/params.h"

namespace nnfit::cli {
namespace {

// A CLI11 transform: "" when text parses as p's type, else the reason. Integers are rewritten in
// their canonical form (--print-config writes seed = 10 for --seed 010); everything else keeps
// the user's text, so min-delta = 1e-4 stays 1e-4.
CLI::Validator parses_as(const train::Param& p) {
  return CLI::Validator(
      [&p](std::string& text) {
        std::string problem = train::value_problem(p, text);
        const bool integer = std::holds_alternative<int train::TrainOptions::*>(p.field) ||
                             std::holds_alternative<Index train::TrainOptions::*>(p.field) ||
                             std::holds_alternative<std::uint64_t train::TrainOptions::*>(p.field);
        if (problem.empty() && integer) {
          train::TrainOptions scratch;
          train::set_text(p, scratch, text);
          text = train::get_text(p, scratch);
        }
        return problem;
      },
      "", "");
}

}  // namespace

void add_param_flags(CLI::App& cmd, train::TrainOptions& opt) {
  for (const train::Param& p : train::params()) {
    const std::string flag = "--" + p.name;
    const auto store = [&p, &opt](const std::string& text) { train::set_text(p, opt, text); };
    if (std::holds_alternative<bool train::TrainOptions::*>(p.field)) {
      cmd.add_flag_function(
          flag, [&p, &opt](std::int64_t n) { train::set_text(p, opt, n > 0 ? "true" : "false"); },
          p.doc);
      continue;
    }
    cmd.add_option_function<std::string>(flag, store, p.doc)
        ->type_name(train::type_name(p))
        ->transform(parses_as(p))
        ->default_str(train::get_text(p, opt));
  }
}

}  // namespace nnfit::cli
