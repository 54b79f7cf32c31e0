// The page and the model card; the chart sections are in sections.cc and search_section.cc.
#include "report/html_report.h"

#include <cmath>
#include <cstdio>

#include "data/preprocess.h"
#include "data/target.h"
#include "io/model_io.h"
#include "report/svg.h"

namespace nnfit::report {
namespace {

using svg::escape;

const char* kCss =
    "body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;font-size:14px;color:#222;"
    "margin:20px auto;max-width:1180px;padding:0 16px;background:#fff}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;border-bottom:2px solid #0072B2;"
    "padding-bottom:3px;margin-top:28px}h3{font-size:15px;margin:14px 0 4px}"
    ".meta,.note{color:#555}.charts{display:flex;flex-wrap:wrap;gap:10px 18px;align-items:flex-start}"
    "table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ccc;padding:3px 8px;"
    "text-align:left;vertical-align:top}th{background:#eef3f8}td.num{text-align:right;"
    "font-variant-numeric:tabular-nums}code{font-size:12px;word-break:break-all}"
    ".scroll{max-height:420px;overflow:auto;display:inline-block}nav a{margin-right:14px}";

std::string row(const std::string& key, const std::string& value_html) {
  return "<tr><th>" + escape(key) + "</th><td>" + value_html + "</td></tr>\n";
}

std::string number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

std::string names(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + escape(x);
  return s;
}

// A JSON object's scalar members as "key value" lines; nested values as compact JSON.
std::string json_lines(const nlohmann::json& j) {
  if (!j.is_object()) return "<code>" + escape(j.dump()) + "</code>";
  std::string s;
  for (const auto& [k, v] : j.items()) {
    const std::string text = v.is_number_float() ? number(v.get<double>())
                             : v.is_string()     ? v.get<std::string>()
                                                 : v.dump();
    s += (s.empty() ? "" : "<br>") + escape(k) + " <code>" + escape(text) + "</code>";
  }
  return s;
}

std::string columns_table(const model::Model& m) {
  std::string s = "<table id=\"card-columns\"><tr><th>column</th><th>type</th><th>"
                  "preprocessing</th><th>missing cells</th></tr>\n";
  for (const auto& c : m.features.columns) {
    std::string pre, fill = "error (no --impute)";
    if (c.categorical) {
      pre = "one-hot over " + std::to_string(c.categories.size()) + ": " + names(c.categories);
      if (!std::isnan(c.fill)) fill = "&rarr; " + escape(c.categories[static_cast<std::size_t>(c.fill)]);
    } else {
      pre = "standardised: (x &minus; " + number(c.mean) + ") / " + number(c.scale);
      if (!std::isnan(c.fill)) fill = "&rarr; " + number(c.fill);
    }
    s += "<tr><td>" + escape(c.name) + "</td><td>" + (c.categorical ? "categorical" : "numeric") +
         "</td><td>" + pre + "</td><td>" + fill + "</td></tr>\n";
  }
  return s + "</table>\n";
}

std::string network_text(const nlohmann::json& a) {
  std::string s = std::to_string(a.at("inputs").get<long>()) + " inputs &rarr; hidden ";
  s += escape(a.at("hidden").dump()) + " (" + escape(a.at("activations").dump()) + ") &rarr; ";
  s += std::to_string(a.at("outputs").get<long>()) + " output(s), loss " +
       escape(a.at("loss").get<std::string>()) + "; " +
       std::to_string(a.at("parameters").get<long>()) + " parameters";
  return s;
}

}  // namespace

std::string model_card(const model::Model& m) {
  const nlohmann::json j = io::model_header(m);
  const nlohmann::json& mt = m.metrics;
  std::string s = "<section id=\"card\"><h2>Model card</h2>\n<table id=\"card-summary\">\n";
  s += row("task", escape(data::task_name(m.target.task)) + ", target " + escape(m.target_name));
  if (m.target.task == data::Task::kClassification) {
    s += row("classes", names(m.target.classes));
  } else {
    s += row("target scaling", "standardised with mean " + number(m.target_mean) + ", scale " +
                                   number(m.target_scale) + " (predictions in target units)");
  }
  s += row("network", network_text(j.at("architecture")));
  s += row("imputation", escape(data::impute_name(m.features.impute)));
  if (!m.na_values.empty()) s += row("missing-value tokens", names(m.na_values));
  if (!m.ignored_columns.empty()) s += row("ignored columns", names(m.ignored_columns));
  if (!m.weight_column.empty()) s += row("sample weights", "column " + escape(m.weight_column));
  s += row("seed", std::to_string(m.options.seed));
  s += row("best epoch", std::to_string(mt.value("best_epoch", 0)) + " of " +
                             std::to_string(mt.value("epochs_run", 0)) +
                             (mt.value("interrupted", false) ? " (interrupted)" : ""));
  const std::pair<const char*, const char*> records[] = {
      {"train", "training metrics"}, {"validation", "validation metrics"},
      {"protocol", "protocol"}, {"refit", "refit"}, {"search", "search"}};
  for (const auto& [key, title] : records) {
    if (mt.contains(key)) s += row(title, json_lines(mt.at(key)));
  }
  s += "</table>\n<h3>Columns and preprocessing (" + std::to_string(m.features.columns.size()) +
       ", fitted on the training rows)</h3>\n" + columns_table(m);
  s += "<h3>Hyper-parameters</h3>\n<table id=\"card-hyperparameters\">\n<tr>";
  int n = 0;  // three key-value pairs per row
  for (const auto& [k, v] : j.at("hyperparameters").items()) {
    if (n++ % 3 == 0 && n > 1) s += "</tr>\n<tr>";
    s += "<th>" + escape(k) + "</th><td><code>" +
         escape(v.is_string() ? v.get<std::string>() : v.dump()) + "</code></td>";
  }
  return s + "</tr>\n</table>\n</section>\n";
}

std::string html_report(const ReportInputs& in) {
  std::string body, nav;
  const auto add = [&](const std::string& id, const std::string& title, const std::string& html) {
    nav += "<a href=\"#" + id + "\">" + title + "</a>";
    body += html;
  };
  if (in.history != nullptr) add("curves", "Learning curves", curves_section(*in.history, *in.model));
  if (in.scored != nullptr) add("evaluation", "Evaluation", evaluation_section(*in.model, *in.scored));
  if (in.importance != nullptr) add("importance", "Importance", importance_section(*in.importance));
  if (in.search != nullptr) add("search", "Search", search_section(*in.search, in.search_source, in.journal));
  add("card", "Model card", model_card(*in.model));
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>nnfit report: " + escape(in.model_source) + "</title>\n<style>" + kCss +
         svg::style() + "</style>\n</head>\n<body>\n<h1>nnfit report</h1>\n<p class=\"meta\">model " +
         escape(in.model_source) + " &middot; " + escape(data::task_name(in.model->target.task)) +
         " of " + escape(in.model->target_name) + "</p>\n<nav>" + nav + "</nav>\n" + body +
         "</body>\n</html>\n";
}

}  // namespace nnfit::report
