#!/usr/bin/python3
"""nnfit --optimizer lbfgs against scikit-learn's MLP solver='lbfgs' on the same splits.

Both train the same network (one hidden layer of 64 ReLU units, the same L2 penalty, no
validation part, at most 200 iterations) on standardised features, and both minimise the same
objective: the mean loss + (alpha / (2 n)) sum w^2 in scikit-learn is nnfit's
--l2 alpha/n. Printed per dataset: the final training objective and the test score
(accuracy, or R^2 for regression) of each, medians over seeds.

Usage (from the project root, after building): /usr/bin/python3 bench/lbfgs_parity.py [SEEDS]
"""
import json
import statistics
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, r2_score
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler

SETS = [("iris", "species", True), ("penguins", "Species", True), ("diabetes", "progression", False)]
ALPHA = 1e-4
NNFIT = "build/nnfit"


def frame(name, part):
    return pd.read_csv(f"data/{name}.{part}.csv", na_values=["", "NA", "."])


def xy(df, target, scaler=None):
    x = pd.get_dummies(df.drop(columns=[target]), dtype=float)
    return x, df[target]


def sklearn_run(name, target, classify, seed):
    tr, te = frame(name, "train"), frame(name, "test")
    tr, te = tr.dropna(), te.dropna()
    xtr, ytr = xy(tr, target)
    xte, yte = xy(te, target)
    xte = xte.reindex(columns=xtr.columns, fill_value=0.0)
    sc = StandardScaler().fit(xtr)
    xtr, xte = sc.transform(xtr), sc.transform(xte)
    if classify:
        m = MLPClassifier((64,), solver="lbfgs", alpha=ALPHA, max_iter=200, random_state=seed)
        m.fit(xtr, ytr)
        return m.loss_, accuracy_score(yte, m.predict(xte))
    ym, ys = ytr.mean(), ytr.std(ddof=0)
    m = MLPRegressor((64,), solver="lbfgs", alpha=ALPHA, max_iter=200, random_state=seed)
    m.fit(xtr, (ytr - ym) / ys)  # nnfit standardises the target too
    # scikit-learn's squared loss is half the mean squared error; nnfit's is the same
    return m.loss_, r2_score(yte, m.predict(xte) * ys + ym)


def nnfit_run(name, target, classify, seed, tmp):
    n = len(frame(name, "train").dropna())
    model = f"{tmp}/{name}-{seed}.nnfit"
    cmd = [NNFIT, "train", "--data", f"data/{name}.train.csv", "--target", target,
           "--optimizer", "lbfgs", "--epochs", "200", "--val-split", "0", "--hidden", "64",
           "--l2", repr(ALPHA / n), "--seed", str(seed), "--model", model, "--quiet", "--json",
           "--na-values", "NA,.", "--impute", "median"]
    out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    ev = subprocess.run([NNFIT, "evaluate", "--model", model, "--data", f"data/{name}.test.csv",
                         "--json"], check=True, capture_output=True, text=True)
    e = json.loads(ev.stdout)
    score = e["accuracy"] if classify else e["r2"]
    return out["train"]["loss"], score, out["epochs_run"]


def main():
    seeds = range(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
    print("| data | sklearn loss | nnfit loss | sklearn test | nnfit test | nnfit iterations |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, target, classify in SETS:
            sk = [sklearn_run(name, target, classify, s) for s in seeds]
            nn = [nnfit_run(name, target, classify, s, tmp) for s in seeds]
            med = lambda rows, i: statistics.median(r[i] for r in rows)
            print(f"| {name} | {med(sk, 0):.4g} | {med(nn, 0):.4g} | {med(sk, 1):.4f} | "
                  f"{med(nn, 1):.4f} | {med(nn, 2):.0f} |")


if __name__ == "__main__":
    main()
