#!/usr/bin/env bash
# Runs a build's test suite with ctest, prints the ten slowest tests, and fails if any single
# test took longer than BUDGET seconds, so a slow test cannot creep in unnoticed.
# Fixture set-up tests (setup.*, e.g. setup.onnxruntime's npm install) are not held to it.
# Usage: scripts/ctest.sh BUILD_DIR BUDGET_SECONDS. The budgets (README, "Tests"): 20 s in the
# Release build, 150 s under the sanitizers.
set -euo pipefail
build=$1
budget=$2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
ctest --test-dir "$build" --output-on-failure -j2 2>&1 | tee "$log" || status=$?
# ctest's lines: "  1/391 Test  #17: Suite.Name ..............   Passed    0.12 sec"
times=$(sed -nE 's/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: ([^ ]+) .* ([0-9.]+) sec$/\2 \1/p' "$log" |
  sort -rn)
echo "slowest tests in $build (budget ${budget} s each):"
head -10 <<<"$times" | awk '{printf "  %8.2f s  %s\n", $1, $2}'
over=$(awk -v b="$budget" '$1 > b && $2 !~ /^setup\./' <<<"$times")
if [ -n "$over" ]; then
  echo "FAILED: over the ${budget} s budget of one test:" >&2
  awk '{printf "  %8.2f s  %s\n", $1, $2}' <<<"$over" >&2
  exit 1
fi
exit "$status"
