// The terminal learning-curve plot: every line fits the width, a monotone curve draws
// monotone, the axes carry the data's range, gaps and empty input are handled.
#include "report/term_plot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"

namespace nnfit::report::term_plot_test {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Code points of a UTF-8 string, ANSI colour sequences (ESC [ ... m) skipped.
std::vector<unsigned> code_points(const std::string& s) {
  std::vector<unsigned> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0x1B) {
      i = s.find('m', i) + 1;
      continue;
    }
    const int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    unsigned cp = len == 1 ? c : c & (0xFFu >> (len + 1));
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    out.push_back(cp);
    i += static_cast<std::size_t>(len);
  }
  return out;
}

LearningCurve decreasing(int epochs, bool with_val) {
  LearningCurve c;
  for (int e = 1; e <= epochs; ++e) {
    c.epochs.push_back(e);
    c.train_loss.push_back(2.0 * std::exp(-0.05 * e));
    if (with_val) c.val_loss.push_back(2.2 * std::exp(-0.04 * e) + 0.1);
  }
  return c;
}

PlotStyle style(int width, bool ascii = false) {
  PlotStyle s;
  s.width = width;
  s.ascii = ascii;
  return s;
}

// The plot area's rows: the lines after the title, as many as the style's height, with the
// axis label and line cut off (everything up to the first axis character).
std::vector<std::vector<unsigned>> area(const std::vector<std::string>& lines, const PlotStyle& s) {
  std::vector<std::vector<unsigned>> rows;
  for (int r = 1; r <= s.height; ++r) {
    std::vector<unsigned> cps = code_points(lines[static_cast<std::size_t>(r)]);
    std::size_t axis = 0;
    while (cps[axis] != '|' && cps[axis] != '+' && cps[axis] != 0x2502 && cps[axis] != 0x2524)
      ++axis;
    rows.emplace_back(cps.begin() + static_cast<long>(axis) + 1, cps.end());
  }
  return rows;
}

TEST(TermPlotTest, EveryLineFitsTheWidth) {
  for (int width : {30, 47, 80, 133}) {
    for (bool ascii : {false, true}) {
      PlotStyle s = style(width, ascii);
      s.color = !ascii;
      LearningCurve c = decreasing(300, true);
      c.marked_epoch = 120;
      c.marked_label = "best epoch 120 (the saved weights, a long label to wrap the legend)";
      const std::vector<std::string> lines = plot_learning_curve(c, s);
      ASSERT_GE(lines.size(), static_cast<std::size_t>(s.height + 3));
      for (const std::string& line : lines) {
        EXPECT_LE(code_points(line).size(), static_cast<std::size_t>(width))
            << "width " << width << ": " << line;
      }
      // The plot area uses the whole width.
      EXPECT_EQ(code_points(lines[1]).size(), static_cast<std::size_t>(width));
    }
  }
}

TEST(TermPlotTest, HeightIsTheNumberOfPlotRows) {
  for (int height : {3, 7, 20}) {
    PlotStyle s = style(60);
    s.height = height;
    const auto lines = plot_learning_curve(decreasing(50, false), s);
    // title, height rows, epoch axis, epoch labels, one legend line.
    EXPECT_EQ(lines.size(), static_cast<std::size_t>(height + 4));
  }
}

// Each braille dot column's highest dot, from the plot area's characters (2 x 4 dots each).
std::vector<int> braille_tops(const std::vector<std::vector<unsigned>>& rows) {
  static constexpr unsigned kBit[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
  std::vector<int> top(rows[0].size() * 2, -1);
  for (std::size_t r = rows.size(); r-- > 0;) {
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      const unsigned cp = rows[r][c];
      if (cp < 0x2800 || cp > 0x28FF) continue;
      for (int dy = 3; dy >= 0; --dy) {
        for (int dx = 0; dx < 2; ++dx) {
          if ((cp - 0x2800) & kBit[dy][dx])
            top[c * 2 + static_cast<std::size_t>(dx)] = static_cast<int>(r) * 4 + dy;
        }
      }
    }
  }
  return top;
}

TEST(TermPlotTest, ADecreasingCurveDrawsMonotone) {
  const PlotStyle s = style(70);
  const auto tops = braille_tops(area(plot_learning_curve(decreasing(200, false), s), s));
  int last = -1, drawn = 0;
  for (int t : tops) {
    if (t < 0) continue;
    ++drawn;
    EXPECT_GE(t, last) << "the curve goes up again";
    last = t;
  }
  EXPECT_GE(drawn, static_cast<int>(tops.size()) - 1);  // a dot in (nearly) every column
  EXPECT_EQ(tops.front(), 0);                           // the highest value at the top
}

TEST(TermPlotTest, AsciiDrawsMonotoneWithPlainCharacters) {
  const PlotStyle s = style(50, true);
  const auto both = plot_learning_curve(decreasing(100, true), s);
  std::string all;
  for (const std::string& line : both) all += line;
  for (char ch : all) EXPECT_LT(static_cast<unsigned char>(ch), 0x80) << all;
  EXPECT_NE(all.find('*'), std::string::npos);  // the validation loss
  const auto rows = area(plot_learning_curve(decreasing(100, false), s), s);
  int last = -1;
  for (std::size_t c = 0; c < rows[0].size(); ++c) {
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (rows[r][c] != '.') continue;
      EXPECT_GE(static_cast<int>(r), last);
      last = static_cast<int>(r);
      break;
    }
  }
  EXPECT_EQ(last, s.height - 1);  // the lowest value on the bottom row
}

TEST(TermPlotTest, ValidationLossIsDrawnInQuadrantBlocks) {
  const PlotStyle s = style(60);
  LearningCurve c = decreasing(40, false);
  c.val_loss.assign(c.epochs.size(), 1.0);  // flat, away from the training curve's end
  const auto rows = area(plot_learning_curve(c, s), s);
  int quadrants = 0;
  for (const auto& row : rows) {
    for (unsigned cp : row) quadrants += cp >= 0x2580 && cp <= 0x259F;
  }
  EXPECT_GE(quadrants, static_cast<int>(rows[0].size()));  // a flat row of blocks across the plot
}

TEST(TermPlotTest, AxesShowTheRangeOfTheData) {
  PlotStyle s = style(80);
  s.height = 9;
  LearningCurve c = decreasing(150, false);
  for (std::size_t i = 0; i < 150; ++i) c.train_loss[i] = 4.0 - 3.75 * static_cast<double>(i) / 149;
  const auto lines = plot_learning_curve(c, s);
  EXPECT_NE(lines[1].find("4 "), std::string::npos) << lines[1];      // top: the maximum
  EXPECT_NE(lines[9].find("0.25 "), std::string::npos) << lines[9];   // bottom: the minimum
  EXPECT_NE(lines[5].find("2.125 "), std::string::npos) << lines[5];  // the middle row
  const std::string& labels = lines[11];
  EXPECT_EQ(labels.find_first_not_of(' '), labels.find(" 1 ") + 1) << labels;
  EXPECT_EQ(labels.substr(labels.size() - 3), "150") << labels;
}

TEST(TermPlotTest, LogScaleTicksAreGeometric) {
  PlotStyle s = style(80);
  s.height = 9;
  s.log_y = true;
  LearningCurve c;
  c.epochs = {1, 2, 3};
  c.train_loss = {100, 10, 1};
  const auto lines = plot_learning_curve(c, s);
  EXPECT_NE(lines[0].find("log scale"), std::string::npos);
  EXPECT_NE(lines[1].find("100 "), std::string::npos) << lines[1];
  EXPECT_NE(lines[5].find("10 "), std::string::npos) << lines[5];
  EXPECT_NE(lines[9].find("1 "), std::string::npos) << lines[9];
}

TEST(TermPlotTest, MarkedEpochIsAColumnAndALegendEntry) {
  PlotStyle s = style(61, true);
  LearningCurve c = decreasing(61, true);
  c.marked_epoch = 31;
  c.marked_label = "best epoch 31 (saved)";
  const auto lines = plot_learning_curve(c, s);
  const auto rows = area(lines, s);
  int markers = 0;
  std::size_t column = 0;
  for (const auto& row : rows) {
    for (std::size_t k = 0; k < row.size(); ++k) {
      if (row[k] != ':') continue;
      ++markers;
      column = k;
    }
  }
  EXPECT_GE(markers, s.height / 2);
  EXPECT_NEAR(static_cast<double>(column), (rows[0].size() - 1) / 2.0, 1.0);  // mid-run
  EXPECT_NE(lines.back().find(": best epoch 31 (saved)"), std::string::npos) << lines.back();
}

TEST(TermPlotTest, MissingPointsLeaveAGapAndANote) {
  const PlotStyle s = style(60);
  LearningCurve c = decreasing(60, true);
  for (int i = 20; i < 30; ++i) c.val_loss[static_cast<std::size_t>(i)] = kNaN;  // not recorded
  c.train_loss[40] = std::numeric_limits<double>::infinity();                    // diverged
  const auto lines = plot_learning_curve(c, s);
  std::string note;
  for (std::size_t i = lines.size() - 2; i < lines.size(); ++i) note += lines[i] + " ";
  EXPECT_NE(note.find("note: 1 training and 0 validation loss values are not drawn: not finite"),
            std::string::npos)
      << note;  // in words wrapped to the width
  for (const std::string& line : lines) EXPECT_LE(code_points(line).size(), 60u);
  // NaN alone (validation not recorded) is no note.
  c.train_loss[40] = 1.0;
  EXPECT_EQ(plot_learning_curve(c, s).back().find("note"), std::string::npos);
}

TEST(TermPlotTest, NothingToDrawIsAClearError) {
  const PlotStyle s = style(60);
  try {
    plot_learning_curve(LearningCurve{}, s);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no epochs to draw"), std::string::npos) << e.what();
  }
  LearningCurve c;
  c.epochs = {1, 2};
  c.train_loss = {kNaN, std::numeric_limits<double>::infinity()};
  EXPECT_THROW(plot_learning_curve(c, s), Error);
  c.train_loss = {0.0, -1.0};
  PlotStyle log = s;
  log.log_y = true;
  try {
    plot_learning_curve(c, log);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("drop --log"), std::string::npos) << e.what();
  }
}

TEST(TermPlotTest, TooNarrowOrTooLowIsAConfigError) {
  EXPECT_THROW(plot_learning_curve(decreasing(5, false), style(kMinPlotWidth - 1)), ConfigError);
  PlotStyle s = style(60);
  s.height = 2;
  EXPECT_THROW(plot_learning_curve(decreasing(5, false), s), ConfigError);
}

TEST(TermPlotTest, OneEpochAndAConstantCurveDraw) {
  LearningCurve c;
  c.epochs = {1};
  c.train_loss = {0.5};
  const auto one = plot_learning_curve(c, style(40, true));
  EXPECT_NE(one[one.size() - 2].find('1'), std::string::npos);  // epoch axis label
  c = decreasing(10, false);
  c.train_loss.assign(10, 0.3);
  const auto flat = plot_learning_curve(c, style(40, true));
  int dots = 0;
  for (const std::string& line : flat)
    dots += static_cast<int>(std::count(line.begin(), line.end(), '.'));
  EXPECT_GE(dots, 30);  // a flat line across the plot (some '.' are in tick labels)
}

TEST(TermPlotTest, LowestValidationEpoch) {
  LearningCurve c;
  c.epochs = {1, 2, 3, 4};
  c.train_loss = {1, 1, 1, 1};
  EXPECT_EQ(lowest_val_epoch(c), 0);
  c.val_loss = {0.5, 0.2, kNaN, 0.2};
  EXPECT_EQ(lowest_val_epoch(c), 2);  // the first of ties
}

}  // namespace
}  // namespace nnfit::report::term_plot_test
