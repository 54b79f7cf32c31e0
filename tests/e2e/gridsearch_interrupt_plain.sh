#!/usr/bin/env bash
# End-to-end: Ctrl-C during a plain grid search (2 jobs) with --out-dir exits 130, refits nothing, and
# resumes to the table and model of an uninterrupted search (tests/e2e/lib/gridsearch_interrupt.bash).
# Usage: gridsearch_interrupt_plain.sh NNFIT SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/lib/gridsearch_interrupt.bash"
check plain "${net[@]}" --epochs 12 --jobs 2 --grid lr=0.2,0.1,0.05,0.02,0.01,0.005
echo "gridsearch interrupt (plain): ok"
