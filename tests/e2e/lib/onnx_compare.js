// Runs an ONNX model exported by `nnfit export` in ONNX Runtime (onnxruntime-node) on a CSV and
// compares its outputs with `nnfit predict --proba` (or plain predict for regression) on the
// same file: labels equal, numbers within RTOL relative to the larger magnitude, with an
// absolute floor ATOL for values near zero.
// Usage: node onnx_compare.js ORT_DIR MODEL.onnx FEATURES.json DATA.csv PREDICTIONS.csv
//   FEATURES.json: `nnfit inspect --json`'s "features" (columns with their types, na_values).
// Prints one summary line; exits 1 on any mismatch (listing the first few).
'use strict';
const fs = require('fs');
const path = require('path');

const RTOL = 1e-5;
const ATOL = 1e-7;

// RFC 4180 rows: quoted fields with "" escapes and line breaks, CRLF or LF.
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false, i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  for (; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; ++i; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') ++i;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

// One input tensor per model column: numbers as float32 (missing = NaN), text as the cell.
function feeds(ort, features, header, rows) {
  const missing = new Set(['', ...features.na_values]);
  const out = {};
  for (const col of features.columns) {
    const at = header.indexOf(col.name);
    if (at < 0) throw new Error(`the data has no column '${col.name}'`);
    const cells = rows.map((r) => (r[at] ?? '').trim());
    if (col.type === 'categorical') {
      out[col.name] = new ort.Tensor('string', cells, [cells.length, 1]);
    } else {
      const values = Float32Array.from(cells, (c) => (missing.has(c) ? NaN : Number(c)));
      out[col.name] = new ort.Tensor('float32', values, [cells.length, 1]);
    }
  }
  return out;
}

function near(a, b) {
  return Math.abs(a - b) <= Math.max(RTOL * Math.max(Math.abs(a), Math.abs(b)), ATOL);
}

// Compares ONNX outputs with nnfit's predictions; returns [problems, largest relative diff].
function compare(results, expected) {
  const [head, ...lines] = expected;
  const problems = [];
  let worst = 0;
  const check = (j, what, onnx, nnfit) => {
    const rel = Math.abs(onnx - nnfit) / Math.max(Math.abs(onnx), Math.abs(nnfit), ATOL / RTOL);
    worst = Math.max(worst, rel);
    if (!near(onnx, nnfit) || Number.isNaN(onnx)) problems.push(`row ${j + 1}: ${what} onnx ${onnx}, nnfit ${nnfit}`);
  };
  lines.forEach((line, j) => {
    if (results.variable) {
      check(j, 'value', results.variable.data[j], Number(line[0]));
      return;
    }
    if (results.label.data[j] !== line[0]) {
      problems.push(`row ${j + 1}: label onnx '${results.label.data[j]}', nnfit '${line[0]}'`);
    }
    const k = head.length - 1;
    for (let c = 0; c < k; ++c) {
      check(j, head[c + 1], results.probabilities.data[j * k + c], Number(line[c + 1]));
    }
  });
  return [problems, worst];
}

async function main() {
  const [ortDir, modelPath, featuresPath, dataPath, predPath] = process.argv.slice(2);
  const ort = require(path.join(ortDir, 'node_modules', 'onnxruntime-node'));
  const features = JSON.parse(fs.readFileSync(featuresPath, 'utf8'));
  const [header, ...rows] = parseCsv(fs.readFileSync(dataPath, 'utf8'));
  const expected = parseCsv(fs.readFileSync(predPath, 'utf8'));
  if (expected.length - 1 !== rows.length) throw new Error('row counts differ');
  const session = await ort.InferenceSession.create(modelPath);
  const results = await session.run(feeds(ort, features, header, rows));
  const [problems, worst] = compare(results, expected);
  const name = path.basename(modelPath);
  if (problems.length > 0) {
    console.error(`FAIL ${name}: ${problems.length} mismatches\n  ${problems.slice(0, 8).join('\n  ')}`);
    process.exit(1);
  }
  console.log(`ok ${name}: ${rows.length} rows, outputs ${session.outputNames.join(',')}, ` +
              `largest relative difference ${worst.toExponential(2)}`);
}

main().catch((e) => { console.error(`FAIL: ${e.stack || e}`); process.exit(1); });
