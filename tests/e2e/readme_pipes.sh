#!/usr/bin/env bash
# End-to-end: the README's predict pipelines, taken from README.md itself and run as written
# (build/nnfit replaced by the binary under test) in a folder holding the bundled data/.
# Usage: readme_pipes.sh NNFIT_BINARY SOURCE_DIR
set -euo pipefail
nnfit=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

ln -s "$src/data" "$tmp/data"
# The README's lines, found by what they do: a --keep example from stdin, and counting classes.
keep=$(grep -m1 -E '^cat .*nnfit predict .*--data - --keep ' "$src/README.md") || fail "no --keep example"
count=$(grep -m1 -E '^build/nnfit predict .*uniq -c' "$src/README.md") || fail "no uniq -c example"
cd "$tmp"
"$nnfit" train --data data/iris.train.csv --target species --model iris.nnfit --quiet
run() { bash -o pipefail -c "${1//build\/nnfit/$nnfit}" 2>"$tmp/err"; }
out=$(run "$keep") || fail "'$keep' failed: $(cat "$tmp/err")"
[ "$(head -1 <<<"$out")" = "species,prediction,p_setosa,p_versicolor,p_virginica" ] ||
  fail "'$keep' header: $(head -1 <<<"$out")"
[ "$(wc -l <<<"$out")" -eq 10 ] || fail "'$keep': expected 10 lines"
counts=$(run "$count") || fail "'$count' failed: $(cat "$tmp/err")"
grep -q prediction <<<"$counts" && fail "'$count' counts the header: $counts"
total=$(awk '{n += $1} END {print n}' <<<"$counts")
[ "$total" -eq 30 ] || fail "'$count': counts add up to $total, not the 30 test rows"
echo "ok"
