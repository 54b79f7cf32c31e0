#!/usr/bin/env bash
# Installs the Debian 12 packages nnfit needs, if any are missing. Run as root (or with sudo).
# Usage: scripts/install-deps.sh [--tests]
#   (no flag)  what building nnfit needs: the README's quick start.
#   --tests    that, plus what the test suite alone uses: the README's test command.
# Nothing else is downloaded here; the ONNX test fetches ONNX Runtime from the npm registry
# itself (CTest fixture setup.onnxruntime).
set -euo pipefail
# libonnx-dev (with libprotobuf-dev): nnfit export writes ONNX through the ONNX project's own
# protobuf classes and checks the model with its checker.
packages=(g++ make cmake libcli11-dev libfccp-dev libspdlog-dev libeigen3-dev libgtest-dev
          nlohmann-json3-dev libtomlplusplus-dev libonnx-dev)
if [ "${1:-}" = "--tests" ]; then
  # parallel (GNU parallel): the sharded gridsearch recipe in the README is tested with it.
  # python3: the benchmark's smoke test (e2e.bench_smoke) prints its tables with bench/summarise.py.
  # python3-sklearn: e2e.importance_sklearn compares nnfit importance with scikit-learn's.
  # chromium, fonts-dejavu-core: e2e.report_html renders nnfit report's HTML in headless
  # Chromium (without recommended packages it has no font of its own).
  packages+=(parallel python3 python3-sklearn chromium fonts-dejavu-core)
  # nodejs and npm: e2e.export_onnx runs exported models in ONNX Runtime for Node.js. A node
  # from elsewhere (e.g. NodeSource, which bundles npm) is used as it is.
  command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
elif [ -n "${1:-}" ]; then
  echo "install-deps: unknown argument '$1' (usage: scripts/install-deps.sh [--tests])" >&2
  exit 2
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all dependencies are installed" >&2
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
