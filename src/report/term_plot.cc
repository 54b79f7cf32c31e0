// Learning curves on a character grid: each series is rasterised on its own sub-cell grid
// (braille 2 x 4, quadrants 2 x 2, ASCII 1 x 1 per character), consecutive points joined by
// straight lines, then the characters are composed with the axes and the legend.
#include "report/term_plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "core/error.h"

namespace nnfit::report {
namespace {

// A series' points on a grid of cols x rows characters, each sx x sy sub-cells ("dots").
class PlotRaster {
 public:
  PlotRaster(int cols, int rows, int sx, int sy)
      : cols_(cols),
        rows_(rows),
        sx_(sx),
        sy_(sy),
        bits_(static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows), 0) {}
  int dots_x() const { return cols_ * sx_; }
  int dots_y() const { return rows_ * sy_; }
  // Dot (x, y), y = 0 at the top; bit (dy * sx + dx) of its character.
  void set(int x, int y) {
    const int c = x / sx_, r = y / sy_;
    bits_[static_cast<std::size_t>(r * cols_ + c)] |=
        static_cast<std::uint8_t>(1u << ((y % sy_) * sx_ + x % sx_));
  }
  // Every dot on the straight line from (x0, y0) to (x1, y1) (Bresenham).
  void line(int x0, int y0, int x1, int y1) {
    const int dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0);
    const int step_x = x0 < x1 ? 1 : -1, step_y = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    for (;;) {
      set(x0, y0);
      if (x0 == x1 && y0 == y1) return;
      const int e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += step_x;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += step_y;
      }
    }
  }
  std::uint8_t bits(int col, int row) const {
    return bits_[static_cast<std::size_t>(row * cols_ + col)];
  }

 private:
  int cols_, rows_, sx_, sy_;
  std::vector<std::uint8_t> bits_;
};

// UTF-8 of a code point below U+10000.
std::string utf8_char(unsigned cp) {
  std::string s;
  if (cp < 0x80) return std::string(1, static_cast<char>(cp));
  if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
  } else {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  }
  s += static_cast<char>(0x80 | (cp & 0x3F));
  return s;
}

// Raster bits (dy * 2 + dx) of a 2 x 4 cell -> the braille character's dot bits.
std::string braille_char(std::uint8_t bits) {
  static constexpr unsigned kDot[8] = {0x01, 0x08, 0x02, 0x10, 0x04, 0x20, 0x40, 0x80};
  unsigned cp = 0x2800;
  for (int b = 0; b < 8; ++b) {
    if ((bits >> b) & 1u) cp |= kDot[b];
  }
  return utf8_char(cp);
}

// Raster bits of a 2 x 2 cell (1 upper left, 2 upper right, 4 lower left, 8 lower right).
std::string quadrant_char(std::uint8_t bits) {
  static constexpr unsigned kChar[16] = {0x20,   0x2598, 0x259D, 0x2580, 0x2596, 0x258C,
                                         0x259E, 0x259B, 0x2597, 0x259A, 0x2590, 0x259C,
                                         0x2584, 0x2599, 0x259F, 0x2588};
  return utf8_char(kChar[bits & 15u]);
}

// The loss axis: value <-> dot row (0 at the top), on a linear or log10 scale.
struct LossScale {
  double lo = 0, hi = 1;  // in axis units (log10 of the loss with log)
  bool log = false;
  bool drawable(double v) const { return std::isfinite(v) && (!log || v > 0); }
  double axis(double v) const { return log ? std::log10(v) : v; }
  double value(double a) const { return log ? std::pow(10.0, a) : a; }
  int dot(double v, int dots) const {
    const double f = (hi - axis(v)) / (hi - lo);
    return std::clamp(static_cast<int>(std::lround(f * (dots - 1))), 0, dots - 1);
  }
};

LossScale fit_loss_scale(const LearningCurve& c, bool log) {
  LossScale s;
  s.log = log;
  double lo = INFINITY, hi = -INFINITY;
  for (const auto* series : {&c.train_loss, &c.val_loss}) {
    for (double v : *series) {
      if (!s.drawable(v)) continue;
      lo = std::min(lo, s.axis(v));
      hi = std::max(hi, s.axis(v));
    }
  }
  if (!(lo <= hi)) {
    throw Error(std::string("no loss value to draw: every one is missing or not finite") +
                (log ? " or not positive (drop --log)" : ""));
  }
  const double pad = lo == hi ? (log ? 0.5 : std::max(std::abs(lo) * 0.1, 0.5)) : 0.0;
  s.lo = lo - pad;
  s.hi = hi + pad;
  return s;
}

// The epoch axis: epoch <-> dot column.
struct PlotEpochAxis {
  double first = 0, last = 0;
  int dot(double e, int dots) const {
    if (last <= first) return 0;
    const double f = (e - first) / (last - first);
    return std::clamp(static_cast<int>(std::lround(f * (dots - 1))), 0, dots - 1);
  }
};

// Draws one series, joining consecutive drawable points; returns the points not drawn.
int draw_series(const std::vector<double>& y, const LearningCurve& c, const LossScale& s,
                const PlotEpochAxis& e, PlotRaster& r) {
  int skipped = 0;
  bool have_prev = false;
  int px = 0, py = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (!s.drawable(y[i])) {
      skipped += !std::isnan(y[i]);  // NaN is "not recorded"; inf or <= 0 is a point lost
      have_prev = false;
      continue;
    }
    const int x = e.dot(c.epochs[i], r.dots_x()), dy = s.dot(y[i], r.dots_y());
    if (have_prev)
      r.line(px, py, x, dy);
    else
      r.set(x, dy);
    have_prev = true;
    px = x;
    py = dy;
  }
  return skipped;
}

struct PlotGlyphs {
  bool ascii = false, color = false;
  std::string paint(const std::string& s, const char* code) const {
    return color ? std::string("\x1b[") + code + "m" + s + "\x1b[0m" : s;
  }
  std::string train(std::uint8_t bits) const {
    return paint(ascii ? "." : braille_char(bits), "36");
  }
  std::string val(std::uint8_t bits) const {
    return paint(ascii ? "*" : quadrant_char(bits), "33");
  }
  std::string marker() const { return ascii ? ":" : utf8_char(0x250A); }
  std::string vline() const { return ascii ? "|" : utf8_char(0x2502); }
  std::string tick() const { return ascii ? "+" : utf8_char(0x2524); }
  std::string hline() const { return ascii ? "-" : utf8_char(0x2500); }
  std::string corner() const { return ascii ? "+" : utf8_char(0x2514); }
  std::string xtick() const { return ascii ? "+" : utf8_char(0x252C); }
};

std::string loss_tick_label(double v) { return fmt::format("{:.4g}", v); }

// Rows of the plot area that carry a tick value: every fourth, and the last.
bool loss_tick_row(int r, int rows) { return r % 4 == 0 || r == rows - 1; }

std::string loss_row_label(const LossScale& s, int r, int rows) {
  if (!loss_tick_row(r, rows)) return "";
  return loss_tick_label(s.value(s.hi - (s.hi - s.lo) * r / (rows - 1)));
}

struct PlotLayout {
  int label_w = 0;  // width of the loss tick labels
  int cols = 0;     // characters of the plot area
  int rows = 0;
  int marked_col = -1;
};

std::vector<std::string> plot_area_rows(const PlotRaster& train, const PlotRaster& val,
                                        const LossScale& s, const PlotLayout& l,
                                        const PlotGlyphs& g) {
  std::vector<std::string> out;
  for (int r = 0; r < l.rows; ++r) {
    const std::string label = loss_row_label(s, r, l.rows);
    std::string line = std::string(static_cast<std::size_t>(l.label_w) - label.size(), ' ') +
                       label + " " + (loss_tick_row(r, l.rows) ? g.tick() : g.vline());
    for (int c = 0; c < l.cols; ++c) {
      if (const std::uint8_t v = val.bits(c, r))
        line += g.val(v);
      else if (const std::uint8_t t = train.bits(c, r))
        line += g.train(t);
      else
        line += c == l.marked_col ? g.marker() : " ";
    }
    out.push_back(line);
  }
  return out;
}

// The epoch axis line and the line of its tick values (integers, at most one per 10 columns).
std::vector<std::string> epoch_axis_rows(const PlotEpochAxis& e, const PlotLayout& l,
                                         const PlotGlyphs& g, int sx) {
  const int ticks = e.last > e.first ? std::max(2, std::min(l.cols / 10 + 1, 6)) : 1;
  std::vector<std::string> axis(static_cast<std::size_t>(l.cols), g.hline());
  std::string labels(static_cast<std::size_t>(l.cols), ' ');
  for (int k = 0; k < ticks; ++k) {
    const double epoch =
        ticks == 1 ? e.first : std::round(e.first + (e.last - e.first) * k / (ticks - 1));
    const int col = e.dot(epoch, l.cols * sx) / sx;
    axis[static_cast<std::size_t>(col)] = g.xtick();
    const std::string text = fmt::format("{:g}", epoch);
    const int at = std::clamp(col - static_cast<int>(text.size()) / 2, 0,
                              l.cols - static_cast<int>(text.size()));
    labels.replace(static_cast<std::size_t>(std::max(at, 0)), text.size(), text);
  }
  std::string line = std::string(static_cast<std::size_t>(l.label_w) + 1, ' ') + g.corner();
  for (const std::string& a : axis) line += a;
  const std::string pad(static_cast<std::size_t>(l.label_w) + 2, ' ');
  return {line, (pad + labels).substr(0, static_cast<std::size_t>(l.label_w + 2 + l.cols))};
}

// Legend items, packed into lines of at most width columns (an item longer than that is cut).
std::vector<std::string> plot_legend(const LearningCurve& c, bool has_val, const PlotGlyphs& g,
                                     int width) {
  std::vector<std::pair<std::string, std::string>> items;  // (glyph, text)
  items.emplace_back(g.train(g.ascii ? 1 : 0x3C), "training loss");
  if (has_val) items.emplace_back(g.val(12), "validation loss");
  if (c.marked_epoch > 0) items.emplace_back(g.marker(), c.marked_label);
  std::vector<std::string> out{""};
  int used = 0;
  for (const auto& [glyph, text] : items) {
    const int w = 2 + static_cast<int>(text.size());
    const std::string cut = text.substr(0, static_cast<std::size_t>(std::max(width - 2, 0)));
    if (used > 0 && used + 2 + w > width) {
      out.emplace_back();
      used = 0;
    }
    if (used > 0) {
      out.back() += "  ";
      used += 2;
    }
    out.back() += glyph + " " + cut;
    used += std::min(w, width);
  }
  return out;
}

void check_plot_input(const LearningCurve& c, const PlotStyle& style) {
  if (style.width < kMinPlotWidth) {
    throw ConfigError(fmt::format("invalid --width {}: a plot needs at least {} columns",
                                  style.width, kMinPlotWidth));
  }
  if (style.height < 3) {
    throw ConfigError(
        fmt::format("invalid --height {}: a plot needs at least 3 rows", style.height));
  }
  if (c.epochs.empty()) {
    throw Error(
        "no epochs to draw: the history has no rows (train wrote none: did it stop "
        "before the first epoch?)");
  }
  if (c.train_loss.size() != c.epochs.size() ||
      (!c.val_loss.empty() && c.val_loss.size() != c.epochs.size())) {
    throw Error("plot_learning_curve: the series and the epochs differ in length");
  }
}

// The note on points not drawn, in words wrapped to width (none when every point was drawn).
std::vector<std::string> skipped_note(int train_skipped, int val_skipped, bool log, int width) {
  if (train_skipped + val_skipped == 0) return {};
  const std::string text = fmt::format(
      "note: {} training and {} validation loss values are not drawn: {}", train_skipped,
      val_skipped, log ? "not finite or not positive (log scale)" : "not finite");
  std::vector<std::string> out{""};
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(at, end - at);
    const std::size_t used = out.back().size() + (out.back().empty() ? 0 : 1);
    if (!out.back().empty() && used + word.size() > static_cast<std::size_t>(width)) {
      out.emplace_back();
    }
    out.back() += (out.back().empty() ? "" : " ") + word;
    at = end + 1;
  }
  return out;
}

}  // namespace

int lowest_val_epoch(const LearningCurve& curve) {
  int best = 0;
  double lowest = INFINITY;
  for (std::size_t i = 0; i < curve.val_loss.size(); ++i) {
    if (std::isfinite(curve.val_loss[i]) && curve.val_loss[i] < lowest) {
      lowest = curve.val_loss[i];
      best = static_cast<int>(curve.epochs[i]);
    }
  }
  return best;
}

std::vector<std::string> plot_learning_curve(const LearningCurve& c, const PlotStyle& style) {
  check_plot_input(c, style);
  const LossScale s = fit_loss_scale(c, style.log_y);
  const PlotGlyphs g{style.ascii, style.color};
  PlotLayout l;
  l.rows = style.height;
  for (int r = 0; r < l.rows; ++r) {
    l.label_w = std::max(l.label_w, static_cast<int>(loss_row_label(s, r, l.rows).size()));
  }
  l.cols = style.width - l.label_w - 2;
  const PlotEpochAxis e{c.epochs.front(), c.epochs.back()};
  const int sx = style.ascii ? 1 : 2;
  PlotRaster train(l.cols, l.rows, sx, style.ascii ? 1 : 4),
      val(l.cols, l.rows, sx, style.ascii ? 1 : 2);
  const int train_skipped = draw_series(c.train_loss, c, s, e, train);
  const int val_skipped = draw_series(c.val_loss, c, s, e, val);
  if (c.marked_epoch > 0) l.marked_col = e.dot(c.marked_epoch, l.cols * sx) / sx;
  std::vector<std::string> out{std::string("loss by epoch") + (style.log_y ? " (log scale)" : "")};
  for (std::string& row : plot_area_rows(train, val, s, l, g)) out.push_back(std::move(row));
  for (std::string& row : epoch_axis_rows(e, l, g, sx)) out.push_back(std::move(row));
  const bool has_val =
      std::any_of(c.val_loss.begin(), c.val_loss.end(), [](double v) { return !std::isnan(v); });
  for (std::string& row : plot_legend(c, has_val, g, style.width)) out.push_back(std::move(row));
  for (std::string& row : skipped_note(train_skipped, val_skipped, style.log_y, style.width)) {
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace nnfit::report
