#!/usr/bin/python3
"""PyTorch inference peer of `nnfit predict` (workload PRED): CSV in, CSV of labels out.

Reads the CSV with pandas as the shared peer_torch.py does (C engine, float32, pixels / 255),
runs a 784-256-128-10 ReLU network in eval mode under torch.no_grad(), and writes the
predicted labels (header `label`, one row per input row) with pandas. The weights are
torch.nn.Linear's random initialisation (seeded): inference costs the same for any weights,
so the network is not trained. Times read + infer + write inside the process (imports and
interpreter start-up excluded) and prints `RESULT {json}`.

Usage: /usr/bin/python3 bench/peer_torch_predict.py --data test.csv --output pred.csv [--threads 1]
"""
import argparse, json, os, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--data", required=True, help="Fashion-MNIST-shaped CSV (label,p0..p783)")
ap.add_argument("--output", required=True)
ap.add_argument("--target", default="label", help="column to drop if present")
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--seed", type=int, default=0)
a = ap.parse_args()
for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[k] = str(a.threads)

import numpy as np
import pandas as pd
import torch
from torch import nn

torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                      nn.Linear(128, 10)).eval()

t0 = time.perf_counter()
df = pd.read_csv(a.data, engine="c", dtype=np.float32)
df.pop(a.target) if a.target in df.columns else None
X = np.ascontiguousarray(df.to_numpy(dtype=np.float32)) / np.float32(255.0)
t1 = time.perf_counter()
with torch.no_grad():
    pred = model(torch.from_numpy(X)).argmax(1).numpy()
t2 = time.perf_counter()
pd.DataFrame({"label": pred}).to_csv(a.output, index=False)
t3 = time.perf_counter()

rows = X.shape[0]
print("RESULT " + json.dumps({
    "peer": "pytorch", "rows": rows, "threads": a.threads, "weights": "random",
    "read_s": t1 - t0, "infer_s": t2 - t1, "write_s": t3 - t2, "total_s": t3 - t0,
    "rows_per_s": rows / (t3 - t0)}), flush=True)
