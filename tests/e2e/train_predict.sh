#!/usr/bin/env bash
# End-to-end: the real binary trains on a bundled CSV, then predicts a held-out file, through
# files and through pipes. Usage: train_predict.sh NNFIT_BINARY SOURCE_DIR
set -euo pipefail
nnfit=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Classification: train, predict to stdout, score against the test labels.
"$nnfit" train --data "$src/data/iris.train.csv" --target species --model "$tmp/iris.nnfit" \
  --history "$tmp/h.csv" --json >"$tmp/summary.json" 2>"$tmp/train.log"
grep -q '"best_epoch"' "$tmp/summary.json" || fail "no JSON summary"
grep -q 'held-out accuracy' "$tmp/train.log" || fail "no held-out accuracy in the log"
[ "$(head -1 "$tmp/h.csv")" = "epoch,train_loss,val_loss,val_acc,lr,seconds" ] || fail "history header"
"$nnfit" predict --model "$tmp/iris.nnfit" --data "$src/data/iris.test.csv" >"$tmp/pred.csv"
[ "$(head -1 "$tmp/pred.csv")" = prediction ] || fail "prediction header"
[ "$(wc -l <"$tmp/pred.csv")" -eq 31 ] || fail "expected 30 predictions"
hits=$(paste -d, <(tail -n +2 "$tmp/pred.csv") <(tail -n +2 "$src/data/iris.test.csv" | awk -F, '{print $NF}') |
  awk -F, '$1 == $2' | wc -l)
[ "$hits" -ge 27 ] || fail "only $hits/30 iris test rows right"

# Pipes: features from stdin, predictions to stdout, identical to the file-based run.
cat "$src/data/iris.test.csv" | "$nnfit" predict --model "$tmp/iris.nnfit" --data - >"$tmp/pred_stdin.csv"
cmp -s "$tmp/pred.csv" "$tmp/pred_stdin.csv" || fail "stdin predictions differ from file predictions"

# Regression, output to a file.
"$nnfit" train --data "$src/data/diabetes.train.csv" --model "$tmp/dia.nnfit" --quiet
"$nnfit" predict --model "$tmp/dia.nnfit" --data "$src/data/diabetes.test.csv" --output "$tmp/dia.csv"
[ "$(wc -l <"$tmp/dia.csv")" -eq 90 ] || fail "expected 89 regression predictions"

# Reproducible: the same flags and seed give a byte-identical model file.
"$nnfit" train --data "$src/data/iris.csv" --epochs 20 --model "$tmp/a.nnfit" --quiet --seed 7
"$nnfit" train --data "$src/data/iris.csv" --epochs 20 --model "$tmp/b.nnfit" --quiet --seed 7
cmp -s "$tmp/a.nnfit" "$tmp/b.nnfit" || fail "same seed gave different model files"

# Bad input: exit 1, a message naming file and line, no model written.
printf 'x,y\n1,a\nfoo,b\n' >"$tmp/bad.csv"
set +e
"$nnfit" train --data "$tmp/bad.csv" --model "$tmp/bad.nnfit" 2>"$tmp/bad.log"
code=$?
set -e
[ "$code" -eq 1 ] || fail "bad CSV exit code $code"
grep -q "bad.csv:3" "$tmp/bad.log" || fail "bad CSV message: $(cat "$tmp/bad.log")"
[ ! -e "$tmp/bad.nnfit" ] || fail "a model was written for bad input"
# The example config is valid and used (flags win over its model/history paths).
(cd "$src" && "$nnfit" train --config configs/train.toml --epochs 3 --model "$tmp/cfg.nnfit" \
  --history "$tmp/cfg.csv" --quiet)
(cd "$src" && "$nnfit" gridsearch --config configs/search.toml --epochs 9 --model "$tmp/s.nnfit" \
  --results "$tmp/s.csv" --quiet 2>"$tmp/s.err") || fail "configs/search.toml: $(cat "$tmp/s.err")"
[ "$(wc -l <"$tmp/s.csv")" -eq 26 ] || fail "configs/search.toml: expected 24 trials and the baseline"
grep -q '"hidden": \[' "$tmp/cfg.nnfit" || fail "config run wrote no model"
[ "$(wc -l <"$tmp/cfg.csv")" -eq 4 ] || fail "config run: expected 3 epochs of history"

# A pipe closed early (`| head`) ends predict quietly, like other Unix tools (SIGPIPE).
for _ in $(seq 400); do tail -n +2 "$src/data/iris.test.csv"; done >"$tmp/rows.csv"
{ head -1 "$src/data/iris.test.csv"; cat "$tmp/rows.csv"; } >"$tmp/big.csv"
"$nnfit" predict --model "$tmp/iris.nnfit" --data - --proba <"$tmp/big.csv" 2>"$tmp/pipe.err" |
  head -3 >"$tmp/head.csv" || true
[ "$(wc -l <"$tmp/head.csv")" -eq 3 ] || fail "head saw $(wc -l <"$tmp/head.csv") lines"
[ ! -s "$tmp/pipe.err" ] || fail "closed pipe printed: $(cat "$tmp/pipe.err")"

# train -> predict through a pipe -> evaluate: evaluate's accuracy is the share of predict's
# labels that equal the true ones.
cat "$src/data/iris.test.csv" | "$nnfit" predict --model "$tmp/iris.nnfit" --data - --keep species |
  tail -n +2 | awk -F, '$1 == $2' | wc -l >"$tmp/hits"
"$nnfit" evaluate --model "$tmp/iris.nnfit" --data - --json <"$src/data/iris.test.csv" >"$tmp/eval.json"
python3 - "$tmp/eval.json" "$(cat "$tmp/hits")" <<'PY' || fail "evaluate disagrees with predict"
import json, sys
j = json.load(open(sys.argv[1]))
assert abs(j["accuracy"] - int(sys.argv[2]) / 30) < 1e-12, (j["accuracy"], sys.argv[2])
PY
# The other numbers too: log-loss and macro F1 from predict --proba's columns, and regression
# MSE, MAE and R^2 from its predictions in target units (probabilities are printed with
# float32 precision, so the log-loss agrees to 1e-6).
"$nnfit" predict --model "$tmp/iris.nnfit" --data - --keep species --proba \
  <"$src/data/iris.test.csv" >"$tmp/proba.csv"
python3 - "$tmp/eval.json" "$tmp/proba.csv" <<'PY' || fail "evaluate's log-loss or F1 disagrees with predict"
import csv, json, math, sys
j = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
ll = -sum(math.log(min(max(float(r["p_" + r["species"]]), 1e-15), 1 - 1e-15)) for r in rows) / len(rows)
assert abs(j["log_loss"] - ll) < 1e-6, (j["log_loss"], ll)
f1s = []
for c in sorted({r["species"] for r in rows}):
    tp = sum(r["species"] == c and r["prediction"] == c for r in rows)
    fp = sum(r["species"] != c and r["prediction"] == c for r in rows)
    fn = sum(r["species"] == c and r["prediction"] != c for r in rows)
    f1s.append(0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
assert abs(j["macro_f1"] - sum(f1s) / len(f1s)) < 1e-12, (j["macro_f1"], f1s)
PY
"$nnfit" train --data "$src/data/diabetes.train.csv" --target progression --model "$tmp/d.nnfit" --quiet
"$nnfit" predict --model "$tmp/d.nnfit" --data "$src/data/diabetes.test.csv" --keep progression \
  >"$tmp/reg.csv"
"$nnfit" evaluate --model "$tmp/d.nnfit" --data "$src/data/diabetes.test.csv" --json >"$tmp/reg.json"
python3 - "$tmp/reg.json" "$tmp/reg.csv" <<'PY' || fail "evaluate's regression metrics disagree with predict"
import csv, json, sys
j = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
y = [float(r["progression"]) for r in rows]
p = [float(r["prediction"]) for r in rows]
n = len(y)
mse = sum((a - b) ** 2 for a, b in zip(y, p)) / n
mae = sum(abs(a - b) for a, b in zip(y, p)) / n
mean = sum(y) / n
r2 = 1 - mse * n / sum((a - mean) ** 2 for a in y)
for k, v in (("mse", mse), ("mae", mae), ("r2", r2)):
    assert abs(j[k] - v) <= 1e-5 * max(1, abs(v)), (k, j[k], v)
PY
"$nnfit" inspect "$tmp/iris.nnfit" --json | python3 -c 'import json,sys; assert "layers" not in json.load(sys.stdin)' ||
  fail "inspect --json"
echo "e2e train_predict: ok"
