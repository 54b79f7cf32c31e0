"""nnfit importance against scikit-learn's permutation_importance on the same model and rows.

The nnfit model file is read into a scikit-learn estimator (its preprocessing and forward pass
in numpy, from the file's weights). After checking that the estimator's outputs equal
`nnfit predict --proba`'s, sklearn.inspection.permutation_importance runs on the raw rows (a
categorical column permuted as text, a missing cell moving with its row) and its mean drops are
compared with nnfit's: both are means over independent random permutations, so they must agree
within the noise of the two means (4 standard errors). The baselines must agree to float32
rounding.

Usage: importance_sklearn.py CASES
CASES: one line per model, `MODEL DATA PREDICTIONS_CSV NNFIT_JSON [WEIGHT_COLUMN]` (paths
without spaces); one Python start for all, since importing scikit-learn takes seconds.
Prints one line per column; exits 1 on a mismatch.
"""
import base64
import csv
import json
import math
import sys

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.inspection import permutation_importance
from sklearn.metrics import get_scorer

SCORING = {"accuracy": None, "r2": None, "log_loss": "neg_log_loss",
           "rmse": "neg_root_mean_squared_error", "mae": "neg_mean_absolute_error"}


def floats(blob):
    return np.frombuffer(base64.b64decode(blob["base64"]), dtype="<f4").astype(np.float64)


class NnfitModel(BaseEstimator):
    """The forward pass of an nnfit model file; X holds raw cells (float, or str for categories)."""

    def __init__(self, doc=None):
        self.doc = doc

    def fit(self, X=None, y=None):
        self.classes_ = np.arange(len(self.doc["target"].get("classes") or [0]))
        return self

    def inputs(self, X):
        cols = []
        for k, c in enumerate(self.doc["features"]["columns"]):
            x = X[:, k]
            if c["type"] == "numeric":
                v = np.array([np.nan if e is None else float(e) for e in x])
                if c["fill"] is not None:
                    v = np.where(np.isnan(v), c["fill"], v)
                cols.append(((v - c["mean"]) / c["scale"])[:, None])
            else:
                cells = [c["fill"] if e is None else e for e in x]
                cols.append(np.array([[1.0 if s == cat else 0.0 for cat in c["categories"]]
                                      for s in cells]))
        return np.hstack(cols)

    def outputs(self, X):
        h = self.inputs(X)
        for layer in self.doc["layers"]:
            n_out, n_in = layer["weights"]["shape"]
            w = floats(layer["weights"]).reshape(n_in, n_out)  # column-major (OUT, IN)
            h = h @ w + floats(layer["bias"])
            a = layer["activation"]
            if a == "relu":
                h = np.maximum(h, 0)
            elif a == "tanh":
                h = np.tanh(h)
            elif a == "sigmoid":
                h = 1 / (1 + np.exp(-h))
        loss = self.doc["architecture"]["loss"]
        if loss == "softmax_nll":
            e = np.exp(h - h.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
        if loss == "sigmoid_bce":
            p = 1 / (1 + np.exp(-h[:, 0]))
            return np.column_stack([1 - p, p])
        t = self.doc["target"]
        return h[:, 0] * t["scale"] + t["mean"]


class NnfitClassifier(ClassifierMixin, NnfitModel):
    def predict_proba(self, X):
        return self.outputs(X)

    def predict(self, X):
        return np.argmax(self.outputs(X), axis=1)


class NnfitRegressor(RegressorMixin, NnfitModel):
    def predict(self, X):
        return self.outputs(X)


def read_rows(path, doc, weight_column):
    """Raw cells of the model's columns (None = missing), encoded targets, weights."""
    na = set(doc["features"].get("na_values", []))
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    names = [c["name"] for c in doc["features"]["columns"]]
    index = [header.index(n) for n in names]
    cell = lambda s: None if s.strip() == "" or s.strip() in na else s.strip()
    X = np.array([[cell(r[i]) for i in index] for r in body], dtype=object)
    t = header.index(doc["target"]["name"])
    classes = doc["target"].get("classes")
    y = np.array([classes.index(r[t].strip()) if classes else float(r[t]) for r in body])
    w = np.array([float(r[header.index(weight_column)]) for r in body]) if weight_column else None
    return X, y, w


def check(model_path, data_path, pred_path, json_path, weight_column=None):
    """True if nnfit's importances (json_path) agree with scikit-learn's."""
    with open(model_path) as f:
        doc = json.load(f)
    with open(json_path) as f:
        ours = json.load(f)
    classification = doc["task"] == "classification"
    est = (NnfitClassifier if classification else NnfitRegressor)(doc).fit()
    X, y, w = read_rows(data_path, doc, weight_column)

    # The numpy model is nnfit's: its outputs match `nnfit predict --proba` (float32 vs float64).
    pred = np.genfromtxt(pred_path, delimiter=",", skip_header=1, dtype=str)
    theirs = est.outputs(X)
    if classification:
        ours_p = pred[:, 1:].astype(float)
        theirs = theirs if ours_p.shape[1] == theirs.shape[1] else theirs[:, 1:]
    else:
        ours_p = pred.astype(float)
    err = np.max(np.abs(ours_p - theirs.reshape(ours_p.shape)) / np.maximum(1, np.abs(ours_p)))
    if err > 1e-4:
        print(f"FAIL: {model_path}: the numpy forward pass differs from nnfit predict by {err:g}")
        return False

    metric, repeats = ours["metric"], ours["repeats"]
    r = permutation_importance(est, X, y, scoring=SCORING[metric], n_repeats=repeats,
                               random_state=0, sample_weight=w)
    scoring = SCORING[metric]
    base = (est.score(X, y, sample_weight=w) if scoring is None
            else -get_scorer(scoring)(est, X, y, sample_weight=w))
    if abs(base - ours["baseline"]) > 1e-6 * max(1, abs(base)):  # float32 against float64
        print(f"FAIL: {model_path}: baseline {ours['baseline']} against scikit-learn's {base}")
        return False
    names = [c["name"] for c in doc["features"]["columns"]]
    failed = False
    for c in ours["columns"]:
        k = names.index(c["column"])
        m, s = r.importances_mean[k], r.importances_std[k]
        se = math.sqrt((c["std"] ** 2 + s ** 2) / repeats)
        ok = abs(c["mean"] - m) <= 4 * se + 1e-9
        failed |= not ok
        print(f"{'ok  ' if ok else 'FAIL'} {c['column']:<22} nnfit {c['mean']:+.4f} +- {c['std']:.4f}"
              f"  sklearn {m:+.4f} +- {s:.4f}  ({metric}, {repeats} repeats)")
    return not failed


def main():
    with open(sys.argv[1]) as f:
        cases = [line.split() for line in f if line.strip()]
    results = [check(*case) for case in cases]  # every case, also after a failure
    sys.exit(0 if cases and all(results) else 1)


if __name__ == "__main__":
    main()
