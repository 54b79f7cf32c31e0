// C export of a whole model: one dependency-free C99 header (only <math.h> and <string.h>) with
// the preprocessing constants, the weights as static const float arrays and a predict function,
// for embedded use. Everything in it is static, so it can be included in one translation unit
// per program (or per prefix).
//
// The interface (PREFIX is "nnfit" unless asked otherwise):
//   PREFIX_N_COLUMNS, PREFIX_N_OUTPUTS, PREFIX_N_CLASSES (0 for regression)
//   int PREFIX_predict(const float* x, float* out);
//       x: one value per model column, in the model's column order (PREFIX_column_name(i)):
//       a numeric column's raw value (NAN = missing, imputed as nnfit does); a text column's
//       category code from PREFIX_category_value. out: PREFIX_N_OUTPUTS floats: the class
//       probabilities in class order (two classes: 1 - p and p, as nnfit predict --proba
//       prints them), or the prediction in target units. Returns the predicted class index
//       (as nnfit chooses it) for a classifier, 0 for regression.
//   float PREFIX_category_value(int column, const char* text);
//       text (trimmed, unquoted) -> its category code: the category's index, NAN for a missing
//       cell ("" or one of the model's --na-values), -1 for a category not seen in training
//       (encoded as all zeros, as nnfit does).
//   int PREFIX_column_index(const char* name);  the column called name, or -1
//   int PREFIX_column_categories(int column);  0 if numeric, else its number of categories
//   int PREFIX_is_missing(const char* text);  1 if the trimmed cell text reads as missing
//   const char* PREFIX_column_name(int column);  const char* PREFIX_class_name(int k);
#pragma once

#include <string>

#include "model/model.h"

namespace nnfit::exporting {

// The header for m. prefix: a C identifier (letters, digits, '_', not starting with a digit)
// that starts every name the header defines (upper-cased for macros). ConfigError for a bad
// prefix; ModelError if m cannot be exported (see check_exportable).
std::string c_header(const model::Model& m, const std::string& prefix = "nnfit");

}  // namespace nnfit::exporting
