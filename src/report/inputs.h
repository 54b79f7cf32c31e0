// What `nnfit report` reads besides the model: the learning curve that `train --history`
// writes, a search's results table (`gridsearch --results`, or results.csv in its --out-dir),
// the permutation importance JSON of `nnfit importance --json`; and the ROC curve of scores.
// Every problem is a DataError naming the file (and line where it applies) and what to do.
#pragma once

#include <istream>
#include <string>
#include <vector>

namespace nnfit::report {

// One row per epoch; NaN where a cell is empty (no validation rows).
struct History {
  std::string source;
  std::string metric;  // the 4th column's name: val_acc, val_rmse...
  std::vector<double> epoch, train_loss, val_loss, val_metric, lr;
};
// The CSV `train --history` writes: epoch,train_loss,val_loss,METRIC,lr[,seconds].
History read_history(const std::string& name, std::istream& in);
History read_history(const std::string& path);

// A CSV table as text cells: header and rows (each as wide as the header).
struct Table {
  std::string source;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  // The index of a column, or -1.
  long column(const std::string& name) const;
};
// A gridsearch results table: needs the columns trial, status and val_loss.
Table read_results(const std::string& name, std::istream& in);
Table read_results(const std::string& path);
// The searched keys of a results table: the columns between "trial" and "rung" or "status".
std::vector<std::string> searched_keys(const Table& t);

// A finished trial of a search's journal (journal.jsonl in its --out-dir); with successive
// halving one per candidate and rung, where the results table keeps only the last.
struct JournalTrial {
  std::string params;  // "hidden=8 lr=0.1": the candidate
  int rung = 0, budget = 0;
  double val_loss = 0;
  bool diverged = false;
};
// The trials after the journal's first line (the search's fingerprint); DataError naming
// path:line for a line that is not a trial.
std::vector<JournalTrial> read_journal(const std::string& path);

struct ImportanceColumn {
  std::string column;
  double mean = 0, std = 0;
  std::vector<double> drops;
};
// The shared contract with `nnfit importance --json` (see README, "HTML report").
struct Importance {
  std::string source, metric;
  bool higher_is_better = true;
  double baseline = 0;
  int repeats = 0;
  long long seed = 0, rows = 0;
  std::vector<ImportanceColumn> columns;
};
Importance parse_importance(const std::string& source, const std::string& json_text);
Importance read_importance(const std::string& path);

// The ROC curve of scores for the positive rows: (0,0), one point per distinct score from the
// highest down (ties move both rates at once), ending at (1,1). Empty if there are no
// positives or no negatives.
struct RocCurve {
  std::vector<double> fpr, tpr;
};
RocCurve roc_curve(const std::vector<double>& scores, const std::vector<bool>& positive);

}  // namespace nnfit::report
