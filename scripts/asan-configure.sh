#!/usr/bin/env bash
# Configures build-asan/: clang, AddressSanitizer + UndefinedBehaviorSanitizer on every target,
# the Sanitize build type (-O1, line tables) and the libFuzzer targets (NNFIT_FUZZ). One build
# serves both scripts/sanitize.sh (the test suite) and scripts/fuzz.sh (csv_fuzz, model_fuzz):
# the library is compiled once, with the fuzzers' coverage instrumentation, which the test
# binaries link against through the sanitizer runtime. Installs clang if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/clang-deps.sh
scripts/install-deps.sh
CC=clang CXX=clang++ cmake -S . -B build-asan -DNNFIT_SANITIZERS='address;undefined' \
  -DCMAKE_BUILD_TYPE=Sanitize -DNNFIT_FUZZ=ON >/dev/null
