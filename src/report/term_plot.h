// Learning curves drawn with characters, for a user on a remote shell (`nnfit plot`, and
// `nnfit train --plot`). Pure: returns the lines, prints nothing.
//
// The training loss is drawn in braille (U+2800 block: 2 x 4 dots per character), the
// validation loss in quadrant blocks (2 x 2 per character, e.g. U+2584), so the two curves
// differ in shape without colour; with `ascii` they are '.' and '*' at one point per character.
#pragma once

#include <string>
#include <vector>

namespace nnfit::report {

// The curves of one run, one entry per epoch. NaN (or, with log_y, a value <= 0) is a point
// that is not drawn; the lines on either side of it are not joined across it.
struct LearningCurve {
  std::vector<double> epochs;      // x values, increasing
  std::vector<double> train_loss;  // same size as epochs
  std::vector<double> val_loss;    // same size as epochs, or empty / all NaN: no validation
  // An epoch to mark with a vertical line (0 = none), and what the legend says about it,
  // e.g. "best epoch 37 (the saved weights)".
  int marked_epoch = 0;
  std::string marked_label;
};

struct PlotStyle {
  int width = 80;      // columns of the longest line; at least kMinPlotWidth
  int height = 12;     // rows of the plot area (axis, labels and legend come on top); >= 3
  bool log_y = false;  // log10 scale for the loss; tick labels stay in loss units
  bool ascii = false;  // only ASCII characters (terminals without Unicode)
  bool color = false;  // ANSI colours: training loss cyan, validation loss yellow
};

inline constexpr int kMinPlotWidth = 30;

// The plot, one string per line (UTF-8, no newline), none longer than style.width display
// columns (ANSI colour codes excluded): a title, the plot area with the loss axis and its tick
// values on the left, the epoch axis with tick values, a legend, and a note counting the
// points not drawn. Throws ConfigError for a width below kMinPlotWidth or a height below 3,
// Error (with what to do) for a curve without epochs or without a single point to draw.
std::vector<std::string> plot_learning_curve(const LearningCurve& curve, const PlotStyle& style);

// The epoch with the lowest finite validation loss (the first of ties), or 0 without one.
int lowest_val_epoch(const LearningCurve& curve);

}  // namespace nnfit::report
