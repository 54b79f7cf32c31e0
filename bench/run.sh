#!/usr/bin/env bash
# Speed benchmarks: nnfit against its peers (PyTorch, scikit-learn, numpy by hand, FANN,
# pandas/numpy CSV loading) on workloads W1-W4 of ../shared/bench/README.md.
#
#   bench/run.sh [W1 W2 W3 W4]        # default: all four
#   RUNS=5 bench/run.sh W2            # runs per tool (default 3)
#
# Every round runs nnfit and each peer once, one after the other (never two timing jobs at
# once), so nnfit/peer ratios come from the same conditions. Raw output goes to
# bench/results/<date>-<time>/ (git-ignored); bench/summarise.py prints medians and ratios.
#
# Environment: RUNS, NNFIT (build/nnfit), PEER_FANN (/tmp/peer_fann), SHARED
# (../shared/bench), BENCH_DATA (bench/data), OPENBLAS_CORETYPE (see bench/README.md).
set -euo pipefail

cd "$(dirname "$0")/.."                       # project root
RUNS=${RUNS:-3}
PY=/usr/bin/python3                           # Debian's interpreter (torch, sklearn, pandas)
NNFIT=${NNFIT:-build/nnfit}
FANN=${PEER_FANN:-/tmp/peer_fann}
SHARED=${SHARED:-../shared/bench}
DATA=${BENCH_DATA:-bench/data}
export BENCH_DATA=$DATA                       # the peers read their data from here too
FM_TRAIN=$DATA/fashion-mnist/train.csv
FM_TEST=$DATA/fashion-mnist/test.csv
TAB=$DATA/synth/tab100k.csv
WORKLOADS=("$@")
[ ${#WORKLOADS[@]} -eq 0 ] && WORKLOADS=(W1 W2 W3 W4)
for w in "${WORKLOADS[@]}"; do
  case $w in W1|W2|W3|W4) ;; *) echo "unknown workload $w (W1..W4)" >&2; exit 2 ;; esac
done

# OpenBLAS (under numpy, scikit-learn and PyTorch) 0.3.21 does not recognise recent Xeons and
# falls back to its SSE3 "Prescott" kernels. Unless the caller chose, use its AVX-512 kernels
# on AVX-512 machines so that the peers get the fastest BLAS this machine can run.
if [ -z "${OPENBLAS_CORETYPE+set}" ] && grep -qw avx512f /proc/cpuinfo; then
  export OPENBLAS_CORETYPE=SkylakeX
fi

# --- prerequisites -------------------------------------------------------------------------
missing=0
for f in "$FM_TRAIN" "$FM_TEST" "$TAB"; do
  [ -s "$f" ] || { echo "missing data file: $f" >&2; missing=1; }
done
if [ $missing = 1 ]; then
  cat >&2 <<EOF
Make the data first (from the project root, as root for apt-get):
  apt-get install -y dataset-fashion-mnist libfann-dev libopenblas0-pthread python3-torch python3-sklearn python3-pandas
  $PY $SHARED/make_fmnist_csv.py
  $PY $SHARED/make_synth.py
EOF
  exit 1
fi
[ -x "$NNFIT" ] || { echo "no $NNFIT: cmake --build build -j2 --target nnfit" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
if [ ! -x "$FANN" ]; then
  echo "no FANN peer at $FANN, skipping it; build with:" >&2
  echo "  g++ -O3 -march=native -I$SHARED $SHARED/peer_fann.cpp -lfloatfann -o $FANN" >&2
  FANN=
fi

OUT=bench/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
echo "results -> $OUT"

# --- what was measured where ---------------------------------------------------------------
{
  echo "date: $(date -Is)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p')"
  echo "cores: $(nproc)"
  echo "runs: $RUNS"
  echo "OPENBLAS_CORETYPE: ${OPENBLAS_CORETYPE:-<unset>}"
  echo "nnfit: $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- src apps 2>/dev/null || echo '+dirty') $($NNFIT --version 2>/dev/null || true)"
  $PY - <<'EOF' 2>/dev/null || true
import numpy, pandas, sklearn, torch, threadpoolctl
print(f"python: numpy {numpy.__version__}, pandas {pandas.__version__}, scikit-learn {sklearn.__version__}, torch {torch.__version__}")
info = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
print("blas:", ", ".join(f"{i['internal_api']} {i.get('version')} ({i.get('architecture')})" for i in info))
EOF
  echo "fann: $(dpkg-query -W -f='${Version}' libfann2 2>/dev/null || echo '?')"
} > "$OUT/meta.txt"
cat "$OUT/meta.txt"

# --- one measurement -------------------------------------------------------------------------
# measure NAME CMD...: stdout -> NAME.out, stderr -> NAME.err, GNU time -v -> NAME.time
measure() {
  local name=$1; shift
  printf '  %-28s' "$name"
  local rc=0
  /usr/bin/time -v -o "$OUT/$name.time" timeout 900 "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || rc=$?
  if [ $rc != 0 ]; then echo "FAILED (exit $rc, see $OUT/$name.err)"; return 0; fi
  awk -F': ' '/Elapsed \(wall clock\)/ { print "wall " $2 }' "$OUT/$name.time"
}

nnfit_train() {  # nnfit_train NAME DATA TARGET extra-args... (SGD as the peers: nnfit defaults to Adam)
  local name=$1 data=$2 target=$3; shift 3
  measure "$name" "$NNFIT" train --data "$data" --target "$target" --optimizer sgd --lr 0.01 --momentum 0.9 \
    --val-split 0 --seed 1 --threads 1 --model "$OUT/$name.nnfit" --json --quiet "$@"
}

w1() {
  local r=$1
  nnfit_train W1.nnfit.$r "$FM_TRAIN" label --hidden 256,128 --activation relu --batch-size 64 --epochs 5
  if [ -s "$OUT/W1.nnfit.$r.nnfit" ]; then  # test accuracy (not timed)
    "$NNFIT" predict --model "$OUT/W1.nnfit.$r.nnfit" --data "$FM_TEST" --quiet > "$OUT/W1.nnfit.$r.pred"
    paste -d, <(cut -d, -f1 "$FM_TEST") "$OUT/W1.nnfit.$r.pred" |
      awk -F, 'NR > 1 { n++; c += ($1 + 0 == $2 + 0) } END { printf "%.4f\n", c / n }' > "$OUT/W1.nnfit.$r.acc"
    rm -f "$OUT/W1.nnfit.$r.pred" "$OUT/W1.nnfit.$r.nnfit"
  fi
  measure W1.pytorch.$r $PY "$SHARED/peer_torch.py" --data fmnist --batch 64 --epochs 5 --threads 1
  measure W1.sklearn.$r $PY "$SHARED/peer_sklearn.py" --data fmnist --batch 64 --epochs 5 --threads 1
  [ -z "$FANN" ] || measure W1.fann.$r "$FANN" --data fmnist --epochs 1  # per-example SGD, 1 epoch
}

w2() {
  local r=$1
  nnfit_train W2.nnfit.$r "$TAB" y --hidden 64,64 --activation tanh --batch-size 32 --epochs 5
  measure W2.pytorch.$r $PY "$SHARED/peer_torch.py" --data tab --batch 32 --epochs 5 --threads 1
  measure W2.sklearn.$r $PY "$SHARED/peer_sklearn.py" --data tab --batch 32 --epochs 5 --threads 1
  measure W2.numpy.$r $PY "$SHARED/peer_numpy.py" --data tab --batch 32 --epochs 5 --threads 1
}

w3() {
  local r=$1
  nnfit_train W3.nnfit.$r "$TAB" y --hidden 64,64 --activation tanh --batch-size 1 --epochs 1
  measure W3.pytorch.$r $PY "$SHARED/peer_torch.py" --data tab --batch 1 --epochs 1 --threads 1
  measure W3.sklearn.$r $PY "$SHARED/peer_sklearn.py" --data tab --batch 1 --epochs 1 --threads 1
  measure W3.numpy.$r $PY "$SHARED/peer_numpy.py" --data tab --batch 1 --epochs 1 --threads 1
  [ -z "$FANN" ] || measure W3.fann.$r "$FANN" --data tab --epochs 1
}

w4() {  # CSV loading: nnfit's load_seconds of a minimal run (no hidden layer, 1 epoch)
  local r=$1
  nnfit_train W4.nnfit.$r "$FM_TRAIN" label --hidden 0 --batch-size 64 --epochs 1
  rm -f "$OUT/W4.nnfit.$r.nnfit"
  measure W4.pandas.$r $PY "$SHARED/load_csv.py" --method pandas --file "$FM_TRAIN"
  measure W4.loadtxt.$r $PY "$SHARED/load_csv.py" --method loadtxt --file "$FM_TRAIN"
}

for r in $(seq 1 "$RUNS"); do
  echo "round $r/$RUNS"
  for w in "${WORKLOADS[@]}"; do
    case $w in W1) w1 "$r" ;; W2) w2 "$r" ;; W3) w3 "$r" ;; W4) w4 "$r" ;; esac
  done
done
rm -f "$OUT"/*.nnfit

echo
$PY bench/summarise.py "$OUT" | tee "$OUT/summary.md"
