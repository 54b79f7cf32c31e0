#!/usr/bin/python3
"""A regression set with heavy-tailed columns, the case of issue 13 (divergence recovery).

Run from the project root (numpy only, nothing is downloaded):

    /usr/bin/python3 bench/make_heavy_tails.py [OUT_DIR]     # default bench/data/heavy

Writes OUT_DIR/heavy.csv (43,000 rows) and its fixed 80/20 split heavy.train.csv /
heavy.test.csv. Columns: x1..x6 standard normal; h1..h4 a multivariate Student t with 2.5
degrees of freedom (one shared chi-square scale, so the extreme values of the four columns come
in the same rows; after standardisation the largest lie 40-70 standard deviations from the
mean, printed at the end); and the target y, a smooth function of all of them plus N(0, 0.1^2)
noise:

    y = sin(x1) + x2 x3 / 2 + 0.3 x4^2 + tanh(x5) + 0.5 x6 + (asinh(h1) + ... + asinh(h4)) / 4

With nnfit's defaults (SGD, --lr 0.01, momentum 0.9, batch 32) a batch holding one of the
extreme rows makes a step explode; see README "If the loss becomes NaN".
"""

import os
import sys

import numpy as np

ROWS = 43_000
HEAVY = 4  # heavy-tailed columns
DF = 2.5  # degrees of freedom of their t distribution: smaller = heavier tails


def make(rng):
    x = rng.standard_normal((ROWS, 6))
    scale = np.sqrt(rng.chisquare(DF, (ROWS, 1)) / DF)
    h = rng.standard_normal((ROWS, HEAVY)) / scale
    y = (np.sin(x[:, 0]) + x[:, 1] * x[:, 2] / 2 + 0.3 * x[:, 3] ** 2 + np.tanh(x[:, 4])
         + 0.5 * x[:, 5] + np.arcsinh(h).sum(axis=1) / HEAVY)
    y += rng.normal(0.0, 0.1, ROWS)
    return np.column_stack([x, h, y])


def write(path, header, rows):
    np.savetxt(path, rows, delimiter=",", header=",".join(header), comments="", fmt="%.6g")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join("bench", "data", "heavy")
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(13)
    data = make(rng)
    header = [f"x{i}" for i in range(1, 7)] + [f"h{k + 1}" for k in range(HEAVY)] + ["y"]
    order = rng.permutation(ROWS)
    n_train = ROWS * 4 // 5
    write(os.path.join(out, "heavy.csv"), header, data)
    write(os.path.join(out, "heavy.train.csv"), header, data[order[:n_train]])
    write(os.path.join(out, "heavy.test.csv"), header, data[order[n_train:]])
    z = np.abs(data - data.mean(axis=0)) / data.std(axis=0)
    for k in range(HEAVY):
        print(f"{header[6 + k]}: max |z| = {z[:, 6 + k].max():.1f}")
    print(f"{ROWS} rows written to {out} (train {n_train}, test {ROWS - n_train})")


if __name__ == "__main__":
    main()
