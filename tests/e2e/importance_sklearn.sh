#!/usr/bin/env bash
# End-to-end: `nnfit importance` gives scikit-learn's permutation_importance numbers on the same
# model and rows (tests/e2e/lib/importance_sklearn.py reads the model file into a scikit-learn
# estimator): a classifier by accuracy, one with categorical columns, missing cells and sample
# weights by log-loss, and a regressor by R^2. Needs python3-sklearn (scripts/install-deps.sh --tests).
# Usage: importance_sklearn.sh NNFIT_BINARY SOURCE_DIR
set -euo pipefail
nnfit=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
py=/usr/bin/python3  # Debian's, with python3-sklearn (not a virtualenv's python3 on PATH)
check=$src/tests/e2e/lib/importance_sklearn.py

# MODEL DATA [WEIGHT_COLUMN] [importance flags...]: nnfit's predictions and importance with 40
# repeats, added to the cases that scikit-learn checks at the end.
compare() {
  local model=$1 data=$2 weight=$3
  shift 3
  local proba=--proba
  grep -q '"task": "regression"' "$model" && proba=""
  "$nnfit" predict --model "$model" --data "$data" $proba >"$model.pred.csv"
  "$nnfit" importance --model "$model" --data "$data" --repeats 40 --json --quiet "$@" \
    >"$model.json"
  echo "$model $data $model.pred.csv $model.json $weight" >>"$tmp/cases"
}

"$nnfit" train --data "$src/data/iris.train.csv" --target species --refit-folds 0 --epochs 60 \
  --model "$tmp/iris.nnfit" --quiet
compare "$tmp/iris.nnfit" "$src/data/iris.test.csv" ""

# Penguins: text columns one-hot encoded, missing cells imputed, rows weighted 1-3.
awk -F, -v OFS=, 'NR == 1 { print $0, "w"; next } { print $0, 1 + NR % 3 }' \
  "$src/data/penguins.csv" >"$tmp/penguins.csv"
"$nnfit" train --data "$tmp/penguins.csv" --target Species --impute median --weight-column w \
  --refit-folds 0 --epochs 30 --hidden 8 --model "$tmp/penguins.nnfit" --quiet
compare "$tmp/penguins.nnfit" "$tmp/penguins.csv" w --metric log_loss

"$nnfit" train --data "$src/data/diabetes.train.csv" --refit-folds 0 --epochs 40 \
  --model "$tmp/diabetes.nnfit" --quiet
compare "$tmp/diabetes.nnfit" "$src/data/diabetes.test.csv" ""

"$py" "$check" "$tmp/cases" || fail "nnfit importance differs from scikit-learn's (above)"
