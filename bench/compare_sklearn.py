#!/usr/bin/python3
"""Model quality of nnfit against scikit-learn's MLP on the same train/test files.

Run from the project root:

    /usr/bin/python3 bench/compare_sklearn.py [build/nnfit] [--seeds 5] [--datasets iris,wine]

Needs scikit-learn (Debian: `apt-get install python3-sklearn`). No network: the extra datasets
are built from data that scikit-learn ships (breast_cancer, wine, digits) plus one synthetic
regression set (make_friedman1), written once to /tmp/nnfit_acc/ with a fixed 80/20 split
(stratified for classification, random_state=0).

For every dataset and seed:
  * nnfit with DEFAULT flags (only --target and --seed), then `nnfit predict` on the test file;
  * StandardScaler + MLPClassifier/MLPRegressor(hidden_layer_sizes=(64,), max_iter=500,
    random_state=seed), once with early_stopping=True and once without; regressors are
    wrapped in TransformedTargetRegressor(transformer=StandardScaler()).
Score: test accuracy (classification) or R^2 (regression).

Timing: nnfit = wall time of the whole `nnfit train` process (start-up, CSV load, training,
model write; single thread, its default). sklearn = wall time of .fit() on arrays already in
memory, with BLAS limited to one thread (threadpoolctl) so both sides use one core.
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

SHARED = "/work/shared/data"
EXTRA_DIR = "/tmp/nnfit_acc"


# --------------------------------------------------------------------------- datasets


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def build_extra_datasets():
    """Write the sklearn-shipped datasets as CSV train/test files; return their specs."""
    from sklearn import datasets as skd
    from sklearn.model_selection import train_test_split

    os.makedirs(EXTRA_DIR, exist_ok=True)
    specs = []

    def emit(name, feature_names, X, y, target, task):
        train, test = (os.path.join(EXTRA_DIR, f"{name}.{part}.csv") for part in ("train", "test"))
        strat = y if task == "classification" else None
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=0, stratify=strat)
        header = list(feature_names) + [target]
        for path, XX, yy in ((train, Xtr, ytr), (test, Xte, yte)):
            write_csv(path, header, [[repr(float(v)) for v in row] + [lab] for row, lab in zip(XX, yy)])
        specs.append(dict(name=name, train=train, test=test, target=target, task=task))

    bc = skd.load_breast_cancer()
    emit("breast_cancer", bc.feature_names, bc.data,
         np.array([bc.target_names[t] for t in bc.target]), "diagnosis", "classification")
    wine = skd.load_wine()
    emit("wine", wine.feature_names, wine.data,
         np.array([wine.target_names[t] for t in wine.target]), "cultivar", "classification")
    dg = skd.load_digits()  # integer labels 0-9: exercises nnfit's numeric-class detection
    emit("digits", dg.feature_names, dg.data, np.array([str(int(t)) for t in dg.target]),
         "digit", "classification")
    try:
        ch = skd.fetch_california_housing(download_if_missing=False)
        emit("california", ch.feature_names, ch.data,
             np.array([repr(float(v)) for v in ch.target]), "MedHouseVal", "regression")
    except OSError:
        pass  # not cached offline: skipped
    Xf, yf = skd.make_friedman1(n_samples=1000, n_features=10, noise=1.0, random_state=0)
    emit("friedman1", [f"x{i}" for i in range(10)], Xf, np.array([repr(float(v)) for v in yf]),
         "y", "regression")
    return specs


def shared_datasets():
    return [
        dict(name="iris", target="species", task="classification"),
        dict(name="diabetes", target="progression", task="regression"),
        dict(name="letter", target="lettr", task="classification"),
    ]


def load_xy(path, target, task):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], [r for r in rows[1:] if r]
    t = header.index(target)
    X = np.array([[float(v) for i, v in enumerate(r) if i != t] for r in body], dtype=np.float64)
    y = [r[t] for r in body]
    y = np.array([float(v) for v in y]) if task == "regression" else np.array(y)
    return X, y


# --------------------------------------------------------------------------- scoring


def same_label(a, b):
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def score(task, y_true, y_pred):
    if task == "classification":
        return sum(same_label(str(t), str(p)) for t, p in zip(y_true, y_pred)) / len(y_true)
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    ss_res = float(np.sum((y_true - y_pred) ** 2))
    ss_tot = float(np.sum((y_true - y_true.mean()) ** 2))
    return 1.0 - ss_res / ss_tot


# --------------------------------------------------------------------------- runners


def run_nnfit(binary, ds, seed, workdir):
    model = os.path.join(workdir, f"{ds['name']}.{seed}.nnfit")
    cmd = [binary, "train", "--data", ds["train"], "--target", ds["target"], "--model", model,
           "--seed", str(seed), "--quiet", "--json"]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"nnfit train failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    summary = json.loads(p.stdout)
    p = subprocess.run([binary, "predict", "--model", model, "--data", ds["test"]],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"nnfit predict failed ({p.returncode}):\n{p.stderr}")
    lines = p.stdout.splitlines()
    if not lines or lines[0].strip() != "prediction":
        raise RuntimeError(f"unexpected predict output header: {lines[:1]}")
    preds = [l for l in lines[1:] if l != ""]
    if ds["task"] == "regression":
        preds = [float(v) for v in preds]
    os.remove(model)
    return preds, wall, summary


def run_sklearn(ds, Xtr, ytr, Xte, seed, early_stopping):
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    kw = dict(hidden_layer_sizes=(64,), max_iter=500, random_state=seed,
              early_stopping=early_stopping)
    if ds["task"] == "classification":
        est = make_pipeline(StandardScaler(), MLPClassifier(**kw))
    else:
        est = TransformedTargetRegressor(regressor=make_pipeline(StandardScaler(), MLPRegressor(**kw)),
                                         transformer=StandardScaler())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0 = time.perf_counter()
        est.fit(Xtr, ytr)
        secs = time.perf_counter() - t0
    mlp = est[-1] if ds["task"] == "classification" else est.regressor_[-1]
    return est.predict(Xte), secs, mlp.n_iter_


# --------------------------------------------------------------------------- main


def mean_std(xs):
    m = statistics.fmean(xs)
    s = statistics.stdev(xs) if len(xs) > 1 else 0.0
    return m, s


def fmt(xs):
    m, s = mean_std(xs)
    return f"{m:.3f} ± {s:.3f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("nnfit", nargs="?", default="build/nnfit", help="nnfit binary (default build/nnfit)")
    ap.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1 (default 5)")
    ap.add_argument("--datasets", default="", help="comma-separated subset of dataset names")
    ap.add_argument("--json-out", default="", help="also write every per-seed result here")
    args = ap.parse_args()

    try:
        import sklearn
        from threadpoolctl import threadpool_limits
    except ImportError as e:
        sys.exit(f"needs scikit-learn ({e}); on Debian: apt-get install python3-sklearn")
    binary = os.path.abspath(args.nnfit)
    if not os.access(binary, os.X_OK):
        sys.exit(f"nnfit binary not found or not executable: {binary}")

    specs = []
    for d in shared_datasets():
        d = dict(d, train=f"{SHARED}/{d['name']}.train.csv", test=f"{SHARED}/{d['name']}.test.csv")
        specs.append(d)
    specs += build_extra_datasets()
    if args.datasets:
        wanted = set(args.datasets.split(","))
        specs = [d for d in specs if d["name"] in wanted]

    seeds = list(range(args.seeds))
    print(f"# nnfit {binary}; scikit-learn {sklearn.__version__}; seeds {seeds}", file=sys.stderr)
    results = []
    with tempfile.TemporaryDirectory(prefix="nnfit_acc_") as work, threadpool_limits(limits=1):
        for ds in specs:
            Xtr, ytr = load_xy(ds["train"], ds["target"], ds["task"])
            Xte, yte = load_xy(ds["test"], ds["target"], ds["task"])
            r = dict(name=ds["name"], task=ds["task"], rows=(len(ytr), len(yte)), nnfit=[],
                     nnfit_s=[], nnfit_epochs=[], nnfit_best=[], es=[], es_s=[], es_iter=[],
                     noes=[], noes_s=[], noes_iter=[])
            for seed in seeds:
                preds, wall, summ = run_nnfit(binary, ds, seed, work)
                if len(preds) != len(yte):
                    raise RuntimeError(f"{ds['name']}: {len(preds)} predictions for {len(yte)} rows")
                r["nnfit"].append(score(ds["task"], yte, preds))
                r["nnfit_s"].append(wall)
                r["nnfit_epochs"].append(summ.get("epochs_run"))
                r["nnfit_best"].append(summ.get("best_epoch"))
                for key, es in (("es", True), ("noes", False)):
                    p, secs, n_iter = run_sklearn(ds, Xtr, ytr, Xte, seed, es)
                    r[key].append(score(ds["task"], yte, p))
                    r[key + "_s"].append(secs)
                    r[key + "_iter"].append(n_iter)
                print(f"  {ds['name']:14s} seed {seed}: nnfit {r['nnfit'][-1]:.3f} "
                      f"(epochs {summ.get('epochs_run')}, best {summ.get('best_epoch')}, {wall:.2f}s)  "
                      f"sk-ES {r['es'][-1]:.3f} ({r['es_iter'][-1]} it)  "
                      f"sk-noES {r['noes'][-1]:.3f} ({r['noes_iter'][-1]} it)", file=sys.stderr)
            results.append(r)

    metric = {"classification": "acc", "regression": "R²"}
    print()
    print("| dataset | rows (train/test) | metric | nnfit | sklearn ES | sklearn no-ES "
          "| nnfit s | sklearn ES s | sklearn no-ES s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['name']} | {r['rows'][0]}/{r['rows'][1]} | {metric[r['task']]} "
              f"| {fmt(r['nnfit'])} | {fmt(r['es'])} | {fmt(r['noes'])} "
              f"| {statistics.fmean(r['nnfit_s']):.2f} | {statistics.fmean(r['es_s']):.2f} "
              f"| {statistics.fmean(r['noes_s']):.2f} |")
    print()
    print("| dataset | nnfit epochs run (best) | sklearn ES iters | sklearn no-ES iters |")
    print("|---|---|---|---|")
    for r in results:
        ep = "/".join(str(e) for e in r["nnfit_epochs"])
        best = "/".join(str(e) for e in r["nnfit_best"])
        print(f"| {r['name']} | {ep} ({best}) | {'/'.join(map(str, r['es_iter']))} "
              f"| {'/'.join(map(str, r['noes_iter']))} |")
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
