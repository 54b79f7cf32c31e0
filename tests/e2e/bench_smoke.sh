#!/usr/bin/env bash
# The speed benchmark's smoke mode: bench/run.sh --smoke generates tiny data of every
# workload's shape, runs each workload once with this nnfit, builds and runs bench/sgemm.cc and
# checks that bench/summarise.py printed every table. PEERS=none: the Python peers' imports
# alone take 2-4 s each (about 25 s in all), so the test runs nnfit only and passes on a machine
# without them; `bench/run.sh --smoke` by hand runs the peers that are installed.
# Usage: bench_smoke.sh NNFIT_BINARY SOURCE_DIR
set -euo pipefail
NNFIT=$1 PEERS=none exec bash "$2/bench/run.sh" --smoke
