#!/usr/bin/env bash
# CTest fixture (setup.onnxruntime) for e2e.export_onnx: installs the pinned onnxruntime-node
# into DIR once (later runs find it and return at once). --ignore-scripts: the package's install
# script only fetches GPU extras from a host these machines cannot reach; the CPU runtime is in
# the package itself. When the npm registry cannot be reached, writes DIR/unreachable with the
# reason and succeeds, and the test skips saying why; any other failure fails.
# Usage: setup_onnxruntime.sh DIR VERSION
set -euo pipefail
dir=$1
version=$2
installed=$dir/node_modules/onnxruntime-node/package.json
mkdir -p "$dir"
rm -f "$dir/unreachable"
if [ -f "$installed" ] && grep -q "\"version\": \"$version\"" "$installed"; then
  echo "onnxruntime-node $version already in $dir"
  exit 0
fi
command -v npm >/dev/null || { echo "FAIL: npm is not installed (apt-get install nodejs npm)" >&2; exit 1; }
if ! out=$(timeout 60 npm view "onnxruntime-node@$version" version 2>&1); then
  echo "the npm registry cannot be reached ($(tail -1 <<<"$out"))" | tee "$dir/unreachable"
  exit 0
fi
timeout 800 npm install --prefix "$dir" --ignore-scripts --no-audit --no-fund --no-save \
  "onnxruntime-node@$version"
echo "installed onnxruntime-node $version into $dir"
