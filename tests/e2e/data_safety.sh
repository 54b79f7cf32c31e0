#!/usr/bin/env bash
# End-to-end data safety: a diverged run saves nothing, outputs that are inputs are refused,
# a closed log stream never kills a run, and a failing gridsearch trial is a clean error.
# Usage: data_safety.sh NNFIT SOURCE_DIR
set -uo pipefail
nnfit=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
iris=$src/data/iris.csv

# One step with --lr 1e36: the weights after it are not finite. Exit 3, no model.
"$nnfit" train --data "$iris" --target species --epochs 1 --batch-size 1000 --lr 1e36 \
  --momentum 0 --model "$tmp/d.nnfit" 2>"$tmp/err"
code=$?
[ "$code" -eq 3 ] || fail "diverged run: exit $code, expected 3 ($(cat "$tmp/err"))"
[ ! -e "$tmp/d.nnfit" ] || fail "a diverged run saved a model"

# An output that is an input, through a link: refused, the data untouched.
cp "$iris" "$tmp/v.csv"
ln -s "$tmp/v.csv" "$tmp/link.csv"
sum=$(md5sum <"$tmp/v.csv")
"$nnfit" train --data "$tmp/v.csv" --target species --epochs 1 --model "$tmp/link.csv" 2>"$tmp/err"
code=$?
[ "$code" -eq 2 ] || fail "--model = --data: exit $code, expected 2"
[ "$(md5sum <"$tmp/v.csv")" = "$sum" ] || fail "--model overwrote --data"

# closed CMD...: runs CMD with stdout and stderr on a pipe whose reader has already gone (as
# after `| head` exits), SIGPIPE at its default; prints its exit code (-N: killed by signal N).
closed() {
  python3 -c 'import os, subprocess, sys
r, w = os.pipe()
os.close(r)
print(subprocess.call(sys.argv[1:], stdout=w, stderr=w))' "$@"
}
# A closed log stream: training goes on and saves the model.
code=$(closed "$nnfit" train --data "$iris" --target species --epochs 20 --model "$tmp/m.nnfit")
[ "$code" -eq 0 ] || fail "train with a closed log: exit $code, expected 0"
[ -s "$tmp/m.nnfit" ] || fail "train with a closed log saved no model"
# gridsearch: the results table goes to the closed pipe too; the refit is still saved, then
# the process ends by SIGPIPE, as it did.
code=$(closed "$nnfit" gridsearch --data "$iris" --target species --epochs 20 \
  --grid lr=0.1,0.05 --model "$tmp/g.nnfit")
[ "$code" -eq -13 ] || fail "gridsearch with a closed stdout: exit $code, expected SIGPIPE"
[ -s "$tmp/g.nnfit" ] || fail "gridsearch with a closed log saved no model"
code=$(closed "$nnfit" gridsearch --data "$iris" --target species --epochs 20 \
  --grid lr=0.1,0.05 --model "$tmp/g2.nnfit" --results "$tmp/r.csv")
[ "$code" -eq 0 ] || fail "gridsearch with a closed log: exit $code, expected 0"
[ -s "$tmp/g2.nnfit" ] && [ -s "$tmp/r.csv" ] || fail "gridsearch with a closed log saved nothing"
# predict to a closed stdout still ends at once and quietly, by SIGPIPE.
python3 -c 'import os, subprocess, sys
r, w = os.pipe()
os.close(r)
sys.exit(0 if subprocess.call(sys.argv[1:], stdout=w) == -13 else 1)' \
  "$nnfit" predict --model "$tmp/m.nnfit" --data "$iris" 2>"$tmp/err" ||
  fail "predict to a closed stdout did not end by SIGPIPE"
[ ! -s "$tmp/err" ] || fail "predict to a closed stdout printed: $(cat "$tmp/err")"

# A journal that is a link to /dev/full is refused at once, not read forever.
mkdir "$tmp/od"
ln -s /dev/full "$tmp/od/journal.jsonl"
timeout 60 "$nnfit" gridsearch --data "$iris" --target species --epochs 2 --grid lr=0.1 \
  --out-dir "$tmp/od" --model "$tmp/j.nnfit" 2>"$tmp/err"
code=$?
[ "$code" -eq 1 ] || [ "$code" -eq 2 ] || fail "/dev/full journal: exit $code ($(cat "$tmp/err"))"
grep -q "journal.jsonl" "$tmp/err" || fail "/dev/full journal message: $(cat "$tmp/err")"

# A trial whose network cannot fit in memory (9e10 parameters) with two jobs: refused before
# it is allocated (exit 2), naming the trial, its parameter count and the memory it needs; the
# other worker is joined, no abort, no model.
timeout 120 "$nnfit" gridsearch --data "$iris" --target species --epochs 2 --jobs 2 \
  --grid 'hidden=8|300000,300000|8,8|400000,400000|16' --model "$tmp/b.nnfit" 2>"$tmp/err"
code=$?
[ "$code" -eq 2 ] || fail "huge trial, --jobs 2: exit $code ($(tail -2 "$tmp/err"))"
grep -q "trial hidden=[0-9,]* ([0-9]* parameters) failed: .*needs about" "$tmp/err" ||
  fail "huge trial message: $(tail -2 "$tmp/err")"
[ ! -e "$tmp/b.nnfit" ] || fail "a failed search saved a model"
echo "data_safety: ok"
