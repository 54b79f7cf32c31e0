#!/usr/bin/env bash
# End-to-end: Ctrl-C during a successive-halving search with --out-dir exits 130, refits nothing, and
# resumes to the table and model of an uninterrupted search (tests/e2e/lib/gridsearch_interrupt.bash).
# Usage: gridsearch_interrupt_halving.sh NNFIT SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/lib/gridsearch_interrupt.bash"
check halving "${net[@]}" --epochs 15 --halving --grid lr=0.1,0.05,0.02,0.01,0.005,0.002
echo "gridsearch interrupt (halving): ok"
