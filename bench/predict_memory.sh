#!/usr/bin/env bash
# Peak memory of `nnfit predict` against input size: predict streams its input in chunks, so the
# resident set should stay flat while the file grows. Trains a small penguins model, builds
# inputs of 1x, 4x and 16x ROWS rows (default 500000; 16x is about 250 MB) and prints file size,
# peak RSS (GNU time) and seconds for each.
#   bench/predict_memory.sh [ROWS]            (needs build/nnfit and /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-500000}
nnfit=${NNFIT:-build/nnfit}
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$nnfit" train --data data/penguins.train.csv --target Species --impute median --na-values . \
  --model "$tmp/m.nnfit" --quiet
# Rows drawn from the real test file's feature columns (target dropped), repeated.
tail -n +2 data/penguins.test.csv | cut -d, -f2- | grep -v '^,*$' >"$tmp/rows"
head -1 data/penguins.test.csv | cut -d, -f2- >"$tmp/1.csv"
while [ "$(wc -l <"$tmp/1.csv")" -le "$rows" ]; do cat "$tmp/rows" >>"$tmp/1.csv"; done
head -n "$((rows + 1))" "$tmp/1.csv" >"$tmp/x" && mv "$tmp/x" "$tmp/1.csv"
for k in 4 16; do
  { cat "$tmp/1.csv"; for _ in $(seq 2 "$k"); do tail -n +2 "$tmp/1.csv"; done; } >"$tmp/$k.csv"
done
printf '| input rows | file MB | peak RSS MB | seconds |\n|---:|---:|---:|---:|\n'
for k in 1 4 16; do
  /usr/bin/time -f '%M %e' -o "$tmp/time" "$nnfit" predict --model "$tmp/m.nnfit" \
    --data "$tmp/$k.csv" --output "$tmp/out.csv" --quiet
  read -r rss secs <"$tmp/time"
  mb=$(( $(stat -c %s "$tmp/$k.csv") / 1000000 ))
  printf '| %d | %d | %.1f | %s |\n' "$((rows * k))" "$mb" "$(echo "$rss / 1024" | bc -l)" "$secs"
done
