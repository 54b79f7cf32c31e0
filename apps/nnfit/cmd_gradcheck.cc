// `nnfit gradcheck`: train's data and network flags (--dropout, --weight-column and
// --class-weight included), then bprop's gradient at the initial weights against central
// differences of the loss (check/gradcheck.h), per layer, as text or JSON; exit 1 when an error
// exceeds --tolerance.
#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <Eigen/Core>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>

#include "check/gradcheck.h"
#include "cli.h"
#include "core/error.h"
#include "train/pipeline.h"
#include "train_flags.h"

namespace nnfit::cli {
namespace {

struct GradcheckCommand : TrainFlags {
  check::GradcheckOptions check;
  bool json = false;
  bool float_differences = false;
};

nlohmann::json to_json(const check::GradcheckResult& r, const check::GradcheckOptions& o) {
  nlohmann::json layers = nlohmann::json::array();
  for (const check::LayerCheck& l : r.layers) {
    layers.push_back({{"layer", l.name},
                      {"offset", l.offset},
                      {"parameters", l.count},
                      {"checked", l.checked},
                      {"kinks", l.kinks},
                      {"max_error", l.max_error},
                      {"worst", l.worst},
                      {"analytic", l.analytic},
                      {"numeric", l.numeric}});
  }
  return {{"passed", r.passed},
          {"max_error", r.max_error},
          {"tolerance", o.tolerance},
          {"differences", o.differences == check::Differences::kDouble ? "double" : "float"},
          {"rows", r.rows},
          {"parameters", r.parameters},
          {"checked", r.checked},
          {"kinks", r.kinks},
          {"loss", r.loss},
          {"forward_gap", r.forward_gap},
          {"step", r.step},
          {"weighted", r.weighted},
          {"weights_vary", r.weights_vary},
          {"dropout", {{"masked", r.masked}, {"dropped", r.dropped}}},
          {"layers", layers}};
}

std::string to_text(const check::GradcheckResult& r, const check::GradcheckOptions& o) {
  const bool dbl = o.differences == check::Differences::kDouble;
  std::string s = fmt::format(
      "gradcheck on {} rows: {} of {} parameters checked ({} kinks skipped), {} central "
      "differences, step {:g}\n",
      r.rows, r.checked, r.parameters, r.kinks, dbl ? "double-precision" : "float32", r.step);
  if (r.weights_vary) s += "weighted mean loss over the rows (--weight-column, --class-weight)\n";
  if (r.weighted && !r.weights_vary) {
    s += "note: the checked rows all have the same weight, which leaves the weighting unchecked; "
         "raise --rows (the first training rows in file order are checked)\n";
  }
  if (r.masked > 0) {
    s += fmt::format("dropout under one fixed mask: {} of {} hidden outputs dropped\n", r.dropped,
                     r.masked);
  }
  s += fmt::format("{:<22} {:>8} {:>6} {:>10}   {}\n", "layer", "checked", "kinks", "max error",
                   "worst parameter: analytic vs numeric");
  for (const check::LayerCheck& l : r.layers) {
    s += fmt::format("{:<22} {:>8} {:>6} {:>10.2e}   ", l.name, l.checked, l.kinks, l.max_error);
    s += l.worst < 0 ? "-\n"
                     : fmt::format("#{}: {:.9g} vs {:.9g}\n", l.worst, l.analytic, l.numeric);
  }
  s += fmt::format("loss {:.9g}; float forward vs double reference: {:.2e} (limit {:.0e})\n",
                   r.loss, r.forward_gap, check::kForwardTolerance);
  s +=
      fmt::format("max relative error {:.2e} {} tolerance {:.2e}: {}\n", r.max_error,
                  r.max_error <= o.tolerance ? "<=" : ">", o.tolerance, r.passed ? "PASS" : "FAIL");
  return s;
}

}  // namespace

std::function<void(nn::Network&)>& gradcheck_prepare_hook() {
  static std::function<void(nn::Network&)> hook;
  return hook;
}

namespace {

void run_gradcheck(GradcheckCommand& c) {
  resolve_train_flags(c);
  Eigen::setNbThreads(c.threads);
  c.check.l1 = c.opt.l1;
  c.check.l2 = c.opt.l2;
  c.check.differences =
      c.float_differences ? check::Differences::kFloat : check::Differences::kDouble;
  c.check.prepare = gradcheck_prepare_hook();
  train::InputData in = train::read_inputs(c.data);
  Rng rng(c.opt.seed);  // as train: the split, then the initialisation
  const train::PreparedData p =
      train::prepare_data(std::move(in.train), in.has_val ? &in.val : nullptr, in.options, rng);
  nn::Network net = train::initial_network(p, c.opt, rng);  // with --dropout, as train has it
  c.check.weights = train::training_weights(p, c.opt);      // --weight-column x --class-weight
  const check::GradcheckResult r = check::gradcheck(net, p.x_train, p.y_train, c.check, rng);
  write_output("-", c.json ? to_json(r, c.check).dump(2) + "\n" : to_text(r, c.check));
  if (!r.passed) {
    throw Error(r.forward_gap > check::kForwardTolerance
                    ? fmt::format("gradcheck failed: the float network and the double reference "
                                  "compute different losses (gap {:.2e})",
                                  r.forward_gap)
                    : fmt::format("gradcheck failed: max relative error {:.2e} > --tolerance "
                                  "{:.2e}",
                                  r.max_error, c.check.tolerance));
  }
}

const char* kFooter =
    "Examples:\n"
    "  nnfit gradcheck --data data/iris.csv --target species --hidden 8 --activation tanh\n"
    "  nnfit gradcheck --data data/iris.csv --target species --l1 0.01 --l2 0.1 --json\n"
    "  nnfit gradcheck --data data/iris.csv --target species --dropout 0.3 --rows 150 "
    "--class-weight setosa=4\n"
    "  nnfit gradcheck --data big.csv --hidden 256,128 --params 500 --rows 8\n"
    "\n"
    "With --dropout the check is under one fixed mask per layer (the reference reads it from\n"
    "the network); with --weight-column / --class-weight the loss is the weighted mean.\n"
    "\n"
    "Exit codes: 0 every checked gradient entry within --tolerance; 1 an entry above it (or a\n"
    "data error); 2 usage or configuration error.";

}  // namespace

void setup_gradcheck(CLI::App& app) {
  auto c = std::make_shared<GradcheckCommand>();
  CLI::App* cmd =
      app.add_subcommand("gradcheck",
                         "Check backpropagation: the analytic gradient at train's initial weights "
                         "against double-precision central differences of the loss, per layer");
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cmd->footer(kFooter);
  add_train_flags(*cmd, *c);
  cmd->remove_option(cmd->get_option("--model"));
  cmd->remove_option(cmd->get_option("--no-progress"));
  cmd->add_option("--rows", c->check.rows, "Training rows in the checked batch (the first N)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--tolerance", c->check.tolerance,
                  "Largest relative error |a - n| / max(|a|, |n|) accepted")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--params", c->check.params,
                  "Check all parameters up to this many, else a sample of this many (each "
                  "layer keeps its share); 0 = all")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_flag("--float", c->float_differences,
                "Differences of the float32 network instead of the double reference (shows "
                "float's error floor, 1e-3 to 0.4 on small nets: see README)");
  cmd->add_option("--step", c->check.step,
                  "Central-difference step h (times max(1, |w|)); 0 = 1e-5 in double, 4e-3 "
                  "with --float")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_flag("--json", c->json, "Print the result as JSON (per-layer errors included)");
  cmd->callback([c, cmd] {
    if (configure_or_print(*cmd, *c)) return;
    run_gradcheck(*c);
  });
}

}  // namespace nnfit::cli
