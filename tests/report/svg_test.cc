// The SVG writer: nice ticks, log axes, escaping, and tick labels that never overlap.
#include "report/svg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>

namespace nnfit::report::svg {
namespace {

// The step of equally spaced ticks is 1, 2 or 5 times a power of ten.
bool nice_step(double step) {
  const double m = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  return std::abs(m - 1) < 1e-6 || std::abs(m - 2) < 1e-6 || std::abs(m - 5) < 1e-6;
}

TEST(SvgTest, NiceTicksCoverTheRangeInOneTwoFiveSteps) {
  const double ranges[][2] = {{0, 1},       {0.013, 0.0171}, {-3.2, 47},  {1, 200},
                              {0.5, 0.5},   {-1e6, 1e6},     {0.98, 1.0}, {3, 4}};
  for (const auto& r : ranges) {
    for (int max_ticks : {3, 4, 7, 11}) {
      const std::vector<double> t = nice_ticks(r[0], r[1], max_ticks);
      ASSERT_GE(t.size(), 2u);
      EXPECT_LE(t.size(), static_cast<std::size_t>(max_ticks)) << r[0] << ".." << r[1];
      const double step = t[1] - t[0];
      EXPECT_LE(t.front(), r[0] + 1e-9 * step);
      EXPECT_GE(t.back(), r[1] - 1e-9 * step);
      EXPECT_TRUE(nice_step(step)) << step;
      for (std::size_t i = 1; i < t.size(); ++i) EXPECT_NEAR(t[i] - t[i - 1], step, step * 1e-6);
    }
  }
}

void expect_values(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_DOUBLE_EQ(got[i], want[i]);
}

TEST(SvgTest, LogTicksArePowersOfTenThinnedOverManyDecades) {
  expect_values(log_ticks(2e-4, 0.3, 10), {1e-4, 1e-3, 1e-2, 1e-1, 1});
  const std::vector<double> wide = log_ticks(1e-8, 1, 4);
  EXPECT_LE(wide.size(), 5u);
  EXPECT_DOUBLE_EQ(wide.front(), 1e-8);
  EXPECT_DOUBLE_EQ(wide.back(), 1);
  // Under two decades the 2s and 5s inside the range are added.
  expect_values(log_ticks(0.15, 3, 10), {0.1, 0.2, 0.5, 1, 2, 10});
}

TEST(SvgTest, TickLabelsShowTheDecimalsTheStepNeeds) {
  EXPECT_EQ(tick_label(0.25, 0.05, false), "0.25");
  EXPECT_EQ(tick_label(3, 1, false), "3");
  EXPECT_EQ(tick_label(0.5, 0.1, false), "0.5");
  EXPECT_EQ(tick_label(1e-5, 0, true), "1e-05");
  EXPECT_EQ(tick_label(2000, 500, false), "2000");
}

TEST(SvgTest, EscapesEveryTextAndAttribute) {
  EXPECT_EQ(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  Chart c;
  c.id = "x\"y";
  c.title = "<script>alert(1)</script>";
  c.x.label = "a & b";
  c.series = {{"<i>", {1, 2}, {3, 4}, Series::Kind::kLine, false, "", {}}};
  const std::string s = xy_chart(c);
  EXPECT_EQ(s.find("<script>"), std::string::npos);
  EXPECT_EQ(s.find("<i>"), std::string::npos);
  EXPECT_NE(s.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(s.find("id=\"x&quot;y\""), std::string::npos);
  EXPECT_NE(s.find("a &amp; b"), std::string::npos);
}

TEST(SvgTest, ThinLabelsKeepEveryKthSoThatNoneOverlap) {
  const std::vector<double> centres{0, 20, 40, 60, 80, 100};
  EXPECT_EQ(thin_labels(centres, std::vector<double>(6, 10), 4), (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(thin_labels(centres, std::vector<double>(6, 30), 4), (std::vector<std::size_t>{0, 2, 4}));
  EXPECT_EQ(thin_labels(centres, std::vector<double>(6, 50), 4), (std::vector<std::size_t>{0, 3}));
}

struct Label {
  double x, y;
  std::string text, anchor;
};

std::vector<Label> labels(const std::string& svg, const std::string& cls) {
  std::vector<Label> out;
  const std::regex re("<text x=\"([-0-9.]+)\" y=\"([-0-9.]+)\" class=\"" + cls +
                      "\" text-anchor=\"(\\w+)\"[^>]*>([^<]*)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it) {
    out.push_back({std::stod((*it)[1]), std::stod((*it)[2]), (*it)[4], (*it)[3]});
  }
  return out;
}

// Boxes of middle-anchored labels on one row, from the writer's own width estimate.
void expect_no_overlap(const std::vector<Label>& l) {
  for (std::size_t i = 1; i < l.size(); ++i) {
    const double gap = l[i].x - l[i - 1].x;
    EXPECT_GE(gap, (text_width(l[i].text, 12) + text_width(l[i - 1].text, 12)) / 2)
        << l[i - 1].text << " and " << l[i].text;
  }
}

TEST(SvgTest, NumericTickLabelsDoNotOverlapOnANarrowChart) {
  Chart c;
  c.id = "narrow";
  c.width = 220;
  c.series = {{"", {123456.789, 987654.321}, {0.00012, 0.00031}, Series::Kind::kPoints, false, "", {}}};
  const std::vector<Label> x = labels(xy_chart(c), "tick x");
  ASSERT_GE(x.size(), 2u);
  expect_no_overlap(x);
  const std::vector<Label> y = labels(xy_chart(c), "tick y");
  for (std::size_t i = 1; i < y.size(); ++i) EXPECT_GE(y[i - 1].y - y[i].y, 12);
}

TEST(SvgTest, LongCategoryLabelsAreRotatedAndShortened) {
  Chart c;
  c.id = "cats";
  c.x.categories = {"a category with a very long name indeed", "64,32", "128,64,32", "x"};
  c.series = {{"", {0, 1, 2, 3}, {1, 2, 3, 4}, Series::Kind::kPoints, false, "", {}}};
  const std::string s = xy_chart(c);
  EXPECT_NE(s.find("rotate(-35.0"), std::string::npos);
  EXPECT_NE(s.find("a category with a very lo..."), std::string::npos);
  c.x.categories = {"a", "b", "c", "d"};
  EXPECT_EQ(xy_chart(c).find("rotate(-35.0"), std::string::npos);
}

TEST(SvgTest, LogAxisPlacesDecadesEvenlyAndDropsNonPositiveValues) {
  Chart c;
  c.id = "log";
  c.y.log = true;
  c.series = {{"s", {1, 2, 3, 4}, {1e-5, 1e-4, 1e-2, -1}, Series::Kind::kPoints, false, "", {}}};
  const std::string s = xy_chart(c);
  const std::vector<Label> y = labels(s, "tick y");
  ASSERT_EQ(y.size(), 4u);  // three decades: powers of ten only
  EXPECT_EQ(y[0].text, "1e-05");
  EXPECT_EQ(y[3].text, "0.01");
  EXPECT_NEAR(y[0].y - y[1].y, y[2].y - y[3].y, 0.2);  // equal spacing per decade
  std::size_t circles = 0;
  for (std::size_t p = s.find("<circle"); p != std::string::npos; p = s.find("<circle", p + 1)) ++circles;
  EXPECT_EQ(circles, 3u);  // -1 has no place on a log axis
}

TEST(SvgTest, BarsHeatmapAndMarkersHaveOneElementEach) {
  BarChart b;
  b.id = "bars";
  b.categories = {"setosa", "versicolor"};
  b.series = {"precision", "recall"};
  b.values = {{0.5, 1}, {1, -0.25}};
  b.errors = {{0.1, 0}, {0, 0.05}};
  const std::string bars = bar_chart(b);
  std::size_t n = 0;
  for (std::size_t p = bars.find("class=\"bar\""); p != std::string::npos; p = bars.find("class=\"bar\"", p + 1)) ++n;
  EXPECT_EQ(n, 4u);
  EXPECT_NE(bars.find("class=\"whisker\""), std::string::npos);
  EXPECT_NE(bars.find("class=\"legend\""), std::string::npos);

  Heatmap h{"cm", "t", "true", "predicted", {"a", "b", "c"}, {"a", "b", "c"},
            {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, {{0, 0, 1}, {0, 1, 0}, {0.5, 0.5, 0}}, 40};
  const std::string hm = heatmap(h);
  n = 0;
  for (std::size_t p = hm.find("class=\"cell\""); p != std::string::npos; p = hm.find("class=\"cell\"", p + 1)) ++n;
  EXPECT_EQ(n, 9u);
  EXPECT_EQ(labels(hm, "cell-text dark").size(), 2u);  // the two shades over 0.55

  Chart c;
  c.id = "m";
  c.series = {{"", {1, 10}, {1, 2}, Series::Kind::kLine, false, "", {}}};
  c.markers = {{4, "best epoch 4"}, {50, "outside"}};
  const std::string s = xy_chart(c);
  EXPECT_NE(s.find("best epoch 4"), std::string::npos);
  EXPECT_EQ(s.find("outside"), std::string::npos);
}

}  // namespace
}  // namespace nnfit::report::svg
