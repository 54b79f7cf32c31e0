# Sourced by the export tests (export_onnx.sh, export_c.sh): trains small models that between
# them cover every output kind (3 classes, 2 classes, regression, a linear model), every
# activation, numeric and text columns, imputation, --na-values and unseen categories, and
# writes the test CSVs they are checked on. Defines MODELS ("name:test-csv" pairs).
# Needs $nnfit, $src, $tmp and fail().

# The bundled test files, some cells changed: missing (empty or the --na-values token '.'),
# and a category not seen in training.
awk -F, -v OFS=, 'NR == 3 { $3 = "" } NR == 5 { $2 = "Atlantis" } NR == 7 { $7 = "." }
  NR == 9 { $6 = "." } NR == 11 { $1 = "" } NR == 13 { $2 = "" } { print }' \
  "$src/data/penguins.test.csv" >"$tmp/penguins.test.csv"
awk -F, -v OFS=, 'NR == 3 { $3 = "" } NR == 6 { $5 = "" } { print }' \
  "$src/data/diabetes.test.csv" >"$tmp/diabetes.test.csv"
# Two classes: the penguins' sex, rows without it dropped.
awk -F, 'NR == 1 || ($7 != "" && $7 != ".")' "$src/data/penguins.train.csv" >"$tmp/sex.train.csv"

train() {
  local name=$1
  shift
  "$nnfit" train --quiet --epochs 40 --seed 3 --model "$tmp/$name.nnfit" "$@" 2>"$tmp/$name.log" ||
    fail "training $name: $(cat "$tmp/$name.log")"
}
train iris --data "$src/data/iris.train.csv" --target species --hidden 16
train penguins --data "$src/data/penguins.train.csv" --target Species --impute median \
  --na-values . --hidden 8,6 --activation tanh,sigmoid
train sex --data "$tmp/sex.train.csv" --target Sex --impute mode --na-values . --hidden 6,5 \
  --activation identity,relu
train diabetes --data "$src/data/diabetes.train.csv" --target progression --impute mean \
  --hidden 8 --activation sigmoid
train linear --data "$src/data/diabetes.train.csv" --target progression --impute median --hidden 0
MODELS="iris:$src/data/iris.test.csv penguins:$tmp/penguins.test.csv sex:$tmp/penguins.test.csv
  diabetes:$tmp/diabetes.test.csv linear:$tmp/diabetes.test.csv"

# nnfit's own predictions for a model: with --proba for a classifier.
nnfit_predictions() {
  local name=$1 data=$2 proba=--proba
  grep -q '"task": "regression"' "$tmp/$name.nnfit" && proba=
  "$nnfit" predict --quiet --model "$tmp/$name.nnfit" --data "$data" $proba 2>>"$tmp/predict.log"
}
