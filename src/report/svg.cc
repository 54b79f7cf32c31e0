// The SVG writer's charts (svg.h): xy charts, horizontal bars and heat maps.
#include "report/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

namespace nnfit::report::svg {
namespace {

constexpr double kFont = 12, kTitleFont = 14, kMaxLabel = 28;

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

// "<text x=.. y=.. class=..>text</text>"; anchor start, middle or end; rotate in degrees.
std::string text(double x, double y, std::string_view s, const std::string& cls,
                 const char* anchor = "middle", double rotate = 0) {
  std::string t = "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" class=\"" + cls +
                  "\" text-anchor=\"" + anchor + "\"";
  if (rotate != 0) t += " transform=\"rotate(" + num(rotate) + " " + num(x) + " " + num(y) + ")\"";
  return t + ">" + escape(s) + "</text>\n";
}

std::string line(double x1, double y1, double x2, double y2, const std::string& cls) {
  return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" +
         num(y2) + "\" class=\"" + cls + "\"/>\n";
}

std::string rect(double x, double y, double w, double h, const std::string& fill,
                 const std::string& extra = "") {
  return "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(std::max(w, 0.0)) +
         "\" height=\"" + num(std::max(h, 0.0)) + "\" fill=\"" + fill + "\"" + extra + "/>";
}

std::string open_svg(const std::string& id, const std::string& kind, double w, double h,
                     const std::string& title) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + escape(id) + "\" class=\"chart " +
         kind + "\" width=\"" + num(w) + "\" height=\"" + num(h) + "\" viewBox=\"0 0 " + num(w) +
         " " + num(h) + "\" role=\"img\" aria-label=\"" + escape(title) + "\">\n" +
         rect(0, 0, w, h, "#fff") + "\n" + text(w / 2, 18, title, "title");
}

// Labels longer than kMaxLabel characters end in "...".
std::string shorten(const std::string& s) {
  return s.size() <= kMaxLabel ? s : s.substr(0, static_cast<std::size_t>(kMaxLabel) - 3) + "...";
}

// A value range mapped onto pixels [a, b] (b < a for a y axis), log10 on a log axis.
struct Scale {
  double lo = 0, hi = 1, a = 0, b = 1;
  bool log = false;
  double operator()(double v) const {
    const double t = log ? (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo))
                         : (v - lo) / (hi - lo);
    return a + t * (b - a);
  }
};

// Widens a scale by 3 % at each end (of its log range on a log axis), so that points on the
// first or last tick are not cut by the frame.
void pad(Scale& s) {
  if (s.log) {
    const double f = std::pow(s.hi / s.lo, 0.03);
    s.lo /= f, s.hi *= f;
  } else {
    const double d = (s.hi - s.lo) * 0.03;
    s.lo -= d, s.hi += d;
  }
}

// The ticks of an axis and the range they span (or the fixed range, ticks inside it).
std::vector<double> axis_ticks(const Axis& ax, std::vector<double> data, int max_ticks,
                               Scale& s) {
  if (!ax.categories.empty()) {
    std::vector<double> t;
    for (std::size_t i = 0; i < ax.categories.size(); ++i) t.push_back(static_cast<double>(i));
    s.lo = -0.5, s.hi = static_cast<double>(ax.categories.size()) - 0.5;
    return t;
  }
  data.erase(std::remove_if(data.begin(), data.end(),
                            [&](double v) { return !std::isfinite(v) || (ax.log && v <= 0); }),
             data.end());
  double lo = ax.lo ? *ax.lo : data.empty() ? (ax.log ? 1 : 0) : *std::min_element(data.begin(), data.end());
  double hi = ax.hi ? *ax.hi : data.empty() ? (ax.log ? 10 : 1) : *std::max_element(data.begin(), data.end());
  s.lo = lo, s.hi = hi, s.log = ax.log;
  const auto inside = [&](std::vector<double> t) {
    const double eps = 1e-9 * std::abs(s.hi - s.lo);
    t.erase(std::remove_if(t.begin(), t.end(),
                           [&](double v) { return v < s.lo - eps || v > s.hi + eps; }),
            t.end());
    return t;
  };
  std::vector<double> t = ax.log ? log_ticks(lo, hi, max_ticks) : nice_ticks(lo, hi, max_ticks);
  if (!ax.lo && !ax.hi) {
    s.lo = std::min(lo, t.front()), s.hi = std::max(hi, t.back());
  } else if (!ax.log) {  // a fixed range keeps only the ticks inside it: ask for 3 or more
    for (int more = 1; more <= 6 && inside(t).size() < 3; ++more) t = nice_ticks(lo, hi, max_ticks + more);
  }
  if (s.hi <= s.lo) s.hi = s.lo + 1;
  return inside(t);
}

double tick_step(const std::vector<double>& t) { return t.size() > 1 ? t[1] - t[0] : 1; }

std::vector<std::string> tick_texts(const Axis& ax, const std::vector<double>& t) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    out.push_back(ax.categories.empty() ? tick_label(t[i], tick_step(t), ax.log)
                                        : shorten(ax.categories[i]));
  }
  return out;
}

// Legend items in rows from (x0, y0) within width; returns the SVG and sets rows used.
std::string legend(const std::vector<std::pair<std::string, std::string>>& items, double x0,
                   double y0, double width, int& rows) {
  std::string s = "<g class=\"legend\">\n";
  double x = x0, y = y0;
  rows = items.empty() ? 0 : 1;
  for (const auto& [name, color] : items) {
    const double w = 22 + text_width(name, kFont) + 14;
    if (x > x0 && x + w > x0 + width) x = x0, y += 16, ++rows;
    s += rect(x, y - 9, 14, 10, color) + "\n" + text(x + 20, y, name, "legend-text", "start");
    x += w;
  }
  return s + "</g>\n";
}

std::string series_svg(const Series& se, const std::string& color, const Scale& sx,
                       const Scale& sy) {
  std::string s = "<g class=\"series\" data-name=\"" + escape(se.name) + "\">\n";
  std::string points;
  std::map<std::string, std::string> groups;
  for (std::size_t i = 0; i < se.x.size() && i < se.y.size(); ++i) {
    const double x = se.x[i], y = se.y[i];
    if (!std::isfinite(x) || !std::isfinite(y) || (sx.log && x <= 0) || (sy.log && y <= 0)) continue;
    const std::string p = num(sx(x)) + "," + num(sy(y)) + " ";
    points += p;
    if (!se.groups.empty()) groups[se.groups[i]] += p;
    if (se.kind != Series::Kind::kLine) {
      s += "<circle cx=\"" + num(sx(x)) + "\" cy=\"" + num(sy(y)) + "\" r=\"3.5\" fill=\"" + color +
           "\" fill-opacity=\"0.75\"/>\n";
    }
  }
  const std::string dash = se.dashed ? " stroke-dasharray=\"6 4\"" : "";
  if (se.kind != Series::Kind::kPoints) {
    s += "<polyline fill=\"none\" stroke=\"" + color + "\" stroke-width=\"2\"" + dash +
         " points=\"" + points + "\"/>\n";
  }
  for (const auto& [g, p] : groups) {
    s += "<polyline fill=\"none\" stroke=\"" + color + "\" stroke-opacity=\"0.35\" points=\"" + p +
         "\"/>\n";
  }
  return s + "</g>\n";
}

// An xy chart's plot area: its scales (x: left to right; y: bottom to top, in pixels), the
// ticks and their texts, and whether the x labels are rotated.
struct Frame {
  Scale sx, sy;
  std::vector<double> xt, yt;
  std::vector<std::string> xlab, ylab;
  bool rotate = false;
};

Frame layout(const Chart& c, double top, const std::vector<double>& xs, const std::vector<double>& ys) {
  Frame f;
  // Categorical x labels rotate by 35 degrees when they do not fit side by side.
  double widest = 0;
  for (const auto& cat : c.x.categories) widest = std::max(widest, text_width(shorten(cat), kFont));
  const double slot = (c.width - 120) / std::max<double>(1, static_cast<double>(c.x.categories.size()));
  f.rotate = !c.x.categories.empty() && widest + 6 > slot;
  const double bottom = c.height - 46 - (f.rotate ? widest * 0.57 : 0);
  f.sy = {0, 1, bottom, top, false};
  f.yt = axis_ticks(c.y, ys, std::max(2, static_cast<int>((bottom - top) / 36)), f.sy);
  f.ylab = tick_texts(c.y, f.yt);
  double ywide = 0;
  for (const auto& l : f.ylab) ywide = std::max(ywide, text_width(l, kFont));
  f.sx = {0, 1, 30 + ywide, c.width - 18.0, false};
  f.xt = axis_ticks(c.x, xs, std::max(2, static_cast<int>((f.sx.b - f.sx.a) / 70)), f.sx);
  f.xlab = tick_texts(c.x, f.xt);
  const bool points = std::any_of(c.series.begin(), c.series.end(),
                                  [](const Series& se) { return se.kind != Series::Kind::kLine; });
  if (points && c.x.categories.empty() && !c.x.lo && !c.x.hi) pad(f.sx);
  if (points && !c.y.lo && !c.y.hi) pad(f.sy);
  return f;
}

// Plot area, grid, tick labels (thinned so that none overlap), axes and their labels.
std::string axes(const Chart& c, const Frame& f) {
  const double left = f.sx.a, right = f.sx.b, top = f.sy.b, bottom = f.sy.a;
  std::string s = rect(left, top, right - left, bottom - top, "#fafafa", " class=\"plot-area\"") + "\n";
  std::vector<double> cy, cx, xw;
  for (double v : f.yt) cy.push_back(-f.sy(v));
  for (std::size_t i : thin_labels(cy, std::vector<double>(cy.size(), kFont), 4)) {
    s += line(left, f.sy(f.yt[i]), right, f.sy(f.yt[i]), "grid");
    s += text(left - 6, f.sy(f.yt[i]) + 4, f.ylab[i], "tick y", "end");
  }
  for (std::size_t i = 0; i < f.xt.size(); ++i) {
    cx.push_back(f.sx(f.xt[i])), xw.push_back(text_width(f.xlab[i], kFont));
  }
  for (std::size_t i : f.rotate ? thin_labels(cx, std::vector<double>(cx.size(), kFont), 2)
                                : thin_labels(cx, xw, 8)) {
    s += line(cx[i], top, cx[i], bottom, "grid");
    s += f.rotate ? text(cx[i] + 4, bottom + 16, f.xlab[i], "tick x", "end", -35)
                  : text(cx[i], bottom + 16, f.xlab[i], "tick x");
  }
  s += line(left, bottom, right, bottom, "axis") + line(left, top, left, bottom, "axis");
  s += text((left + right) / 2, c.height - 8, c.x.label, "axis-label");
  return s + text(14, (top + bottom) / 2, c.y.label, "axis-label", "middle", -90);
}

std::string markers(const std::vector<Marker>& marks, const Frame& f) {
  std::string s;
  const double middle = (f.sx.a + f.sx.b) / 2;
  for (const Marker& m : marks) {
    if (m.x < f.sx.lo || m.x > f.sx.hi) continue;
    const double x = f.sx(m.x);
    s += "<g class=\"marker\">" + line(x, f.sy.b, x, f.sy.a, "marker-line");
    s += text(x + (x > middle ? -4 : 4), f.sy.b + 12, m.label, "marker-label",
              x > middle ? "end" : "start") + "</g>\n";
  }
  return s;
}

}  // namespace

std::string xy_chart(const Chart& c) {
  std::vector<std::pair<std::string, std::string>> items;
  std::vector<std::string> colors;
  std::vector<double> xs, ys;
  for (std::size_t i = 0; i < c.series.size(); ++i) {
    const auto& se = c.series[i];
    colors.push_back(se.color.empty() ? palette()[i % palette().size()] : se.color);
    if (!se.name.empty()) items.emplace_back(se.name, colors.back());
    xs.insert(xs.end(), se.x.begin(), se.x.end());
    ys.insert(ys.end(), se.y.begin(), se.y.end());
  }
  int rows = 0;
  const std::string leg = legend(items, 50, 38, c.width - 60, rows);
  const Frame f = layout(c, 30 + rows * 16 + 14, xs, ys);
  std::string s = open_svg(c.id, "xy", c.width, c.height, c.title) + leg + axes(c, f);
  const double left = f.sx.a, top = f.sy.b;
  s += "<clipPath id=\"" + escape(c.id) + "-clip\">" +
       rect(left, top - 4, f.sx.b - left + 4, f.sy.a - top + 8, "#fff") + "</clipPath>\n<g clip-path=\"url(#" +
       escape(c.id) + "-clip)\">\n";
  for (std::size_t i = 0; i < c.series.size(); ++i) s += series_svg(c.series[i], colors[i], f.sx, f.sy);
  return s + "</g>\n" + markers(c.markers, f) + "</svg>\n";
}

namespace {

// Series k's bar of category i at y, height h, with its tooltip and whisker.
std::string one_bar(const BarChart& c, std::size_t k, std::size_t i, double y, double h,
                    const Scale& sx) {
  const double v = c.values[k][i];
  char tip[64];
  std::snprintf(tip, sizeof tip, ": %.4g", v);
  std::string r = rect(sx(std::min(v, 0.0)), y, sx(std::max(v, 0.0)) - sx(std::min(v, 0.0)), h,
                       palette()[k % palette().size()], " class=\"bar\"");
  r.resize(r.size() - 2);  // "/>": the bar gets a tooltip
  r += "><title>" + escape(c.categories[i] + (c.values.size() > 1 ? " " + c.series[k] : "") + tip) +
       "</title></rect>\n";
  if (!c.errors.empty() && c.errors[k][i] > 0) {
    const double e = c.errors[k][i], ym = y + h / 2;
    r += line(sx(v - e), ym, sx(v + e), ym, "whisker") +
         line(sx(v - e), ym - 4, sx(v - e), ym + 4, "whisker") +
         line(sx(v + e), ym - 4, sx(v + e), ym + 4, "whisker");
  }
  return r;
}

}  // namespace

std::string bar_chart(const BarChart& c) {
  const std::size_t ns = c.values.size(), nc = c.categories.size();
  const double bar = ns > 1 ? 12 : 18, band = static_cast<double>(ns) * bar + 10;
  double lw = 0;
  for (const auto& cat : c.categories) lw = std::max(lw, text_width(shorten(cat), kFont));
  int rows = 0;
  std::vector<std::pair<std::string, std::string>> items;
  for (std::size_t k = 0; ns > 1 && k < ns; ++k) items.emplace_back(c.series[k], palette()[k % palette().size()]);
  const std::string leg = legend(items, 20, 38, c.width - 30, rows);
  const double top = 30 + rows * 16 + 12, left = lw + 18, right = c.width - 20.0;
  const double plot_h = band * static_cast<double>(nc), h = top + plot_h + 48;
  std::vector<double> all{0};
  for (std::size_t k = 0; k < ns; ++k) {
    for (std::size_t i = 0; i < nc; ++i) {
      const double e = c.errors.empty() ? 0 : c.errors[k][i];
      all.push_back(c.values[k][i] - e), all.push_back(c.values[k][i] + e);
    }
  }
  Scale sx{0, 1, left, right, false};
  const std::vector<double> t = axis_ticks({c.value_label, false, c.lo, c.hi, {}}, all,
                                           std::max(2, static_cast<int>((right - left) / 70)), sx);
  std::string s = open_svg(c.id, "bars", c.width, h, c.title) + leg;
  s += rect(left, top, right - left, plot_h, "#fafafa", " class=\"plot-area\"") + "\n";
  for (double v : t) {
    s += line(sx(v), top, sx(v), top + plot_h, "grid");
    s += text(sx(v), top + plot_h + 16, tick_label(v, tick_step(t), false), "tick x");
  }
  for (std::size_t i = 0; i < nc; ++i) {
    const double y0 = top + band * static_cast<double>(i) + 5;
    s += text(left - 6, y0 + band / 2, shorten(c.categories[i]), "tick y", "end");
    for (std::size_t k = 0; k < ns; ++k) s += one_bar(c, k, i, y0 + bar * static_cast<double>(k), bar - 2, sx);
  }
  s += line(sx(0), top, sx(0), top + plot_h, "axis");
  s += text((left + right) / 2, h - 8, c.value_label, "axis-label");
  return s + "</svg>\n";
}

std::string heatmap(const Heatmap& m) {
  const double cell = m.cell;
  double rw = 0, cw = 0;
  for (const auto& r : m.rows) rw = std::max(rw, text_width(shorten(r), kFont));
  for (const auto& c : m.cols) cw = std::max(cw, text_width(shorten(c), kFont));
  const bool rotate = cw + 6 > cell;
  const double left = 28 + rw + 8, top = 30 + 18 + (rotate ? cw * 0.71 + 8 : 18);
  const double w = std::max(left + cell * static_cast<double>(m.cols.size()) + 20,
                            text_width(m.title, kTitleFont) + 20);
  const double h = top + cell * static_cast<double>(m.rows.size()) + 16;
  std::string s = open_svg(m.id, "heatmap", w, h, m.title);
  s += text(left + cell * static_cast<double>(m.cols.size()) / 2, 40, m.col_label, "axis-label");
  s += text(14, top + cell * static_cast<double>(m.rows.size()) / 2, m.row_label, "axis-label", "middle", -90);
  for (std::size_t j = 0; j < m.cols.size(); ++j) {
    const double x = left + cell * (static_cast<double>(j) + 0.5);
    s += rotate ? text(x, top - 6, shorten(m.cols[j]), "tick x", "start", -45)
                : text(x, top - 6, shorten(m.cols[j]), "tick x");
  }
  for (std::size_t i = 0; i < m.rows.size(); ++i) {
    const double y = top + cell * static_cast<double>(i);
    s += text(left - 6, y + cell / 2 + 4, shorten(m.rows[i]), "tick y", "end");
    for (std::size_t j = 0; j < m.cols.size(); ++j) {
      const double f = std::clamp(m.shade[i][j], 0.0, 1.0), x = left + cell * static_cast<double>(j);
      char fill[16];  // white to #0072B2
      std::snprintf(fill, sizeof fill, "#%02x%02x%02x", static_cast<int>(255 - f * 255),
                    static_cast<int>(255 - f * (255 - 0x72)), static_cast<int>(255 - f * (255 - 0xB2)));
      s += rect(x, y, cell - 1, cell - 1, fill, " class=\"cell\"") + "\n";
      s += text(x + cell / 2, y + cell / 2 + 4, tick_label(m.values[i][j], 1, false),
                f > 0.55 ? "cell-text dark" : "cell-text");
    }
  }
  return s + "</svg>\n";
}

}  // namespace nnfit::report::svg
