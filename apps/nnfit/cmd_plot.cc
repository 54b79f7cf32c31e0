// `nnfit plot`: the learning curve of a `train --history` CSV drawn on the terminal.
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "cli.h"
#include "report/history_csv.h"
#include "terminal.h"

namespace nnfit::cli {
namespace {

struct PlotCommand {
  CommonOptions common;
  std::string history_path;
  int width = 0;  // 0: the terminal's
  report::PlotStyle style;
};

void run_plot(PlotCommand& c) {
  setup_logging(c.common);
  // 0: the terminal's width (at least the minimum); any other value is checked by the plot.
  c.style.width =
      c.width != 0 ? c.width : std::max(terminal_width(STDOUT_FILENO), report::kMinPlotWidth);
  c.style.color = !c.style.ascii && terminal_color(STDOUT_FILENO);
  const report::LearningCurve curve = report::read_history_csv(c.history_path);
  write_output("-", plot_text(curve, c.style));
}

}  // namespace

std::string plot_text(const report::LearningCurve& curve, const report::PlotStyle& style) {
  std::string text;
  for (const std::string& line : report::plot_learning_curve(curve, style)) text += line + "\n";
  return text;
}

void setup_plot(CLI::App& app) {
  auto c = std::make_shared<PlotCommand>();
  CLI::App* cmd = app.add_subcommand(
      "plot", "Draw the learning curve of a train --history CSV on the terminal");
  cmd->footer(help_footer(
      {"nnfit train --data data/iris.csv --target species --refit-folds 0 --history h.csv "
       "--model iris.nnfit",
       "nnfit plot h.csv", "nnfit plot h.csv --log --width 100 --height 20",
       "nnfit plot h.csv --ascii > curve.txt    (plain ASCII, e.g. for a log file)"},
      FooterCodes::kReading));
  add_common_options(*cmd, c->common);
  cmd->add_option("history", c->history_path,
                  "History CSV written by nnfit train --history ('-' = stdin)")
      ->required();
  cmd->add_option("--width", c->width,
                  "Columns of the plot (at least 30); default: $COLUMNS, else the terminal's "
                  "width, else 80");
  cmd->add_option("--height", c->style.height, "Rows of the plot area (at least 3)")
      ->capture_default_str();
  cmd->add_flag("--log", c->style.log_y,
                "Log scale for the loss (tick values stay in loss units; values <= 0 are not "
                "drawn)");
  cmd->add_flag("--ascii", c->style.ascii,
                "Only ASCII characters, for terminals without Unicode: training loss '.', "
                "validation loss '*' (default: braille and block characters)");
  cmd->callback([c] { run_plot(*c); });
}

}  // namespace nnfit::cli
