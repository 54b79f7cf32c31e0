#!/usr/bin/env bash
# End-to-end: every documented exit code from the real binary, with stdout kept clean of logs.
# (130, Ctrl-C, is in interrupt.sh.) Usage: exit_codes.sh NNFIT SOURCE_DIR
set -uo pipefail
nnfit=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# expect CODE COMMAND...: runs the command, checks its exit code, keeps its stdout/stderr.
expect() {
  local want=$1
  shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "exit $got, expected $want: $* ($(head -2 "$tmp/err"))"
}

expect 0 "$nnfit" --version
expect 0 "$nnfit" train --help
expect 0 "$nnfit" train --data "$src/data/iris.csv" --epochs 2 --model "$tmp/m.nnfit"
[ ! -s "$tmp/out" ] || fail "train wrote to stdout without --json: $(head -2 "$tmp/out")"
grep -q "^info: " "$tmp/err" || fail "train logged nothing on stderr"
expect 0 "$nnfit" train --data "$src/data/iris.csv" --epochs 2 --model "$tmp/m.nnfit" --json
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" ||
  fail "--json output is not one JSON document"

expect 1 "$nnfit" train --data "$tmp/missing.csv" --model "$tmp/x.nnfit"
printf 'a,b,y\n1,2,p\n3,oops,q\n' >"$tmp/bad.csv"
expect 1 "$nnfit" train --data "$tmp/bad.csv" --model "$tmp/x.nnfit"
grep -q "bad.csv:3: column 'b' (2): 'oops'" "$tmp/err" || fail "message: $(cat "$tmp/err")"
printf 'x,y\n1,2\n' >"$tmp/schema.csv"
expect 1 "$nnfit" predict --model "$tmp/m.nnfit" --data "$tmp/schema.csv"
[ ! -s "$tmp/out" ] || fail "a failed predict wrote to stdout"

expect 2 "$nnfit" train --data "$src/data/iris.csv" --no-such-flag
expect 2 "$nnfit" train --data "$src/data/iris.csv" --lr -1 --model "$tmp/x.nnfit"
grep -q -- "--lr" "$tmp/err" || fail "bad --lr message: $(cat "$tmp/err")"
expect 2 "$nnfit"

expect 3 "$nnfit" train --data "$src/data/diabetes.csv" --lr 1e6 --epochs 20 --model "$tmp/x.nnfit"
[ ! -e "$tmp/x.nnfit" ] || fail "a model was written by a failed run"
echo "exit codes: ok"
