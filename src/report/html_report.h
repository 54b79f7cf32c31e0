// The HTML report of `nnfit report`, `train --report` and `gridsearch --report`: one
// self-contained page (inline CSS and SVG, no script, nothing fetched) with the model card and,
// when given, the learning curves, the model's scores on labelled rows (classification:
// confusion matrix, per-class precision/recall/F1, ROC curves; regression: predicted vs
// actual and residuals), the permutation importance and a search's results.
#pragma once

#include <string>

#include "core/types.h"
#include "model/model.h"
#include "report/inputs.h"

namespace nnfit::report {

// Labelled rows and the model's outputs on them.
struct Scored {
  std::string source;  // the file, as named on the page
  std::string note;    // which rows these are, e.g. "the training file (rows trained on)"
  Matrix outputs;      // model::predict_outputs
  Matrix truth;        // data::encode_target: class index or value in target units, (1, N)
};

// Every pointer may be null except model; sections without input are left out.
struct ReportInputs {
  const model::Model* model = nullptr;
  std::string model_source;  // the model file's path (for the page's header)
  const History* history = nullptr;
  const Scored* scored = nullptr;
  const Importance* importance = nullptr;
  const Table* search = nullptr;
  std::string search_source;  // the out-dir or results file
  // The search's journal, for the rungs of successive halving (the table keeps each
  // candidate's last rung only); may be null.
  const std::vector<JournalTrial>* journal = nullptr;
};

std::string html_report(const ReportInputs& in);

// The sections, each a <section> element (section ids: card, curves, evaluation, importance,
// search; chart ids in README "HTML report").
std::string model_card(const model::Model& m);
std::string curves_section(const History& h, const model::Model& m);
std::string evaluation_section(const model::Model& m, const Scored& s);
std::string importance_section(const Importance& imp);
std::string search_section(const Table& t, const std::string& source,
                           const std::vector<JournalTrial>* journal);

}  // namespace nnfit::report
