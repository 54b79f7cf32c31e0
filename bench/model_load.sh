#!/usr/bin/env bash
# Load time of a large model: trains a 1300-4096-2048-3 network (about 13.7 million parameters)
# for one epoch on a small synthetic 1300-column CSV, then prints the model file's size and the
# wall time and peak RSS of `nnfit predict` (on 10 rows) and `nnfit inspect` on it.
#   bench/model_load.sh            (needs build/nnfit and /usr/bin/time; about 1 GB of memory)
set -euo pipefail
cd "$(dirname "$0")/.."
nnfit=${NNFIT:-build/nnfit}
cols=${COLS:-1300}
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -v cols="$cols" 'BEGIN {
  srand(1); h = "y"; for (c = 1; c <= cols; ++c) h = h ",x" c; print h
  for (r = 0; r < 40; ++r) { s = "c" (r % 3); for (c = 1; c <= cols; ++c) s = s "," int(rand() * 1000) / 100; print s }
}' >"$tmp/wide.csv"
/usr/bin/time -f '%e s, %M KB' -o "$tmp/t.train" "$nnfit" train --data "$tmp/wide.csv" --target y \
  --hidden 4096,2048 --epochs 1 --val-split 0 --model "$tmp/big.nnfit" --quiet
head -11 "$tmp/wide.csv" | cut -d, -f2- >"$tmp/rows.csv"
/usr/bin/time -f '%e s, %M KB' -o "$tmp/t.predict" "$nnfit" predict --model "$tmp/big.nnfit" \
  --data "$tmp/rows.csv" --output "$tmp/out.csv" --quiet
/usr/bin/time -f '%e s, %M KB' -o "$tmp/t.inspect" "$nnfit" inspect "$tmp/big.nnfit" >/dev/null
echo "model file: $(( $(stat -c %s "$tmp/big.nnfit") / 1000000 )) MB"
echo "train (1 epoch, writes the model): $(cat "$tmp/t.train")"
echo "predict (loads the model): $(cat "$tmp/t.predict")"
echo "inspect (loads the model): $(cat "$tmp/t.inspect")"
