#!/usr/bin/env bash
# End-to-end: models exported with `nnfit export --format onnx` run in ONNX Runtime (the pinned
# onnxruntime-node that the setup.onnxruntime fixture installs into $NNFIT_ONNXRUNTIME_DIR) and
# give what `nnfit predict --proba` gives: labels equal, probabilities and regression values
# within 1e-5 relative (lib/onnx_compare.js), for every output kind, activation, imputation and
# unseen categories (lib/export_models.bash). Exits 77 (skipped) only when the npm registry
# could not be reached. Usage: export_onnx.sh NNFIT_BINARY SOURCE_DIR
set -euo pipefail
nnfit=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ort=${NNFIT_ONNXRUNTIME_DIR:?set by CTest: the folder setup.onnxruntime installs into}
if [ -f "$ort/unreachable" ]; then
  echo "SKIP: onnxruntime-node is not installed: $(cat "$ort/unreachable")"
  exit 77
fi
[ -d "$ort/node_modules/onnxruntime-node" ] || fail "no onnxruntime-node in $ort (run the setup.onnxruntime test)"
lib=$(dirname "$0")/lib
source "$lib/export_models.bash"

for entry in $MODELS; do
  name=${entry%%:*}
  data=${entry#*:}
  "$nnfit" export --quiet --model "$tmp/$name.nnfit" --format onnx --output "$tmp/$name.onnx"
  "$nnfit" inspect --json "$tmp/$name.nnfit" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.stringify(JSON.parse(s).features)))' \
      >"$tmp/$name.features.json"
  nnfit_predictions "$name" "$data" >"$tmp/$name.nnfit.csv"
  node "$lib/onnx_compare.js" "$ort" "$tmp/$name.onnx" "$tmp/$name.features.json" "$data" \
    "$tmp/$name.nnfit.csv" || fail "$name.onnx predicts differently in ONNX Runtime"
done
