#!/usr/bin/env bash
# Hyper-parameter search against scikit-learn on letter (16000 training rows, 16 features, 26
# classes): the same 9-candidate grid (lr 0.1/0.03/0.01 x hidden 64 / 128,64 / 256), SGD with
# momentum 0.9, batch 32, 30 epochs without early stopping, one 80/20 validation split, scored
# by validation log-loss, best refit on all rows and scored on letter.test. nnfit gridsearch
# (grid with --jobs 1 and 2, --halving with --jobs 2) against GridSearchCV / HalvingGridSearchCV
# (n_jobs 1 and 2; resource max_iter, factor 3). Prints a markdown table of medians over
# REPEATS runs (seconds, peak RSS of the largest process, test accuracy), and checks that
# nnfit's --jobs 1 and --jobs 2 tables and models are identical.
#   bench/gridsearch.sh [REPEATS]    (needs build/nnfit, /usr/bin/time, python3-sklearn)
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}
nnfit=${NNFIT:-build/nnfit}
data=${SHARED_DATA:-../shared/data}
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PYTHONWARNINGS=ignore  # ConvergenceWarning from every capped sklearn fit, in every worker

search=(--data "$data/letter.train.csv" --target lettr --grid lr=0.1,0.03,0.01
        --grid 'hidden=64|128,64|256' --epochs 30 --batch-size 32 --momentum 0.9
        --patience 100000 --val-split 0.2 --quiet)

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# run_nnfit NAME ARGS...: REPEATS runs; records seconds, RSS (MB) and test accuracy per run.
run_nnfit() {
  local name=$1
  shift
  for r in $(seq "$repeats"); do
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$nnfit" gridsearch "${search[@]}" "$@" \
      --model "$tmp/$name.nnfit" --results "$tmp/$name.csv"
    read -r secs rss <"$tmp/time"
    acc=$("$nnfit" evaluate --model "$tmp/$name.nnfit" --data "$data/letter.test.csv" --json |
          /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["accuracy"])')
    echo "$secs $(echo "$rss / 1024" | bc -l) $acc" >>"$tmp/$name.runs"
  done
}

run_sklearn() {
  local name=$1 strategy=$2 jobs=$3
  for r in $(seq "$repeats"); do
    /usr/bin/python3 bench/search_sklearn.py "$data/letter.train.csv" "$data/letter.test.csv" \
      lettr "$strategy" "$jobs" 30 |
      /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["seconds"], j["peak_rss_mb"], j["test_accuracy"])' \
      >>"$tmp/$name.runs"
  done
}

run_nnfit nnfit-grid-1 --jobs 1
run_nnfit nnfit-grid-2 --jobs 2
run_nnfit nnfit-halving-2 --jobs 2 --halving --min-epochs 3
python_strip='import csv,sys
rows = list(csv.reader(open(sys.argv[1])))
i = rows[0].index("seconds")
for r in rows: del r[i]; print(",".join(r))'
same=no
if [ "$(/usr/bin/python3 -c "$python_strip" "$tmp/nnfit-grid-1.csv")" = \
     "$(/usr/bin/python3 -c "$python_strip" "$tmp/nnfit-grid-2.csv")" ] &&
   cmp -s "$tmp/nnfit-grid-1.nnfit" "$tmp/nnfit-grid-2.nnfit"; then same=yes; fi
run_sklearn sklearn-grid-1 grid 1
run_sklearn sklearn-grid-2 grid 2
run_sklearn sklearn-halving-2 halving 2

printf '| search | seconds | peak RSS MB | test accuracy |\n|---|---:|---:|---:|\n'
for name in nnfit-grid-1 sklearn-grid-1 nnfit-grid-2 sklearn-grid-2 nnfit-halving-2 sklearn-halving-2; do
  s=$(cut -d' ' -f1 "$tmp/$name.runs" | median)
  m=$(cut -d' ' -f2 "$tmp/$name.runs" | median)
  a=$(cut -d' ' -f3 "$tmp/$name.runs" | median)
  printf '| %s | %.2f | %.0f | %.4f |\n' "$name" "$s" "$m" "$a"
done
echo "nnfit --jobs 1 and --jobs 2: identical table and model: $same"
