#!/usr/bin/env bash
# nnfit's speed benchmark: nnfit against its peers (PyTorch, scikit-learn, numpy by hand, FANN,
# pandas / numpy CSV loading) and against the machine's own single-thread SGEMM speed.
#
#   bench/run.sh                    # every workload, RUNS=3 rounds (see bench/README.md)
#   RUNS=5 bench/run.sh W1 PRED     # some workloads, more rounds
#   bench/run.sh --smoke            # tiny generated data, every workload once, a few seconds
#
# Workloads: W1 W2 W3 W4 (the shared peer workloads), THREADS (W1/W2 on 1 and 2 threads, idle
# and with a competing busy process), OPT (W1/W2 with adam and lbfgs), PRED (nnfit predict against
# a PyTorch inference script), W5 (scaling: 1e5, 1e6, 1e7 generated rows). The end-to-end W1
# comparison (E2E) is computed from W1's runs. Before the rounds the script picks the OpenBLAS
# kernels of the peers by timing (OPENBLAS_CORETYPE, peers only) and measures the SGEMM bound.
#
# Each round runs every selected workload, nnfit then each peer, one process at a time, so
# nnfit/peer ratios come from the same conditions. Raw output: bench/results/<date>-<time>/
# (git-ignored); bench/summarise.py prints the tables at the end (summary.md).
#
# Environment: RUNS (3), NNFIT (build/nnfit), PEER_FANN (/tmp/peer_fann), SHARED
# (../shared/bench), BENCH_DATA (bench/data), PEER_CORETYPE (skip the timing: a kernel set
# name, `unset` or `inherited`), PEERS (`none`: nnfit only), W5_SIZES ("100000 1000000
# 10000000"), SMOKE=1 (= --smoke), PY (/usr/bin/python3).
set -euo pipefail

cd "$(dirname "$0")/.."                       # project root

usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; }

# --- options ----------------------------------------------------------------------------------
SMOKE=${SMOKE:-0}
WORKLOADS=()
for arg in "$@"; do
  case $arg in
    --smoke) SMOKE=1 ;;
    -h|--help) usage; exit 0 ;;
    W1|W2|W3|W4|THREADS|OPT|PRED|W5) WORKLOADS+=("$arg") ;;
    *) echo "unknown argument $arg (workloads: W1 W2 W3 W4 THREADS OPT PRED W5; --smoke)" >&2
       exit 2 ;;
  esac
done
[ ${#WORKLOADS[@]} -gt 0 ] || WORKLOADS=(W1 W2 W3 W4 THREADS OPT PRED W5)
selected() { local w; for w in "${WORKLOADS[@]}"; do [ "$w" = "$1" ] && return 0; done; return 1; }

NNFIT=${NNFIT:-build/nnfit}
FANN=${PEER_FANN:-/tmp/peer_fann}
SHARED=${SHARED:-../shared/bench}
PEERS=${PEERS:-auto}
PY=${PY:-/usr/bin/python3}                    # Debian's interpreter (torch, sklearn, pandas)
[ -x "$PY" ] || PY=$(command -v python3 || echo python3)
SMOKE_DIR=
if [ "$SMOKE" = 1 ]; then                     # everything in a temporary folder
  RUNS=1
  SMOKE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/nnfit-bench-smoke.XXXXXX")
  DATA=$SMOKE_DIR/data
  OUT=$SMOKE_DIR/results
  W5_SIZES=${W5_SIZES:-"200 400 800"}
else
  RUNS=${RUNS:-3}
  DATA=${BENCH_DATA:-bench/data}
  OUT=bench/results/$(date +%Y%m%d-%H%M%S)
  W5_SIZES=${W5_SIZES:-"100000 1000000 10000000"}
fi
export BENCH_DATA=$DATA                       # the peers read their data from here too
FM_TRAIN=$DATA/fashion-mnist/train.csv
FM_TEST=$DATA/fashion-mnist/test.csv
TAB=$DATA/synth/tab100k.csv
W5_DIR=$DATA/w5
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# --- clean-up: the busy process of the loaded rows never outlives the script ------------------
BUSY_PID=
start_busy() {  # one process that keeps one core busy
  yes >/dev/null &
  BUSY_PID=$!
}
stop_busy() {
  if [ -n "$BUSY_PID" ]; then
    kill "$BUSY_PID" 2>/dev/null || true
    wait "$BUSY_PID" 2>/dev/null || true
    BUSY_PID=
  fi
}
SMOKE_OK=0
SGEMM_BUILD_PID=
cleanup() {
  stop_busy
  [ -z "$SGEMM_BUILD_PID" ] || wait "$SGEMM_BUILD_PID" 2>/dev/null || true  # a g++ of ours
  if [ -n "$SMOKE_DIR" ]; then
    if [ "$SMOKE_OK" = 1 ]; then rm -rf "$SMOKE_DIR"; else echo "smoke files kept in $SMOKE_DIR" >&2; fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- prerequisites ----------------------------------------------------------------------------
[ -x "$NNFIT" ] || { echo "no $NNFIT: cmake --build build -j2 --target nnfit" >&2; exit 1; }
NNFIT=$(cd "$(dirname "$NNFIT")" && pwd)/$(basename "$NNFIT")
command -v g++ >/dev/null || { echo "needs g++ (bench/sgemm.cc, bench/gen_csv.cc)" >&2; exit 1; }
GNU_TIME=${GNU_TIME-/usr/bin/time}
if [ ! -x "$GNU_TIME" ]; then
  if [ "$SMOKE" = 1 ]; then
    echo "no GNU time (apt-get install -y time): no peak RSS figures" >&2
    GNU_TIME=
  else
    echo "needs GNU time for peak RSS: apt-get install -y time" >&2
    exit 1
  fi
fi

# Helper programs are built next to the nnfit binary (or in the results folder), once.
TOOLS=$(dirname "$NNFIT")/bench-tools
if ! mkdir -p "$TOOLS" 2>/dev/null || [ ! -w "$TOOLS" ]; then
  TOOLS=$OUT/tools
  mkdir -p "$TOOLS"
fi
build_tool() {  # build_tool NAME SOURCE G++-ARGS...: compile unless the binary is newer
  local bin=$TOOLS/$1 src=$2
  shift 2
  if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
    echo "building $bin"
    g++ -std=c++17 "$src" -o "$bin.$$" "$@" && mv "$bin.$$" "$bin"
  fi
}
build_tool gen_csv bench/gen_csv.cc -O2

# Python peers: which modules the interpreter has (without importing them).
PYMODS=" $("$PY" -c 'import importlib.util as u
print(" ".join(m for m in ("numpy", "pandas", "torch", "sklearn", "threadpoolctl") if u.find_spec(m)))' \
  2>/dev/null || true) "
have_mods() { local m; for m; do [[ $PYMODS == *" $m "* ]] || return 1; done; }
[ -x "$FANN" ] || FANN=

declare -A SKIP_NOTED=()
peer_ok() {  # peer_ok TOOL: true if TOOL can run here; otherwise one line saying why, once
  local why=
  case $1 in
    pytorch)  have_mods numpy pandas torch || why="$PY lacks numpy, pandas or torch" ;;
    sklearn)  have_mods numpy pandas sklearn || why="$PY lacks numpy, pandas or sklearn" ;;
    numpy|pandas) have_mods numpy pandas || why="$PY lacks numpy or pandas" ;;
    loadtxt)  have_mods numpy || why="$PY lacks numpy" ;;
    fann)     [ -n "$FANN" ] || why="no FANN peer at ${PEER_FANN:-/tmp/peer_fann} (g++ -O3 -march=native -I$SHARED $SHARED/peer_fann.cpp -lfloatfann -o /tmp/peer_fann)" ;;
  esac
  case $1 in pytorch|sklearn|numpy|pandas|loadtxt)
    [ -n "$why" ] || [ -d "$SHARED" ] || why="no shared peer scripts at $SHARED" ;;
  esac
  [ "$PEERS" != none ] || why="PEERS=none"
  [ -n "$why" ] || return 0
  if [ -z "${SKIP_NOTED[$1]:-}" ]; then
    echo "  skipping peer $1: $why"
    SKIP_NOTED[$1]=1
  fi
  return 1
}

# --- data: generated when missing ---------------------------------------------------------------
needs_fmnist() { selected W1 || selected W4 || selected THREADS || selected OPT || selected PRED; }
needs_tab() { selected W2 || selected W3 || selected THREADS || selected OPT; }

make_data() {
  mkdir -p "$DATA/fashion-mnist" "$DATA/synth"
  if [ "$SMOKE" = 1 ]; then  # tiny stand-ins of the same shapes
    "$TOOLS/gen_csv" fmnist 200 "$FM_TRAIN"
    "$TOOLS/gen_csv" fmnist 100 "$FM_TEST"
    "$TOOLS/gen_csv" tab 400 "$TAB"
  else
    if needs_fmnist && { [ ! -s "$FM_TRAIN" ] || [ ! -s "$FM_TEST" ]; }; then
      echo "making $FM_TRAIN and $FM_TEST (from Debian's dataset-fashion-mnist)"
      "$PY" "$SHARED/make_fmnist_csv.py" || {
        echo "could not make the Fashion-MNIST CSVs: apt-get install -y dataset-fashion-mnist python3-numpy" >&2
        exit 1
      }
    fi
    if needs_tab && [ ! -s "$TAB" ]; then
      echo "making $TAB"
      "$PY" "$SHARED/make_synth.py" || {
        echo "could not make $TAB: needs $SHARED/make_synth.py and python3-numpy" >&2
        exit 1
      }
    fi
  fi
  if selected W5; then
    mkdir -p "$W5_DIR"
    local n
    for n in $W5_SIZES; do
      if [ ! -s "$W5_DIR/w5_$n.csv" ]; then
        echo "making $W5_DIR/w5_$n.csv"
        local t0=$EPOCHREALTIME
        "$TOOLS/gen_csv" w5 "$n" "$W5_DIR/w5_$n.csv"
        awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "  %.1f s\n", b - a }'
      fi
    done
  fi
}
make_data

# --- OpenBLAS kernels for the peers, chosen by timing ---------------------------------------------
# numpy, scikit-learn and PyTorch multiply in OpenBLAS, whose kernel set comes from CPU
# detection or OPENBLAS_CORETYPE. Old OpenBLAS builds misdetect new CPUs, and this workplace's
# environment may set OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) to a safe but slow value. So the
# peers get the fastest kernel set that computes correctly here: each candidate times a
# single-thread 2048^3 numpy SGEMM (bench/blas_sgemm.py); `inherited` is the environment as it
# came. PEER_CORETYPE=NAME|unset|inherited skips the timing. nnfit (Eigen) never gets it.
PEER_ENV=(env)
peer_env_for() {  # sets PEER_ENV for a candidate
  case $1 in
    inherited) PEER_ENV=(env) ;;
    unset) PEER_ENV=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE) ;;
    *) PEER_ENV=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "OPENBLAS_CORETYPE=$1") ;;
  esac
}
probe_blas() {  # probe_blas CANDIDATE: "gflops ok architecture" of numpy's SGEMM under it
  peer_env_for "$1"
  local result
  result=$("${PEER_ENV[@]}" "$PY" bench/blas_sgemm.py 2048 1 2>/dev/null | sed -n 's/^RESULT //p') || true
  "$PY" -c 'import json, sys
r = json.loads(sys.argv[1] or "{}")
print(r.get("gflops", 0), r.get("ok", False), r.get("architecture") or "failed")' "$result"
}
choose_coretype() {
  : >"$OUT/coretype.tsv"
  PEER_CORETYPE_CHOICE=inherited
  if [ "$SMOKE" = 1 ]; then
    PEER_CORETYPE_REASON="smoke run: environment left as it is"
    return
  fi
  if [ "$PEERS" = none ]; then
    PEER_CORETYPE_REASON="PEERS=none: environment left as it is"
    return
  fi
  if ! have_mods numpy; then
    PEER_CORETYPE_REASON="$PY has no numpy: nothing to time"
    return
  fi
  local candidates=() c
  if [ -n "${PEER_CORETYPE:-}" ]; then
    candidates=("$PEER_CORETYPE")
    PEER_CORETYPE_REASON="PEER_CORETYPE set by the caller"
  else
    [ -z "${OPENBLAS_CORETYPE:-}${OPENBLAS_L2_SIZE:-}" ] || candidates+=(inherited)
    candidates+=(unset)
    grep -qw avx2 /proc/cpuinfo && candidates+=(Haswell Zen)
    grep -qw avx512f /proc/cpuinfo && candidates+=(SkylakeX)
    grep -qw avx512f /proc/cpuinfo && grep -qw avx512_bf16 /proc/cpuinfo && candidates+=(Cooperlake)
    PEER_CORETYPE_REASON="fastest correct single-thread 2048^3 numpy SGEMM"
  fi
  local best=0 line gf ok arch
  echo "OpenBLAS kernels for the peers (single-thread numpy SGEMM 2048^3):"
  for c in "${candidates[@]}"; do
    line=$(probe_blas "$c")
    read -r gf ok arch <<<"$line"
    printf '  %-10s %7.1f GFLOP/s  correct: %-5s kernels: %s\n' "$c" "$gf" "$ok" "$arch"
    printf '%s\t%s\t%s\t%s\n' "$c" "$gf" "$ok" "$arch" >>"$OUT/coretype.tsv"
    if [ "$ok" = True ] && awk -v a="$gf" -v b="$best" 'BEGIN { exit !(a > b) }'; then
      best=$gf
      PEER_CORETYPE_CHOICE=$c
    fi
  done
  [ -z "${PEER_CORETYPE:-}" ] || PEER_CORETYPE_CHOICE=$PEER_CORETYPE  # the caller's, whatever it did
  echo "  -> peers run with: $PEER_CORETYPE_CHOICE"
}
choose_coretype
peer_env_for "$PEER_CORETYPE_CHOICE"

# --- the SGEMM bound: bench/sgemm.cc (Eigen, and OpenBLAS's cblas when its header is here) ---------
# With OpenBLAS's development files the program also times cblas_sgemm.
BLAS_INC=/usr/include/x86_64-linux-gnu/openblas-pthread
BLAS_LIB=/usr/lib/x86_64-linux-gnu/openblas-pthread
# A smoke run takes the Eigen-only program, which the CMake build makes (bench-tools/sgemm).
if [ "$SMOKE" = 0 ] && [ -f $BLAS_INC/cblas.h ] && [ -f $BLAS_LIB/libopenblas.so ]; then
  SGEMM_BIN=$TOOLS/sgemm-cblas
  SGEMM_FLAGS=(-DWITH_CBLAS -I$BLAS_INC -L$BLAS_LIB -Wl,-rpath,$BLAS_LIB -lopenblas)
else
  SGEMM_BIN=$TOOLS/sgemm
  SGEMM_FLAGS=()
fi
build_sgemm() {  # Eigen's templates: about 8 s of g++
  build_tool "$(basename "$SGEMM_BIN")" bench/sgemm.cc -O3 -march=native -I/usr/include/eigen3 \
    "${SGEMM_FLAGS[@]}"
}
measure_sgemm() {
  local n=2048 budget=0.5
  [ "$SMOKE" = 0 ] || { n=256; budget=0.02; }
  echo "single-thread SGEMM ($SGEMM_BIN $n; its OpenBLAS half with the peers' kernels):"
  # Eigen ignores OPENBLAS_*; the cblas half runs with the peers' kernel set.
  "${PEER_ENV[@]}" OPENBLAS_NUM_THREADS=1 "$SGEMM_BIN" $n $budget >"$OUT/sgemm.json" 2>"$OUT/sgemm.txt"
  sed 's/^/  /' "$OUT/sgemm.txt"
}
if [ "$SMOKE" = 1 ]; then
  # Nothing is timed for real in a smoke run: compile while the workloads run, measure after.
  build_sgemm >"$OUT/sgemm-build.log" 2>&1 &
  SGEMM_BUILD_PID=$!
else
  build_sgemm
  measure_sgemm
fi

# --- what was measured where ------------------------------------------------------------------------
{
  echo "date: $(date -Is)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "runs: $RUNS$([ "$SMOKE" = 1 ] && echo ' (smoke: tiny generated data)')"
  echo "workloads: ${WORKLOADS[*]}"
  echo "nnfit: $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- src apps 2>/dev/null || echo '+dirty') $("$NNFIT" --version 2>/dev/null || true)"
  echo "environment: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-<unset>}"
  echo "peer OpenBLAS kernels: $PEER_CORETYPE_CHOICE ($PEER_CORETYPE_REASON); peer env: ${PEER_ENV[*]:1}"
  [ ${#PEER_ENV[@]} -gt 1 ] || echo "  (the peers inherit the environment as it is)"
  [ ! -s "$OUT/coretype.tsv" ] || awk -F'\t' '{ printf "  %-10s %7.1f GFLOP/s  correct %s  kernels %s\n", $1, $2, $3, $4 }' "$OUT/coretype.tsv"
  if [ "$PEERS" != none ] && have_mods numpy pandas sklearn torch threadpoolctl; then  # 4 s of imports
    "${PEER_ENV[@]}" "$PY" - <<'EOF' 2>/dev/null || true
import numpy, pandas, sklearn, torch, threadpoolctl
print(f"python: numpy {numpy.__version__}, pandas {pandas.__version__}, scikit-learn {sklearn.__version__}, torch {torch.__version__}")
info = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
print("blas:", ", ".join(f"{i['internal_api']} {i.get('version')} ({i.get('architecture')})" for i in info))
EOF
  fi
  echo "fann: ${FANN:-<none>} $(dpkg-query -W -f='${Version}' libfann2 2>/dev/null || true)"
} >"$OUT/meta.txt"
cat "$OUT/meta.txt"
echo "results -> $OUT"

# --- one measurement -------------------------------------------------------------------------------
FAILED=0
# measure NAME CMD...: stdout -> NAME.out, stderr -> NAME.err, GNU time -v -> NAME.time, wall
# seconds (microsecond clock) -> NAME.wall
measure() {
  local name=$1
  shift
  printf '  %-30s' "$name"
  local rc=0 t0=$EPOCHREALTIME
  if [ -n "$GNU_TIME" ]; then
    $GNU_TIME -v -o "$OUT/$name.time" timeout 900 "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || rc=$?
  else
    timeout 900 "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || rc=$?
  fi
  awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.6f\n", b - a }' >"$OUT/$name.wall"
  if [ $rc != 0 ]; then
    echo "FAILED (exit $rc, see $OUT/$name.err)"
    FAILED=$((FAILED + 1))
    return 0
  fi
  echo "wall $(cat "$OUT/$name.wall") s"
}
peer() {  # peer TOOL NAME CMD...: measure a peer (with the chosen OpenBLAS kernels) if present
  local tool=$1
  shift
  if peer_ok "$tool"; then measure "$1" "${PEER_ENV[@]}" "${@:2}"; fi
}

# nnfit's flags. The peers train with SGD lr 0.01 momentum 0.9 (nnfit's default is Adam).
SGD=(--optimizer sgd --lr 0.01 --momentum 0.9)
W1_NET=(--data "$FM_TRAIN" --target label --hidden 256,128 --activation relu)
TAB_NET=(--data "$TAB" --target y --hidden 64,64 --activation tanh)
# Epochs of W1 and W2 (nnfit and peers alike), and the full-batch iterations of lbfgs (a few
# seconds each, as the SGD epochs). A smoke run does one epoch: its only figure is "it ran".
EPOCHS=5 W1_LBFGS_EPOCHS=5 W2_LBFGS_EPOCHS=100
[ "$SMOKE" = 0 ] || { EPOCHS=1; W1_LBFGS_EPOCHS=2; W2_LBFGS_EPOCHS=5; }

nnfit_train() {  # nnfit_train NAME THREADS ARGS...: one `nnfit train`, model saved, JSON summary
  local name=$1 threads=$2
  shift 2
  measure "$name" "$NNFIT" train --val-split 0 --seed 1 --threads "$threads" \
    --model "$OUT/$name.nnfit" --json --quiet "$@"
}

w1_nnfit() {  # W1 with nnfit, then its test accuracy (not timed)
  local r=$1
  nnfit_train W1.nnfit.$r 1 "${W1_NET[@]}" "${SGD[@]}" --batch-size 64 --epochs $EPOCHS
  if [ -s "$OUT/W1.nnfit.$r.nnfit" ] &&
     "$NNFIT" predict --model "$OUT/W1.nnfit.$r.nnfit" --data "$FM_TEST" --quiet >"$OUT/W1.nnfit.$r.pred"; then
    paste -d, <(cut -d, -f1 "$FM_TEST") "$OUT/W1.nnfit.$r.pred" |
      awk -F, 'NR > 1 { n++; c += ($1 + 0 == $2 + 0) } END { printf "%.4f\n", c / n }' >"$OUT/W1.nnfit.$r.acc"
    rm -f "$OUT/W1.nnfit.$r.pred"
  fi
}

w1() {
  local r=$1
  w1_nnfit "$r"
  peer pytorch W1.pytorch.$r "$PY" "$SHARED/peer_torch.py" --data fmnist --batch 64 --epochs $EPOCHS --threads 1
  peer sklearn W1.sklearn.$r "$PY" "$SHARED/peer_sklearn.py" --data fmnist --batch 64 --epochs $EPOCHS --threads 1
  peer fann W1.fann.$r "$FANN" --data fmnist --epochs 1  # per-example SGD, 1 epoch
}

w2_nnfit() { nnfit_train W2.nnfit.$1 1 "${TAB_NET[@]}" "${SGD[@]}" --batch-size 32 --epochs $EPOCHS; }

w2() {
  local r=$1
  w2_nnfit "$r"
  peer pytorch W2.pytorch.$r "$PY" "$SHARED/peer_torch.py" --data tab --batch 32 --epochs $EPOCHS --threads 1
  peer sklearn W2.sklearn.$r "$PY" "$SHARED/peer_sklearn.py" --data tab --batch 32 --epochs $EPOCHS --threads 1
  peer numpy W2.numpy.$r "$PY" "$SHARED/peer_numpy.py" --data tab --batch 32 --epochs $EPOCHS --threads 1
}

w3() {
  local r=$1
  nnfit_train W3.nnfit.$r 1 "${TAB_NET[@]}" "${SGD[@]}" --batch-size 1 --epochs 1
  peer pytorch W3.pytorch.$r "$PY" "$SHARED/peer_torch.py" --data tab --batch 1 --epochs 1 --threads 1
  peer sklearn W3.sklearn.$r "$PY" "$SHARED/peer_sklearn.py" --data tab --batch 1 --epochs 1 --threads 1
  peer numpy W3.numpy.$r "$PY" "$SHARED/peer_numpy.py" --data tab --batch 1 --epochs 1 --threads 1
  peer fann W3.fann.$r "$FANN" --data tab --epochs 1
}

w4() {  # CSV loading: nnfit's load_seconds of a minimal run (no hidden layer, 1 epoch)
  local r=$1
  nnfit_train W4.nnfit.$r 1 --data "$FM_TRAIN" --target label --hidden 0 "${SGD[@]}" --batch-size 64 --epochs 1
  peer pandas W4.pandas.$r "$PY" "$SHARED/load_csv.py" --method pandas --file "$FM_TRAIN"
  peer loadtxt W4.loadtxt.$r "$PY" "$SHARED/load_csv.py" --method loadtxt --file "$FM_TRAIN"
}

# THREADS: W1 and W2 on 1 and 2 threads on an idle machine, then on 1 and 2 threads while
# `yes` keeps a core busy. One epoch each: with a core taken, 2 threads can be 50-100x slower
# than 1 (5 epochs of W1 took 212 s), and the ratios need no more.
threads_rows() {  # threads_rows W ROUND NETWORK-AND-BATCH-ARGS...
  local w=$1 r=$2
  shift 2
  nnfit_train $w.nnfit-t1.$r 1 "$@" --epochs 1
  nnfit_train $w.nnfit-t2.$r 2 "$@" --epochs 1
  start_busy
  nnfit_train $w.nnfit-t1-busy.$r 1 "$@" --epochs 1
  nnfit_train $w.nnfit-t2-busy.$r 2 "$@" --epochs 1
  stop_busy
}
threads() {
  local r=$1
  threads_rows W1 "$r" "${W1_NET[@]}" "${SGD[@]}" --batch-size 64
  # Where --threads cuts the work (>= 128 columns a thread): W1's network at batch 256, and
  # L-BFGS's full passes (1 iteration).
  threads_rows W1-b256 "$r" "${W1_NET[@]}" "${SGD[@]}" --batch-size 256
  threads_rows W1-lbfgs "$r" "${W1_NET[@]}" --optimizer lbfgs
  threads_rows W2 "$r" "${TAB_NET[@]}" "${SGD[@]}" --batch-size 32
}

# OPT: the other optimizers on W1's and W2's networks (sgd is W1's / W2's nnfit row).
opt() {
  local r=$1
  nnfit_train W1.nnfit-adam.$r 1 "${W1_NET[@]}" --optimizer adam --batch-size 64 --epochs $EPOCHS
  nnfit_train W1.nnfit-lbfgs.$r 1 "${W1_NET[@]}" --optimizer lbfgs --epochs $W1_LBFGS_EPOCHS
  nnfit_train W2.nnfit-adam.$r 1 "${TAB_NET[@]}" --optimizer adam --batch-size 32 --epochs $EPOCHS
  nnfit_train W2.nnfit-lbfgs.$r 1 "${TAB_NET[@]}" --optimizer lbfgs --epochs $W2_LBFGS_EPOCHS
}

# PRED: predict test.csv, CSV in and CSV out, whole process timed (`nnfit predict` has no
# --threads: OMP_NUM_THREADS=1 holds its Eigen products to one thread, as the peer's).
pred_model() {  # the model predict uses: W1's network after 1 epoch (not timed)
  echo "training the PRED model (W1 network, 1 epoch, not timed)"
  "$NNFIT" train "${W1_NET[@]}" "${SGD[@]}" --batch-size 64 --epochs 1 --val-split 0 --seed 1 \
    --threads 1 --model "$OUT/pred-model.nnfit" --quiet
}
pred() {
  local r=$1
  measure PRED.nnfit.$r env OMP_NUM_THREADS=1 "$NNFIT" predict --model "$OUT/pred-model.nnfit" \
    --data "$FM_TEST" --output "$OUT/PRED.nnfit.$r.csv" --quiet
  if [ -s "$OUT/PRED.nnfit.$r.csv" ]; then  # rows predicted, for summarise.py
    echo "RESULT {\"rows\": $(($(wc -l <"$OUT/PRED.nnfit.$r.csv") - 1))}" >>"$OUT/PRED.nnfit.$r.out"
  fi
  peer pytorch PRED.pytorch.$r "$PY" bench/peer_torch_predict.py --data "$FM_TEST" \
    --output "$OUT/PRED.pytorch.$r.csv" --threads 1
  rm -f "$OUT"/PRED.*.$r.csv
}

# W5: W2's network on 20-feature regression sets of growing size, 1 epoch: per-row cost.
w5() {
  local r=$1 n
  for n in $W5_SIZES; do
    nnfit_train W5-$n.nnfit.$r 1 --data "$W5_DIR/w5_$n.csv" --target y --task regression \
      --hidden 64,64 --activation tanh "${SGD[@]}" --batch-size 32 --epochs 1
  done
}

# --- the rounds ----------------------------------------------------------------------------------------
if selected PRED; then pred_model; fi
T_START=$EPOCHREALTIME
for r in $(seq 1 "$RUNS"); do
  echo "round $r/$RUNS"
  # OPT compares with W1's and W2's nnfit rows: run those when W1/W2 are not selected.
  if selected OPT; then
    selected W1 || w1_nnfit "$r"
    selected W2 || w2_nnfit "$r"
  fi
  for w in "${WORKLOADS[@]}"; do
    case $w in
      W1) w1 "$r" ;; W2) w2 "$r" ;; W3) w3 "$r" ;; W4) w4 "$r" ;;
      THREADS) threads "$r" ;; OPT) opt "$r" ;; PRED) pred "$r" ;; W5) w5 "$r" ;;
    esac
  done
done
rm -f "$OUT"/*.nnfit
if [ -n "$SGEMM_BUILD_PID" ]; then
  wait "$SGEMM_BUILD_PID" || { cat "$OUT/sgemm-build.log" >&2; echo "could not build bench/sgemm.cc" >&2; exit 1; }
  SGEMM_BUILD_PID=
  measure_sgemm
fi
awk -v a="$T_START" -v b="$EPOCHREALTIME" -v l="$(cut -d' ' -f1-3 /proc/loadavg)" \
  'BEGIN { printf "rounds took: %.0f s\nload average at end: %s\n", b - a, l }' >>"$OUT/meta.txt"

echo
"$PY" bench/summarise.py "$OUT" | tee "$OUT/summary.md"

# --- smoke: the run must have produced every table -------------------------------------------------------
if [ "$SMOKE" = 1 ]; then
  missing=()
  headings=("### SGEMM bound")
  for w in "${WORKLOADS[@]}"; do
    case $w in
      W1) headings+=("### W1" "### End-to-end") ;; W2|W3|W4|W5|PRED) headings+=("### $w") ;;
      THREADS) headings+=("### Threads") ;; OPT) headings+=("### Optimizers") ;;
    esac
  done
  for heading in "${headings[@]}"; do
    grep -q "^$heading" "$OUT/summary.md" || missing+=("$heading")
  done
  if selected W1 || selected W2 || selected W3 || selected W4; then
    grep -q '^| nnfit |' "$OUT/summary.md" || missing+=("an nnfit row")
  fi
  if [ ${#missing[@]} -gt 0 ] || [ "$FAILED" != 0 ]; then
    echo "SMOKE FAILED: $FAILED failed measurements; missing from the summary: ${missing[*]:-none}" >&2
    exit 1
  fi
  SMOKE_OK=1
  echo "smoke: every workload ran and summarise.py printed every table"
fi
