#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang, ASan and UBSan (in build-asan/, shared with
# scripts/sanitize.sh: after it, nothing is left to compile) and runs each
# for SECONDS (default 60), both at once, on a scratch copy of its seed corpus, so runs never grow the repo's
# fuzz/corpus/. Exits non-zero if a target finds a crash, printing the reproducer's path.
# Usage: scripts/fuzz.sh [SECONDS]. Installs clang and the libFuzzer runtime if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

scripts/asan-configure.sh
cmake --build build-asan -j2 --target csv_fuzz model_fuzz

run_dir="build-asan/runs/$(date +%Y%m%d-%H%M%S)"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Both targets run at once, one per core.
fuzz_one() {
  local target=$1 work="$run_dir/$1"
  mkdir -p "$work/artifacts"
  cp -r "fuzz/corpus/$target" "$work/corpus"
  echo "fuzz: ${target}_fuzz for ${seconds}s (log: $work/log)" >&2
  local status=0
  "build-asan/fuzz/${target}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -dict="fuzz/${target}.dict" -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
    "$work/corpus" >"$work/log" 2>&1 || status=$?
  echo "$status" >"$work/status"
}
targets=(csv model)
for target in "${targets[@]}"; do fuzz_one "$target" & done
wait
failed=()
for target in "${targets[@]}"; do
  work="$run_dir/$target"
  grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|^#[0-9]+ +DONE" \
    "$work/log" | sed "s/^/  ${target}_fuzz: /" >&2 || true
  crashes=$(find "$work/artifacts" -type f | sort)
  if [ "$(cat "$work/status")" -ne 0 ] || [ -n "$crashes" ]; then
    failed+=("${target}_fuzz")
    grep -E "ERROR|SUMMARY|runtime error|terminate|what\(\)" "$work/log" | head -20 >&2 || true
    for f in $crashes; do
      echo "fuzz: ${target}_fuzz found a crash: $f" >&2
      echo "fuzz: reproduce with: build-asan/fuzz/${target}_fuzz $f" >&2
    done
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (logs and crash files under $run_dir)" >&2
  exit 1
fi
echo "fuzz: no crashes (logs under $run_dir)" >&2
