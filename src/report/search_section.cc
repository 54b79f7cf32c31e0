// The search section of the report: the results table, the score against each searched key,
// and (with successive halving) the rungs.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "report/html_report.h"
#include "report/svg.h"

namespace nnfit::report {
namespace {

using svg::escape;

// A cell as a number, or NaN if it is not one (or empty).
double parse(const std::string& s) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  return s.empty() || *end != '\0' ? NAN : v;
}

std::vector<std::size_t> ranked_rows(const Table& t) {
  std::vector<std::size_t> order(t.rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const long rank = t.column("rank");
  if (rank < 0) return order;
  const auto key = [&](std::size_t i) {
    const double r = parse(t.rows[i][static_cast<std::size_t>(rank)]);
    return std::isnan(r) ? INFINITY : r;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  return order;
}

std::string results_table(const Table& t) {
  std::string s = "<div class=\"scroll\"><table id=\"search-results\"><tr>";
  for (const auto& h : t.header) s += "<th>" + escape(h) + "</th>";
  s += "</tr>\n";
  for (std::size_t i : ranked_rows(t)) {
    s += "<tr>";
    for (const auto& cell : t.rows[i]) {
      s += (std::isnan(parse(cell)) ? "<td>" : "<td class=\"num\">") + escape(cell) + "</td>";
    }
    s += "</tr>\n";
  }
  return s + "</table></div>\n";
}

// The rows that finished ("ok") with a finite score, by rung.
std::vector<std::size_t> scored_rows(const Table& t) {
  std::vector<std::size_t> rows;
  const auto status = static_cast<std::size_t>(t.column("status"));
  const auto loss = static_cast<std::size_t>(t.column("val_loss"));
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    if (t.rows[i][status] == "ok" && std::isfinite(parse(t.rows[i][loss]))) rows.push_back(i);
  }
  const long rung = t.column("rung");  // rung 1 first: the charts list the rungs in order
  if (rung >= 0) {
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
      return parse(t.rows[a][static_cast<std::size_t>(rung)]) <
             parse(t.rows[b][static_cast<std::size_t>(rung)]);
    });
  }
  return rows;
}

// "rung 2 (22 epochs)", or "2 (22 epochs)" without the word (an axis labelled "rung").
std::string rung_name(const Table& t, std::size_t row, bool word = true) {
  const long rung = t.column("rung"), budget = t.column("budget_epochs");
  std::string s = (word ? "rung " : "") + t.rows[row][static_cast<std::size_t>(rung)];
  if (budget >= 0) s += " (" + t.rows[row][static_cast<std::size_t>(budget)] + " epochs)";
  return s;
}

// x of each row for a key: its number, or the index of its value among the key's values (in
// order of appearance), then `categories` holds the values.
std::vector<double> key_positions(const Table& t, const std::vector<std::size_t>& rows,
                                  std::size_t col, svg::Axis& axis) {
  std::vector<double> x;
  bool numeric = true, positive = true;
  for (std::size_t i : rows) {
    const double v = parse(t.rows[i][col]);
    numeric = numeric && !std::isnan(v);
    positive = positive && v > 0;
    x.push_back(v);
  }
  if (numeric && !x.empty()) {
    const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    const std::string& key = t.header[col];
    const bool rate = key == "lr" || key == "l1" || key == "l2" || key.find("decay") != std::string::npos;
    axis.log = positive && (rate || *hi / *lo >= 20);
    return x;
  }
  std::map<std::string, double> index;
  x.clear();
  for (std::size_t i : rows) {
    const std::string& v = t.rows[i][col];
    if (!index.count(v)) index[v] = static_cast<double>(axis.categories.size()), axis.categories.push_back(v);
    x.push_back(index[v]);
  }
  return x;
}

// One series per rung (one in a plain search) of (x, val_loss) over `rows`.
std::vector<svg::Series> by_rung(const Table& t, const std::vector<std::size_t>& rows,
                                 const std::vector<double>& x) {
  std::vector<svg::Series> series;
  std::map<std::string, std::size_t> at;
  const auto loss = static_cast<std::size_t>(t.column("val_loss"));
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const std::string name = t.column("rung") >= 0 ? rung_name(t, rows[k]) : "";
    if (!at.count(name)) {
      at[name] = series.size();
      series.push_back({name, {}, {}, svg::Series::Kind::kPoints, false, "", {}});
    }
    series[at[name]].x.push_back(x[k]);
    series[at[name]].y.push_back(parse(t.rows[rows[k]][loss]));
  }
  return series;
}

// Positive values spanning more than a factor of 10.
bool log_helps(const std::vector<double>& v) {
  if (v.empty() || *std::min_element(v.begin(), v.end()) <= 0) return false;
  return *std::max_element(v.begin(), v.end()) / *std::min_element(v.begin(), v.end()) > 10;
}

// Successive halving: the validation loss of each candidate at each rung it reached (from the
// journal, a line joining a candidate's rungs), else at its last rung only (the table).
std::string rungs_chart(const Table& t, const std::vector<std::size_t>& rows,
                        const std::vector<std::string>& keys,
                        const std::vector<JournalTrial>* journal) {
  std::vector<JournalTrial> trials;
  if (journal != nullptr) {
    for (const JournalTrial& j : *journal) {
      if (j.rung > 0 && !j.diverged && std::isfinite(j.val_loss)) trials.push_back(j);
    }
    std::stable_sort(trials.begin(), trials.end(),
                     [](const JournalTrial& a, const JournalTrial& b) { return a.rung < b.rung; });
  }
  const bool joined = !trials.empty();
  if (!joined) {
    for (std::size_t i : rows) {
      std::string params;
      for (const auto& k : keys) params += k + "=" + t.rows[i][static_cast<std::size_t>(t.column(k))] + " ";
      trials.push_back({params, static_cast<int>(parse(t.rows[i][static_cast<std::size_t>(t.column("rung"))])),
                        static_cast<int>(parse(t.rows[i][static_cast<std::size_t>(t.column("budget_epochs"))])),
                        parse(t.rows[i][static_cast<std::size_t>(t.column("val_loss"))]), false});
    }
  }
  svg::Chart c;
  c.id = "search-rungs", c.width = 560, c.height = 360;
  c.title = "Successive halving: validation loss per rung";
  c.x.label = "rung (its epoch budget)";
  svg::Series s{joined ? "a candidate (a line joins its rungs)" : "a candidate at its last rung",
                {}, {}, svg::Series::Kind::kPoints, false, "", {}};
  std::map<int, double> rung_x;
  for (const JournalTrial& j : trials) {
    if (!rung_x.count(j.rung)) {
      rung_x[j.rung] = static_cast<double>(c.x.categories.size());
      c.x.categories.push_back(std::to_string(j.rung) + " (" + std::to_string(j.budget) + " epochs)");
    }
    s.x.push_back(rung_x[j.rung]);
    s.y.push_back(j.val_loss);
    if (joined) s.groups.push_back(j.params);
  }
  c.series = {s};
  c.y = {"validation loss", log_helps(s.y), {}, {}, {}};
  if (c.y.log) c.y.label += " (log scale)";
  return svg::xy_chart(c);
}

}  // namespace

std::string search_section(const Table& t, const std::string& source,
                           const std::vector<JournalTrial>* journal) {
  const std::vector<std::string> keys = searched_keys(t);
  const std::vector<std::size_t> rows = scored_rows(t);
  std::string charts;
  for (const std::string& key : keys) {
    svg::Chart c;
    c.id = "search-score-" + key, c.title = "Validation loss against " + key;
    c.width = 560, c.height = 340;
    const std::vector<double> x = key_positions(t, rows, static_cast<std::size_t>(t.column(key)), c.x);
    c.x.label = key + (c.x.log ? " (log scale)" : "");
    c.series = by_rung(t, rows, x);
    std::vector<double> losses;
    for (const auto& se : c.series) losses.insert(losses.end(), se.y.begin(), se.y.end());
    c.y.log = log_helps(losses);
    c.y.label = std::string("validation loss") + (c.y.log ? " (log scale)" : "");
    charts += svg::xy_chart(c);
  }
  if (t.column("rung") >= 0) charts += rungs_chart(t, rows, keys, journal);
  return "<section id=\"search\"><h2>Search</h2>\n<p class=\"note\">" + escape(source) + ": " +
         std::to_string(t.rows.size()) + " trials (" + std::to_string(rows.size()) +
         " scored), ranked; lower validation loss is better" +
         (t.column("rung") >= 0 ? "; with halving, each candidate at the last rung it reached" : "") +
         ".</p>\n<div class=\"charts\">\n" +
         charts + "</div>\n<h3>Results</h3>\n" + results_table(t) + "</section>\n";
}

}  // namespace nnfit::report
