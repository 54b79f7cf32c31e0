// nnfit's own small SVG chart writer for the HTML report: xy charts (lines, points, linear or
// log axes, categorical x), horizontal bar charts (grouped, with error whiskers) and heat maps.
// Ticks are "nice" (steps 1, 2 or 5 times a power of ten; decades on a log axis); tick labels
// that would overlap are thinned (numbers) or rotated (categories); all text is escaped. Each
// chart is one <svg> element with the given id and class "chart", sized in pixels.
// Text widths are estimated (0.6 em per character of a sans-serif font at most), so layout
// needs no font metrics and is the same in any browser.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nnfit::report::svg {

// text with & < > " ' replaced by entities (for element text and attribute values).
std::string escape(std::string_view text);
// Estimated width in pixels of text at font_size (pixels).
double text_width(std::string_view text, double font_size);

// Ticks covering [lo, hi] (lo <= hi) with a step of 1, 2 or 5 times a power of ten, at most
// max(max_ticks, 3) of them and at least 2; the first <= lo and the last >= hi (to within
// 1e-9 steps). lo == hi gets a range around the value.
std::vector<double> nice_ticks(double lo, double hi, int max_ticks);
// Ticks of a log axis over [lo, hi] (0 < lo <= hi): the powers of ten from the one <= lo to
// the one >= hi, thinned to every 2nd, 3rd... decade past max_ticks; over less than two
// decades also 2 and 5 times them, within the range.
std::vector<double> log_ticks(double lo, double hi, int max_ticks);
// A tick's text: as many decimals as the step needs (step 0.25 -> "0.25"), %g on a log axis.
std::string tick_label(double value, double step, bool log);
// Which labels to draw, centred at `centres` (increasing, pixels) with `widths`, so that no
// two drawn ones come closer than gap: every k-th from the first, for the smallest such k.
std::vector<std::size_t> thin_labels(const std::vector<double>& centres,
                                     const std::vector<double>& widths, double gap);

struct Axis {
  std::string label;
  bool log = false;                     // values <= 0 are not drawn on a log axis
  std::optional<double> lo, hi;         // the range; else the data's, widened to ticks
  std::vector<std::string> categories;  // x only: value i is category i (linear, no padding)
};

struct Series {
  enum class Kind { kLine, kPoints, kLinePoints };
  std::string name;  // in the legend ("" = not listed)
  std::vector<double> x, y;
  Kind kind = Kind::kLine;
  bool dashed = false;
  std::string color;  // "" = the next colour of the palette
  // Points only: a group per point (same size as x) joined by thin lines, e.g. one trial
  // across the rungs of a search; empty = none.
  std::vector<std::string> groups;
};

// A vertical line at x with a label at its top (e.g. the best epoch).
struct Marker {
  double x = 0;
  std::string label;
};

struct Chart {
  std::string id, title;
  Axis x, y;
  std::vector<Series> series;
  std::vector<Marker> markers;
  int width = 560, height = 320;
};
// The chart as <svg>: title, legend (series with a name), grid, ticks, axis labels, series.
std::string xy_chart(const Chart& c);

// Horizontal bars: one row per category, one bar per series in it.
struct BarChart {
  std::string id, title, value_label;
  std::vector<std::string> categories;
  std::vector<std::string> series;          // names, for the legend (one: no legend)
  std::vector<std::vector<double>> values;  // [series][category]
  std::vector<std::vector<double>> errors;  // empty, or +- whiskers shaped as values
  std::optional<double> lo, hi;             // value range; else from the data and 0
  int width = 560;
};
std::string bar_chart(const BarChart& c);

// A grid of numbers, coloured by `shade` (0..1, same shape as values) and printed in cells.
struct Heatmap {
  std::string id, title, row_label, col_label;
  std::vector<std::string> rows, cols;
  std::vector<std::vector<double>> values, shade;
  int cell = 56;
};
std::string heatmap(const Heatmap& h);

// The CSS of the charts' classes (title, grid, axis, tick, axis-label, marker-line,
// marker-label, whisker, cell-text), for the page's <style>.
std::string style();
// The palette, colour-blind safe (Okabe and Ito), in the order series take it.
const std::vector<std::string>& palette();

}  // namespace nnfit::report::svg
