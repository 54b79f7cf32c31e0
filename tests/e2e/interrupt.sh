#!/usr/bin/env bash
# End-to-end: Ctrl-C (SIGINT) during training saves the best model so far and exits 130; a
# second Ctrl-C exits 130 at once without writing a model; a killed predict leaves no partial
# output. Usage: interrupt.sh NNFIT SOURCE_DIR
set -euo pipefail
nnfit=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 100k rows x 20 features: each epoch takes long enough to be interrupted mid-run.
awk 'BEGIN { srand(1); printf "x1"; for (i = 2; i <= 20; i++) printf ",x%d", i; print ",y";
  for (r = 0; r < 100000; r++) { s = 0; for (i = 1; i <= 20; i++) { v = rand() - 0.5; s += v;
    printf "%.4f,", v } print (s > 0 ? "a" : "b") } }' >"$tmp/big.csv"

# Waits (up to 300 s: sanitizer builds are slow) until the log shows a finished epoch, so the
# signal lands mid-training.
wait_for_epoch() {
  for _ in $(seq 3000); do
    grep -q "epoch " "$1" && return 0
    sleep 0.1
  done
  fail "training never logged an epoch: $(cat "$1")"
}

# One Ctrl-C: the run stops after the current batch, saves, and exits 130.
"$nnfit" train --data "$tmp/big.csv" --epochs 100000 --patience 100000 --model "$tmp/m.nnfit" \
  2>"$tmp/log" &
pid=$!
wait_for_epoch "$tmp/log"
kill -INT "$pid"
set +e
wait "$pid"
code=$?
set -e
[ "$code" -eq 130 ] || fail "exit code $code after SIGINT, expected 130: $(tail -3 "$tmp/log")"
grep -q "saved the best model so far" "$tmp/log" || fail "no save message: $(tail -3 "$tmp/log")"
# 1000 rows are enough to show the model loads and predicts (100k cost a minute under ASan).
head -n 1001 "$tmp/big.csv" >"$tmp/small.csv"
"$nnfit" predict --model "$tmp/m.nnfit" --data "$tmp/small.csv" --quiet >"$tmp/pred.csv" ||
  fail "the interrupted run's model does not load"
[ "$(wc -l <"$tmp/pred.csv")" -eq 1001 ] || fail "expected 1000 predictions"
grep -q '"interrupted": true' "$tmp/m.nnfit" || fail "the model does not record the interruption"

# Two Ctrl-Cs in a row: exit 130 at once, no model written. A wide network makes the
# validation pass after the first signal long enough for the second to arrive first; 30k rows
# keep an epoch short enough under the sanitizers.
head -n 30001 "$tmp/big.csv" >"$tmp/mid.csv"
"$nnfit" train --data "$tmp/mid.csv" --epochs 100000 --hidden 512,512 --val-split 0.5 \
  --model "$tmp/twice.nnfit" 2>"$tmp/log2" &
pid=$!
wait_for_epoch "$tmp/log2"
kill -INT "$pid"
sleep 0.02
kill -INT "$pid" 2>/dev/null || true
set +e
wait "$pid"
code=$?
set -e
[ "$code" -eq 130 ] || fail "exit code $code after two SIGINTs, expected 130"
[ ! -e "$tmp/twice.nnfit" ] || fail "a model was written after a second Ctrl-C"
[ -z "$(ls "$tmp" | grep -v -e big.csv -e small.csv -e mid.csv -e m.nnfit -e pred.csv -e log)" ] ||
  fail "temporary files left: $(ls "$tmp")"

# predict killed mid-stream (SIGTERM, then Ctrl-C): an existing --output stays as it was and no
# temporary is left. The input comes through a FIFO held open, so predict is surely mid-file;
# 45 MB of it, since libfccp's LineReader reads 32 MB before it returns the first line.
mkfifo "$tmp/in"
for sig in TERM INT; do
  echo old >"$tmp/out.csv"
  "$nnfit" predict --model "$tmp/m.nnfit" --data "$tmp/in" --output "$tmp/out.csv" 2>/dev/null &
  pid=$!
  exec 3>"$tmp/in"
  { cat "$tmp/big.csv"; tail -n +2 "$tmp/big.csv"; tail -n +2 "$tmp/big.csv"; } >&3
  for _ in $(seq 100); do
    ls "$tmp"/out.csv.tmp-* >/dev/null 2>&1 && break
    sleep 0.1
  done
  ls "$tmp"/out.csv.tmp-* >/dev/null 2>&1 || fail "predict never started its output file"
  kill -"$sig" "$pid"
  set +e
  wait "$pid"
  code=$?
  set -e
  exec 3>&-
  expected=$([ "$sig" = TERM ] && echo 143 || echo 130)
  [ "$code" -eq "$expected" ] || fail "predict exit code $code after SIG$sig, expected $expected"
  [ "$(cat "$tmp/out.csv")" = old ] || fail "SIG$sig changed the existing --output"
  ! ls "$tmp"/out.csv.tmp-* >/dev/null 2>&1 || fail "SIG$sig left a temporary: $(ls "$tmp")"
done
echo "interrupt: ok"
