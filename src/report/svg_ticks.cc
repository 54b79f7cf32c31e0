// The SVG writer's text and tick primitives (svg.h): escaping, text widths, nice and log
// ticks, tick labels, label thinning, the palette and the charts' CSS. The charts are in svg.cc.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report/svg.h"

namespace nnfit::report::svg {

std::string escape(std::string_view in) {
  std::string out;
  for (char c : in) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

double text_width(std::string_view s, double font_size) {
  std::size_t chars = 0;  // UTF-8: count lead bytes only
  for (char c : s) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return 0.6 * font_size * static_cast<double>(chars);
}

std::vector<double> nice_ticks(double lo, double hi, int max_ticks) {
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) {
    const double d = lo == 0 ? 1 : std::abs(lo) * 0.1;
    lo -= d, hi += d;
  }
  max_ticks = std::max(max_ticks, 3);  // a range around 0 always needs 3
  // The first and last multiples of step around [lo, hi] (values within 1e-9 steps of a tick
  // count as on it).
  const auto span = [&](double step) {
    return std::make_pair(std::floor(lo / step + 1e-9), std::ceil(hi / step - 1e-9));
  };
  double step = std::pow(10.0, std::floor(std::log10((hi - lo) / (max_ticks - 1))));
  for (int i = 0;; ++i) {
    const double s = step * (i % 3 == 0 ? 1 : i % 3 == 1 ? 2 : 5) * std::pow(10.0, i / 3);
    const auto [k0, k1] = span(s);
    if (k1 - k0 + 1 <= max_ticks) {
      step = s;
      break;
    }
  }
  const auto [k0, k1] = span(step);
  std::vector<double> t;
  for (double k = k0; k <= k1; ++k) t.push_back(k * step);
  return t;
}

std::vector<double> log_ticks(double lo, double hi, int max_ticks) {
  const int e0 = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
  const int e1 = std::max(static_cast<int>(std::ceil(std::log10(hi) - 1e-9)), e0 + 1);
  const int every = std::max(1, (e1 - e0 + max_ticks - 1) / std::max(max_ticks - 1, 1));
  std::vector<double> t;
  for (int e = e0; e <= e1; ++e) {
    const double p = std::pow(10.0, e);
    if ((e - e0) % every == 0 || e == e1) t.push_back(p);
    if (e1 - e0 <= 2 && e < e1) {
      for (double m : {2.0, 5.0}) {
        if (m * p > lo && m * p < hi) t.push_back(m * p);
      }
    }
  }
  return t;
}

std::string tick_label(double v, double step, bool log) {
  char b[32];
  if (log || std::abs(v) >= 1e6 || (v != 0 && std::abs(v) < 1e-4)) {
    std::snprintf(b, sizeof b, "%g", v);
  } else {
    const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(std::abs(step)) - 1e-9)));
    std::snprintf(b, sizeof b, "%.*f", std::min(decimals, 6), v);
  }
  return b;
}

std::vector<std::size_t> thin_labels(const std::vector<double>& c, const std::vector<double>& w,
                                     double gap) {
  for (std::size_t k = 1; k <= std::max<std::size_t>(c.size(), 1); ++k) {
    std::vector<std::size_t> keep;
    bool ok = true;
    for (std::size_t i = 0; i < c.size(); i += k) {
      if (!keep.empty()) {
        const std::size_t j = keep.back();
        ok = ok && c[i] - c[j] >= (w[i] + w[j]) / 2 + gap;
      }
      keep.push_back(i);
    }
    if (ok) return keep;
  }
  return {0};
}

std::string style() {
  return "svg.chart{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;font-size:12px;"
         "display:block;margin:8px 0}"
         ".chart .title{font-size:14px;font-weight:bold}"
         ".chart .grid{stroke:#e3e3e3;stroke-width:1}"
         ".chart .axis{stroke:#444;stroke-width:1}"
         ".chart .tick{fill:#333}.chart .axis-label{fill:#222;font-weight:bold}"
         ".chart .marker-line{stroke:#c00;stroke-width:1.5;stroke-dasharray:4 3}"
         ".chart .marker-label{fill:#c00}"
         ".chart .whisker{stroke:#222;stroke-width:1.2}"
         ".chart .cell-text{fill:#111}.chart .cell-text.dark{fill:#fff}";
}

const std::vector<std::string>& palette() {
  static const std::vector<std::string> p{"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                          "#CC79A7", "#56B4E9", "#000000", "#999999"};
  return p;
}

}  // namespace nnfit::report::svg
