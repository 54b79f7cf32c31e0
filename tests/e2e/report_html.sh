#!/usr/bin/env bash
# End-to-end: `nnfit report`, `train --report` and `gridsearch --report` write one
# self-contained HTML page, and headless Chromium renders it: one page with every section (a
# classifier's curves and evaluation, importance, a halving search) to a PNG of the window's
# size that is not blank, and its DOM holds each chart. A regression page is checked as HTML.
# Exit 77 (skipped) only when chromium is not installed (scripts/install-deps.sh installs it).
# Usage: report_html.sh NNFIT_BINARY SOURCE_DIR
set -euo pipefail
nnfit=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# has_charts FILE ID...: each id is an <svg> of FILE.
has_charts() {
  local file=$1
  shift
  for id in "$@"; do
    grep -q "<svg[^>]* id=\"$id\"" "$file" || fail "$file: no <svg id=\"$id\">"
  done
}

# A classifier with a held-out part (validation curves), its report at the end of training.
"$nnfit" train --data "$src/data/iris.train.csv" --target species --refit-folds 0 --epochs 60 \
  --lr 0.05 --model "$tmp/iris.nnfit" --history "$tmp/h.csv" --report "$tmp/train.html" --quiet
has_charts "$tmp/train.html" curve-loss curve-metric curve-lr confusion class-metrics roc
grep -q "the training file, every row" "$tmp/train.html" || fail "train --report: which rows?"
if grep -qiE '<script|https?://[^"]*\.(js|css)' "$tmp/train.html"; then
  fail "the page has a script or fetches something"
fi

# A search with halving, its report at the end, and everything in one page.
"$nnfit" gridsearch --data "$src/data/iris.train.csv" --target species --halving --quiet \
  --grid lr=0.3,0.03,0.003 --grid 'hidden=8|16,8' --epochs 30 --out-dir "$tmp/s" \
  --model "$tmp/best.nnfit" --results "$tmp/s.csv" --report "$tmp/search.html"
has_charts "$tmp/search.html" search-score-lr search-score-hidden search-rungs
# --report is not part of the search's identity: the same search without it resumes.
"$nnfit" gridsearch --data "$src/data/iris.train.csv" --target species --halving \
  --grid lr=0.3,0.03,0.003 --grid 'hidden=8|16,8' --epochs 30 --out-dir "$tmp/s" \
  --model "$tmp/best.nnfit" --results "$tmp/s.csv" 2>"$tmp/resume.log"
grep -q "resuming" "$tmp/resume.log" || fail "without --report the search did not resume"
grep -q 'id="search-results"' "$tmp/search.html" || fail "gridsearch --report: no results table"
grep -q 'id="card"' "$tmp/search.html" || fail "gridsearch --report: no model card"
cat >"$tmp/imp.json" <<'EOF'
{"metric": "accuracy", "higher_is_better": true, "baseline": 0.95, "repeats": 3, "seed": 1,
 "rows": 30, "columns": [
  {"column": "petal_length", "mean": 0.3, "std": 0.02, "drops": [0.28, 0.3, 0.32]},
  {"column": "sepal <width> & co", "mean": -0.01, "std": 0.01, "drops": [0, -0.02, -0.01]}]}
EOF
"$nnfit" report --model "$tmp/iris.nnfit" --history "$tmp/h.csv" --quiet \
  --data "$src/data/iris.test.csv" --importance "$tmp/imp.json" --out-dir "$tmp/s" \
  --output "$tmp/all.html"
grep -q 'sepal &lt;width&gt; &amp; co' "$tmp/all.html" || fail "a column name is not escaped"
grep -q 'a line joins its rungs' "$tmp/all.html" || fail "the rungs chart did not read the journal"

# Regression: predicted vs actual and residuals, on stdout.
"$nnfit" train --data "$src/data/diabetes.train.csv" --epochs 20 --model "$tmp/dia.nnfit" --quiet
"$nnfit" report --model "$tmp/dia.nnfit" --data "$src/data/diabetes.test.csv" --output - \
  >"$tmp/dia.html"
has_charts "$tmp/dia.html" pred-vs-actual residuals
grep -q "89 rows: RMSE" "$tmp/dia.html" || fail "regression: no metrics line"

# Errors: an output that is an input (2); a missing or malformed input named (1).
set +e
"$nnfit" report --model "$tmp/iris.nnfit" --output "$tmp/iris.nnfit" 2>"$tmp/err"
[ $? -eq 2 ] || fail "--output = --model: expected exit 2"
"$nnfit" report --model "$tmp/iris.nnfit" --history "$tmp/none.csv" --output "$tmp/x.html" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "none.csv" "$tmp/err" || fail "missing --history: $(cat "$tmp/err")"
echo '{"metric": "accuracy"' >"$tmp/bad.json"
"$nnfit" report --model "$tmp/iris.nnfit" --importance "$tmp/bad.json" --output "$tmp/x.html" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "bad.json: not JSON" "$tmp/err" || fail "bad --importance: $(cat "$tmp/err")"
"$nnfit" report --model "$tmp/iris.nnfit" --out-dir "$tmp" --output "$tmp/x.html" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "holds no results.csv" "$tmp/err" || fail "bad --out-dir: $(cat "$tmp/err")"
set -e
[ ! -e "$tmp/x.html" ] || fail "a failed report wrote its output"

# The browser: one start renders the page with every section and dumps its DOM.
if ! command -v chromium >/dev/null; then
  echo "SKIP: chromium is not installed (scripts/install-deps.sh installs it)"
  exit 77
fi
(cd "$tmp" && chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --user-data-dir="$tmp/profile" --screenshot="$tmp/all.png" --window-size=1200,3000 \
  --dump-dom "file://$tmp/all.html" >"$tmp/dom.html" 2>"$tmp/chromium.log") ||
  fail "chromium failed: $(tail -3 "$tmp/chromium.log")"
has_charts "$tmp/dom.html" curve-loss curve-metric curve-lr confusion class-metrics roc \
  importance search-score-lr search-score-hidden search-rungs
[ "$(grep -o '<svg' "$tmp/dom.html" | wc -l)" -eq 10 ] || fail "expected 10 charts in the DOM"
# The PNG: its signature, 1200 x 3000 pixels (IHDR), and content: a blank page compresses to a
# few kilobytes, this one's charts and text to far more.
python3 - "$tmp/all.png" <<'EOF' || fail "the screenshot is not the rendered page"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
width, height, depth, color = struct.unpack(">IIBB", data[16:26])
assert (width, height) == (1200, 3000), (width, height)
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += n + 12
channels = {2: 3, 6: 4}[color]
raw = zlib.decompress(idat)
assert len(raw) == height * (1 + width * channels * depth // 8), "pixel data of another size"
assert len(idat) > 100_000, f"only {len(idat)} bytes of pixels: blank?"
EOF
echo "report_html: ok"
