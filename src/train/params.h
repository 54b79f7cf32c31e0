// The hyper-parameter table: every TrainOptions field declared once, with its flag and TOML
// key, JSON key, group, documentation, choices and whether a search may vary it (as LightGBM's
// config.h does). The CLI's flags, config keys and --print-config, the model file's
// "hyperparameters" object (a missing key reads as its default, so adding a row never breaks an
// old model), the searchable keys and the search fingerprint are all derived from it: adding a
// hyper-parameter is one field in config.h, one check in config.cc and one row here.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "train/config.h"

namespace nnfit::train {

enum class ParamGroup { kArchitecture, kOptimizer, kSchedule, kRegularization, kStopping, kRun };

std::string group_name(ParamGroup g);  // "architecture", "optimizer", ...

// A pointer to the TrainOptions field a row describes.
using ParamField =
    std::variant<double TrainOptions::*, int TrainOptions::*, Index TrainOptions::*,
                 std::uint64_t TrainOptions::*, bool TrainOptions::*, std::string TrainOptions::*,
                 std::vector<Index> TrainOptions::*, std::vector<std::string> TrainOptions::*,
                 std::vector<double> TrainOptions::*>;

struct Param {
  std::string name;  // flag (--name) and TOML key; the JSON key is name with '_' for '-'
  ParamGroup group;
  ParamField field;
  std::string doc;                   // one line for --help
  std::vector<std::string> choices;  // allowed values of a string (or list of strings) field
  bool searchable = true;            // gridsearch --grid / --space may vary it
};

// Every row, in the order of --help and --print-config.
const std::vector<Param>& params();
// The row named name ('-' or '_' spellings), or nullptr.
const Param* find_param(const std::string& name);

// The value of p in o as text that set_text reads back to the same value: numbers in their
// shortest round-trip form, lists comma-separated ("0" for no hidden layer), true/false.
std::string get_text(const Param& p, const TrainOptions& o);
// Parses text into p's field of o. Throws ConfigError "invalid --name 'text': ..." for text that
// is not of the field's type or not one of its choices (ranges are validate()'s job). The
// rate accepts "auto" (sets lr_auto).
void set_text(const Param& p, TrainOptions& o, const std::string& text);
// "" if text parses as p's field, else why not ("not a number", "expected one of ...").
std::string value_problem(const Param& p, const std::string& text);
// FLOAT, INT or TEXT, for --help.
std::string type_name(const Param& p);
// Whether p's field holds the same value in a and b.
bool same_value(const Param& p, const TrainOptions& a, const TrainOptions& b);

}  // namespace nnfit::train
