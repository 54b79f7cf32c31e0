# Shared by gridsearch_interrupt_plain.sh and gridsearch_interrupt_halving.sh (two tests, so
# ctest runs them on both cores): Ctrl-C (SIGINT) during a search with --out-dir exits 130,
# refits nothing, and leaves a journal from which the same command resumes to the table and
# model of an uninterrupted search. Sourced with NNFIT as $1; defines check and net.
nnfit=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$tmp"

# 20k rows x 10 features and a 32,32 network: a trial takes 0.05-0.15 s (many times that under
# the sanitizers), and the journal is polled every 10 ms, so the signal lands mid-search while
# the three runs per search stay cheap.
awk 'BEGIN { srand(2); printf "x1"; for (i = 2; i <= 10; i++) printf ",x%d", i; print ",y";
  for (r = 0; r < 20000; r++) { s = 0; for (i = 1; i <= 10; i++) { v = rand() - 0.5; s += v * i;
    printf "%.4f,", v } print (s > 0 ? "a" : "b") } }' >big.csv

strip() { python3 -c 'import csv,sys
rows = list(csv.reader(open(sys.argv[1])))
i = rows[0].index("seconds")
for r in rows: del r[i]; print(",".join(r))' "$1"; }

# Interrupts `nnfit gridsearch ARGS --out-dir NAME` once its journal holds a finished trial,
# resumes it, and compares with an uninterrupted run.
check() {
  local name=$1
  shift
  "$nnfit" gridsearch "$@" --out-dir "$name" --model "$name.nnfit" --results "$name.csv" \
    2>"$name.log" &
  local pid=$!
  for _ in $(seq 30000); do
    [ "$(wc -l 2>/dev/null <"$name/journal.jsonl" || echo 0)" -ge 2 ] && break
    sleep 0.01
  done
  kill -INT "$pid"
  set +e
  wait "$pid"
  local code=$?
  set -e
  [ "$code" -eq 130 ] || fail "$name: exit code $code after SIGINT, expected 130: $(tail -3 "$name.log")"
  grep -q "rerun the same command to resume" "$name.log" || fail "$name: no resume hint"
  [ ! -e "$name.nnfit" ] || fail "$name: an interrupted search refit a model"
  python3 -c 'import json,sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) >= 2, lines
for l in lines: json.loads(l)' "$name/journal.jsonl" || fail "$name: journal unreadable"
  local journaled=$(($(wc -l <"$name/journal.jsonl") - 1))
  "$nnfit" gridsearch "$@" --out-dir "$name" --model "$name.nnfit" --results "$name.csv" \
    2>"$name.resume.log" || fail "$name: resume failed: $(tail -3 "$name.resume.log")"
  grep -q "resuming: $journaled finished trials" "$name.resume.log" ||
    fail "$name: resume did not use the journal: $(head -3 "$name.resume.log")"
  "$nnfit" gridsearch "$@" --model "$name.full.nnfit" --results "$name.full.csv" --quiet 2>/dev/null
  cmp -s "$name.nnfit" "$name.full.nnfit" || fail "$name: resumed search refit a different model"
  [ "$(strip "$name.csv")" = "$(strip "$name.full.csv")" ] ||
    fail "$name: resumed table differs: $(strip "$name.csv")"
}

# --no-baseline: the interrupt and the resume are what is tested here (the baseline trial's
# resume is tests/cli/search_select_test.cc's), and each trial costs seconds under ASan.
net=(--data big.csv --no-baseline --hidden 32,32 --patience 1000)
