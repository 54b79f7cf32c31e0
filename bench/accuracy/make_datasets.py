#!/usr/bin/python3
"""Write the accuracy benchmark's train/test CSV pairs (no downloads, fixed seeds).

    /usr/bin/python3 bench/accuracy/make_datasets.py [OUTDIR]      # default /tmp/nnfit-acc

Writes OUTDIR/NAME.train.csv and OUTDIR/NAME.test.csv for every set, plus
OUTDIR/datasets.json, the manifest that run.py reads (name, task, target, row and feature
counts, extra nnfit flags the set needs, categorical columns). Three kinds of sets:
  * the real sets in ../shared/data (their fixed .train/.test splits, copied as they are);
  * scikit-learn's bundled offline sets (load_*; never fetch_*, which download);
  * generated sets (numpy / sklearn.datasets.make_*), each with its own fixed seed.
Bundled and generated sets get an 80/20 split, stratified for classification, random_state 0.
Running it twice gives byte-identical files. See bench/accuracy/README.md for the list.
"""

import json
import os
import shutil
import sys

import numpy as np
import pandas as pd
from sklearn import datasets as skd
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("NNFIT_SHARED_DATA",
                        os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data")))
if not os.path.isdir(SHARED):
    SHARED = "/work/shared/data"

# name -> (target, task, extra nnfit train flags, categorical columns for the sklearn side)
SHARED_SETS = {
    "iris": ("species", "classification", [], []),
    "penguins": ("Species", "classification", ["--impute", "median"], ["Island", "Sex"]),
    "diabetes": ("progression", "regression", [], []),
    "letter": ("lettr", "classification", [], []),
}


def fmt(v):
    """Shortest round-trip text of a float (repr), so files are deterministic and exact."""
    return repr(float(v))


def write_split(out, name, X, y, names, target, task, kind, note, seed=0):
    strat = y if task == "classification" else None
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=seed, stratify=strat)
    for part, XX, yy in (("train", Xtr, ytr), ("test", Xte, yte)):
        df = pd.DataFrame({n: [fmt(v) for v in XX[:, i]] for i, n in enumerate(names)})
        df[target] = [str(v) if task == "classification" else fmt(v) for v in yy]
        df.to_csv(os.path.join(out, f"{name}.{part}.csv"), index=False, lineterminator="\n")
    return dict(name=name, task=task, target=target, kind=kind, rows_train=len(ytr),
                rows_test=len(yte), features=len(names), flags=[], categorical=[], note=note)


def shared_sets(out):
    specs = []
    for name, (target, task, flags, cats) in SHARED_SETS.items():
        rows = {}
        for part in ("train", "test"):
            src = os.path.join(SHARED, f"{name}.{part}.csv")
            if not os.path.exists(src):
                print(f"warning: {src} not found; {name} skipped", file=sys.stderr)
                break
            shutil.copyfile(src, os.path.join(out, f"{name}.{part}.csv"))
            df = pd.read_csv(src)
            rows[part] = len(df)
            nfeat = df.shape[1] - 1
        else:
            specs.append(dict(name=name, task=task, target=target, kind="real (shared/data)",
                              rows_train=rows["train"], rows_test=rows["test"], features=nfeat,
                              flags=flags, categorical=cats, note="fixed split from shared/data"))
    return specs


def bundled_sets(out):
    specs = []
    for name, loader, target in (("wine", skd.load_wine, "cultivar"),
                                 ("breast_cancer", skd.load_breast_cancer, "diagnosis")):
        b = loader()
        y = np.array([b.target_names[t] for t in b.target])
        specs.append(write_split(out, name, b.data, y, list(b.feature_names), target,
                                 "classification", "sklearn bundled", f"sklearn load_{name}"))
    dg = skd.load_digits()  # labels 0-9 as integers: nnfit detects them as classes
    specs.append(write_split(out, "digits", dg.data, dg.target.astype(int),
                             [f"p{i}" for i in range(64)], "digit", "classification",
                             "sklearn bundled", "sklearn load_digits, 8x8 pixels 0-16"))
    db = skd.load_diabetes(scaled=False)  # same data as shared/data diabetes, other split
    specs.append(write_split(out, "diabetes_sk", db.data, db.target, list(db.feature_names),
                             "progression", "regression", "sklearn bundled",
                             "sklearn load_diabetes(scaled=False); random 80/20 split"))
    return specs


def heavy_tailed(out, n=43000, seed=13):
    """Regression with heavy-tailed columns: after standardisation the largest values lie 40-83 SD out.

    x0-x3 Gaussian, x4 Student-t(2), x5 lognormal(sigma 1.5), x6 Student-t(3), x7 lognormal(sigma
    1.3). With t(2.5) for x4 (31 SD) nnfit's defaults trained; with t(2) they diverge.
    The target is smooth in the features (linear in x4 and x7, log1p(x5), tanh(x6), plus
    sin/square/product terms of x0-x3 and noise 0.3), so the outliers are legitimate inputs
    with a well-defined target, not corrupt rows; the target itself is heavy-tailed too.
    """
    rng = np.random.default_rng(seed)
    X = np.empty((n, 8))
    X[:, :4] = rng.normal(size=(n, 4))
    X[:, 4] = rng.standard_t(2.0, size=n)
    X[:, 5] = rng.lognormal(0.0, 1.5, size=n)
    X[:, 6] = rng.standard_t(3.0, size=n)
    X[:, 7] = rng.lognormal(0.0, 1.3, size=n)
    y = (np.sin(X[:, 0]) + 0.5 * X[:, 1] ** 2 - 0.5 * X[:, 2] * X[:, 3]
         + 0.3 * X[:, 4] + np.log1p(X[:, 5]) + np.tanh(X[:, 6]) + 0.2 * X[:, 7]
         + 0.3 * rng.normal(size=n))
    names = [f"x{i}" for i in range(8)]
    spec = write_split(out, "heavy_tail", X, y, names, "y", "regression", "generated",
                       "43k rows; x4 t(2), x5 lognormal(1.5), x6 t(3), x7 lognormal(1.3)")
    tr = pd.read_csv(os.path.join(out, "heavy_tail.train.csv"))
    z = ((tr[names] - tr[names].mean()) / tr[names].std(ddof=0)).abs().max()
    spec["note"] += "; max |z| after standardising the training file: " + ", ".join(
        f"{c} {z[c]:.0f}" for c in names[4:])
    return spec


def imbalanced(out, seed=7):
    freqs = [0.40, 0.25, 0.15, 0.10, 0.05, 0.03, 0.02]
    X, y = skd.make_classification(n_samples=4000, n_features=20, n_informative=10,
                                   n_redundant=4, n_classes=7, n_clusters_per_class=1,
                                   weights=freqs, class_sep=1.0, flip_y=0.01,
                                   random_state=seed)
    labels = np.array([f"c{k}" for k in y])
    return write_split(out, "imbalanced7", X, labels, [f"f{i}" for i in range(20)], "cls",
                       "classification", "generated",
                       "7 classes, frequencies 40/25/15/10/5/3/2 %; score also macro recall")


def noisy_binary(out, seed=3):
    X, y = skd.make_classification(n_samples=768, n_features=8, n_informative=5,
                                   n_redundant=1, n_classes=2, flip_y=0.15, class_sep=0.8,
                                   weights=[0.65, 0.35], random_state=seed)
    labels = np.array(["neg", "pos"])[y]
    return write_split(out, "noisy_binary", X, labels, [f"f{i}" for i in range(8)], "outcome",
                       "classification", "generated",
                       "768 rows (Pima-sized), 15% flipped labels, 65/35 classes")


def small_generated(out):
    specs = []
    X, y = skd.make_friedman1(n_samples=1000, n_features=10, noise=1.0, random_state=0)
    specs.append(write_split(out, "friedman1", X, y, [f"x{i}" for i in range(10)], "y",
                             "regression", "generated", "make_friedman1, noise 1.0"))
    X, y = skd.make_regression(n_samples=600, n_features=15, n_informative=8, noise=10.0,
                               random_state=1)
    specs.append(write_split(out, "linreg", X, y, [f"x{i}" for i in range(15)], "y",
                             "regression", "generated", "make_regression, 8 of 15 informative, noise 10"))
    X, y = skd.make_classification(n_samples=1500, n_features=12, n_informative=6,
                                   n_redundant=2, n_classes=3, n_clusters_per_class=2,
                                   random_state=2)
    specs.append(write_split(out, "clf3", X, np.array([f"k{v}" for v in y]),
                             [f"f{i}" for i in range(12)], "cls", "classification", "generated",
                             "make_classification, 3 classes, 2 clusters each"))
    return specs


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/nnfit-acc"
    os.makedirs(out, exist_ok=True)
    specs = shared_sets(out) + bundled_sets(out)
    specs += [heavy_tailed(out), imbalanced(out), noisy_binary(out)] + small_generated(out)
    with open(os.path.join(out, "datasets.json"), "w") as f:
        json.dump(specs, f, indent=1)
        f.write("\n")
    for s in specs:
        print(f"{s['name']:14s} {s['task']:14s} {s['rows_train']:6d}/{s['rows_test']:<6d} "
              f"{s['features']:3d} features  target {s['target']}  {s['note']}")
    print(f"wrote {len(specs)} sets to {out}")


if __name__ == "__main__":
    main()
