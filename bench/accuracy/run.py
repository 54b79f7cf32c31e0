#!/usr/bin/python3
"""Accuracy benchmark: nnfit train-flag configs and scikit-learn's MLP solvers, test-set scores.

    /usr/bin/python3 bench/accuracy/make_datasets.py /tmp/nnfit-acc      # once
    /usr/bin/python3 bench/accuracy/run.py [--data /tmp/nnfit-acc] [--nnfit build/nnfit]
        [--configs defaults,lr0.03,...] [--datasets iris,wine] [--seeds 3] [--big-seeds 1]
        [--resplit N] [--jobs 1] [--out bench/accuracy/results] [--list]

For every CONFIG x DATASET x SEED it runs
    nnfit train --data TRAIN --target T --model M --seed S --no-progress --json [set flags] [config flags]
    nnfit evaluate --model M --data TEST --json
(a config whose flags start with @gridsearch runs `nnfit gridsearch ... --model M --results R`
with the rest of its flags instead of train, and scores the model the search saves) and records the test score (accuracy, or R^2 for regression; macro recall too for the sets
marked so), the exit code (3 = diverged, no model) and the wall time. A config whose flags the
binary rejects before training (exit 2 on a --print-config probe: unknown option, invalid
value) is SKIPPED and reported; rerun the script when the flags land. A config that is
accepted but trains exactly as the defaults do (same summary and same test report, for every
seed) is marked "= defaults": the flag is parsed but not read yet.

scikit-learn's MLPClassifier / MLPRegressor (solvers adam, sgd, lbfgs; its defaults otherwise,
so early_stopping=False) run on the same files with nnfit's preprocessing: numeric columns
median-imputed and standardised, text columns most-frequent-imputed and one-hot encoded, fitted
on the training file; regression targets standardised (TransformedTargetRegressor); one
hidden layer of nnfit's default width; max_iter = nnfit's default --epochs. BLAS runs on one
thread, as nnfit does by default.

--resplit N: N re-splits of each set's pooled train+test instead of the fixed split (split i
trained with --seed i), reported as means paired against defaults (resplit.py).

Output in --out (default bench/accuracy/results/STAMP/): raw.csv (one row per run),
table.md (median over seeds per dataset x config, and max - min), printed as well.
"""

import argparse
import csv
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

import resplit

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

# name -> extra nnfit train flags. Later flags of a set and config come after the set's own.
CONFIGS = {
    "defaults": [],
    "lr0.003": ["--lr", "0.003"],
    "lr0.03": ["--lr", "0.03"],
    "lr0.1": ["--lr", "0.1"],
    "batch8": ["--batch-size", "8"],
    "batch128": ["--batch-size", "128"],
    "mom0": ["--momentum", "0"],
    "mom0.5": ["--momentum", "0.5"],
    "pat50": ["--patience", "50", "--epochs", "500"],
    "val0": ["--val-split", "0", "--epochs", "200"],
    "val0.1": ["--val-split", "0.1", "--epochs", "200"],
    "val0.3": ["--val-split", "0.3", "--epochs", "200"],
    "tanh": ["--activation", "tanh"],
    "l2_1e-4": ["--l2", "0.0001"],
    # The optimisation toolbox (issue 13): skipped or "= defaults" until the flags work.
    "adam": ["--optimizer", "adam", "--lr", "0.001"],
    "adamw": ["--optimizer", "adamw", "--lr", "0.001"],
    "lbfgs": ["--optimizer", "lbfgs"],
    "nesterov": ["--nesterov"],
    "glorot": ["--init", "glorot"],
    "cosine": ["--lr-schedule", "cosine"],
    "plateau": ["--lr-schedule", "plateau"],
    "warmup5": ["--lr-warmup", "5"],
    "clip1": ["--clip-norm", "1"],
    "lr_auto": ["--lr", "auto"],
    "balanced": ["--class-weight", "balanced"],
    "min_epochs50": ["--min-epochs", "50"],
    "refit": ["--refit"],
}
SKLEARN = ["sk-adam", "sk-sgd", "sk-lbfgs"]
TIME_KEYS = {"model", "load_seconds", "train_seconds", "samples_per_second", "history"}


# --------------------------------------------------------------------------- nnfit


def nnfit_defaults(binary):
    """Default --hidden and --epochs, read from `nnfit train --help`."""
    text = subprocess.run([binary, "train", "--help"], capture_output=True, text=True).stdout
    hidden = re.search(r"--hidden TEXT=([0-9,]+)", text)
    epochs = re.search(r"--epochs INT=(\d+)", text)
    if not hidden or not epochs:
        sys.exit("could not read the default --hidden / --epochs from `nnfit train --help`")
    return tuple(int(h) for h in hidden.group(1).split(",")), int(epochs.group(1))


def probe_config(binary, ds, flags):
    """None if the binary accepts the flags, else its error line (exit 2 before training)."""
    command = "gridsearch" if flags and flags[0] == "@gridsearch" else "train"
    flags = flags[1:] if command == "gridsearch" else flags
    cmd = [binary, command, "--data", ds["train"], "--target", ds["target"], "--print-config"]
    p = subprocess.run(cmd + ds["flags"] + flags, capture_output=True, text=True)
    if p.returncode == 0:
        return None
    return (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1]


def fingerprint(summary, report):
    keep = {k: v for k, v in summary.items() if k not in TIME_KEYS}
    text = json.dumps([keep, report], sort_keys=True)
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def macro_recall(report):
    rec = [c["recall"] for c in report.get("classes", []) if c.get("support", 0) > 0]
    return statistics.fmean(rec) if rec else None


def run_nnfit(job):
    binary, ds, config, flags, seed, workdir = job
    model = os.path.join(workdir, f"{ds['name']}.{config}.{seed}.nnfit")
    search = bool(flags) and flags[0] == "@gridsearch"  # a config "@gridsearch FLAGS..."
    if search:
        table = model + ".results.csv"
        cmd = [binary, "gridsearch", "--data", ds["train"], "--target", ds["target"], "--model",
               model, "--seed", str(seed), "--no-progress", "--results", table] + ds["flags"] + flags[1:]
    else:
        cmd = [binary, "train", "--data", ds["train"], "--target", ds["target"], "--model", model,
               "--seed", str(seed), "--no-progress", "--json"] + ds["flags"] + flags
    row = dict(dataset=ds["name"], split=ds.get("split", ""), config=config, seed=seed,
               tool="nnfit", flags=" ".join(flags))
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    row["seconds"] = round(time.perf_counter() - t0, 3)
    row["exit"] = p.returncode
    if p.returncode != 0:
        row["error"] = (p.stderr.strip().splitlines() or [""])[-1][:300]
        row["fingerprint"] = fingerprint({"exit": p.returncode}, row["error"])
        return row
    if search:
        os.remove(table)
        with open(model) as f:
            summary = json.load(f)["metrics"]
    else:
        summary = json.loads(p.stdout)
    row["epochs"] = summary.get("epochs_run")
    row["best_epoch"] = summary.get("best_epoch")
    e = subprocess.run([binary, "evaluate", "--model", model, "--data", ds["test"], "--json"],
                       capture_output=True, text=True)
    os.remove(model)
    if e.returncode != 0:
        row["exit"] = f"eval{e.returncode}"
        row["error"] = (e.stderr.strip().splitlines() or [""])[-1][:300]
        return row
    rep = json.loads(e.stdout)
    row["score"] = rep["accuracy"] if ds["task"] == "classification" else rep["r2"]
    if ds["task"] == "classification":
        row["macro_recall"] = macro_recall(rep)
    row["fingerprint"] = fingerprint(summary, rep)
    return row


# --------------------------------------------------------------------------- scikit-learn


def run_sklearn(job):
    ds, solver, seed, hidden, epochs = job
    import warnings

    import numpy as np
    import pandas as pd
    from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.impute import SimpleImputer
    from sklearn.metrics import accuracy_score, r2_score, recall_score
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from threadpoolctl import threadpool_limits

    def load(path):
        df = pd.read_csv(path, keep_default_na=False, na_values=[""])
        y = df.pop(ds["target"])
        y = y.astype(str).to_numpy() if ds["task"] == "classification" else y.to_numpy(float)
        return df, y

    Xtr, ytr = load(ds["train"])
    Xte, yte = load(ds["test"])
    cats = [c for c in Xtr.columns if c in ds["categorical"] or Xtr[c].dtype == object]
    nums = [c for c in Xtr.columns if c not in cats]
    pre = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), nums),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"),
                              OneHotEncoder(handle_unknown="ignore")), cats)])
    kw = dict(hidden_layer_sizes=hidden, solver=solver, max_iter=epochs, random_state=seed)
    if ds["task"] == "classification":
        est = make_pipeline(pre, MLPClassifier(**kw))
    else:
        est = TransformedTargetRegressor(regressor=make_pipeline(pre, MLPRegressor(**kw)),
                                         transformer=StandardScaler())
    row = dict(dataset=ds["name"], split=ds.get("split", ""), config=f"sk-{solver}", seed=seed,
               tool="sklearn", flags="")
    t0 = time.perf_counter()
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            est.fit(Xtr, ytr)
            pred = est.predict(Xte)
        except (ValueError, FloatingPointError) as err:  # e.g. NaN weights
            row.update(seconds=round(time.perf_counter() - t0, 3), exit="error",
                       error=str(err)[:300])
            return row
    row["seconds"] = round(time.perf_counter() - t0, 3)
    row["exit"] = 0
    mlp = est[-1] if ds["task"] == "classification" else est.regressor_[-1]
    row["epochs"] = mlp.n_iter_
    if ds["task"] == "classification":
        row["score"] = accuracy_score(yte, pred)
        row["macro_recall"] = recall_score(yte, pred, average="macro", zero_division=0)
    else:
        row["score"] = r2_score(yte, pred) if np.all(np.isfinite(pred)) else float("nan")
    return row


def run_job(job):
    return run_nnfit(job[1:]) if job[0] == "nnfit" else run_sklearn(job[1:])


# --------------------------------------------------------------------------- report

FIELDS = ["dataset", "split", "config", "tool", "seed", "exit", "score", "macro_recall", "epochs",
          "best_epoch", "seconds", "fingerprint", "same_as_defaults", "flags", "error"]


def cell(rows, key="score"):
    """'median (max-min)' over the seeds; divergences and failures counted."""
    if not rows:
        return ""
    if rows[0].get("skipped"):
        return "skip"
    vals = [r[key] for r in rows if r.get(key) not in (None, "") and r["exit"] == 0]
    div = sum(1 for r in rows if r["exit"] == 3)
    bad = sum(1 for r in rows if r["exit"] not in (0, 3))
    parts = []
    if vals:
        med = statistics.median(vals)
        parts.append(f"{med:.3f}" + (f" ({max(vals) - min(vals):.3f})" if len(vals) > 1 else ""))
    if div:
        parts.append(f"**div {div}/{len(rows)}**")
    if bad:
        parts.append(f"fail {bad}/{len(rows)}")
    return " ".join(parts)


def table(rows, specs, configs):
    by = {}
    for r in rows:
        by.setdefault((r["dataset"], r["config"]), []).append(r)
    same = {c: all(r.get("same_as_defaults") for d in specs for r in by.get((d["name"], c), [])
                   if not r.get("skipped")) for c in configs if c != "defaults"}
    shown = [c for c in configs if not (c in same and same[c] and by_any(by, c))]
    lines = ["| dataset | metric | " + " | ".join(shown) + " |",
             "|---|---|" + "---|" * len(shown)]
    for d in specs:
        metric = "acc" if d["task"] == "classification" else "R²"
        lines.append(f"| {d['name']} | {metric} | "
                     + " | ".join(cell(by.get((d["name"], c), [])) for c in shown) + " |")
        if d.get("macro_recall"):
            lines.append(f"| {d['name']} | macro recall | "
                         + " | ".join(cell(by.get((d["name"], c), []), "macro_recall")
                                      for c in shown) + " |")
    secs = []
    for c in shown:
        t = [r["seconds"] for r in rows if r["config"] == c and not r.get("skipped")
             and r.get("seconds") is not None]
        secs.append(f"{sum(t):.0f}" if t else "")
    lines.append("| total seconds | | " + " | ".join(secs) + " |")
    notes = []
    for c in configs:
        skipped = [r for r in rows if r["config"] == c and r.get("skipped")]
        if skipped:
            notes.append(f"- `{c}` ({' '.join(CONFIGS.get(c, []))}): SKIPPED, the binary "
                         f"rejects it: {skipped[0].get('error', '')}")
        elif same.get(c) and by_any(by, c):
            notes.append(f"- `{c}` ({' '.join(CONFIGS.get(c, []))}): accepted but trains "
                         "exactly as the defaults (same summary and test report on every run): "
                         "the flag is not read yet; column left out")
    return "\n".join(lines + ([""] + notes if notes else []))


def by_any(by, config):
    return any(not r.get("skipped") for (d, c), rs in by.items() if c == config for r in rs)


# --------------------------------------------------------------------------- main


def parse_args(root):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="/tmp/nnfit-acc", help="make_datasets.py's output dir")
    ap.add_argument("--nnfit", default=os.path.join(root, "build", "nnfit"))
    ap.add_argument("--configs", default="", help="comma-separated subset of CONFIGS and "
                    "sk-adam,sk-sgd,sk-lbfgs (default: all); NAME=FLAGS adds one, e.g. "
                    "'lr0.05=--lr 0.05'. Include defaults to detect unread flags")
    ap.add_argument("--datasets", default="", help="comma-separated subset (default: all)")
    ap.add_argument("--seeds", type=int, default=3, help="seeds 0..N-1 (default 3)")
    ap.add_argument("--big-seeds", type=int, default=None,
                    help="seeds for sets with more than --big-rows training rows")
    ap.add_argument("--sk-big-seeds", type=int, default=None,
                    help="seeds for scikit-learn on the big sets (default: as nnfit)")
    ap.add_argument("--big-rows", type=int, default=10000)
    ap.add_argument("--big-configs", default="", help="configs run on the big sets "
                    "(default: all of --configs)")
    ap.add_argument("--resplit", type=int, default=0, metavar="N",
                    help="instead of seeds: N random re-splits of each set's pooled "
                    "train+test (split i: random_state i, --seed i; big sets: --big-seeds "
                    "splits), reported paired against defaults")
    ap.add_argument("--jobs", type=int, default=1, help="parallel runs (at most 2)")
    ap.add_argument("--out", default="", help="output dir (default bench/accuracy/results/STAMP)")
    ap.add_argument("--list", action="store_true", help="list configs and datasets, then exit")
    return ap.parse_args()


def load_specs(args):
    with open(os.path.join(args.data, "datasets.json")) as f:
        specs = json.load(f)
    for d in specs:
        d["train"] = os.path.join(args.data, f"{d['name']}.train.csv")
        d["test"] = os.path.join(args.data, f"{d['name']}.test.csv")
        d["macro_recall"] = d["name"].startswith("imbalanced")
    if not args.datasets:
        return specs
    wanted = args.datasets.split(",")
    unknown = set(wanted) - {d["name"] for d in specs}
    if unknown:
        sys.exit(f"unknown dataset(s): {', '.join(sorted(unknown))}")
    return [d for d in specs if d["name"] in wanted]


def select_configs(args):
    if not args.configs:
        return list(CONFIGS) + SKLEARN
    configs = []
    for c in args.configs.split(","):
        if "=" in c:
            name, flags = c.split("=", 1)
            CONFIGS[name] = flags.split()
            c = name
        if c not in CONFIGS and c not in SKLEARN:
            sys.exit(f"unknown config {c!r}; known: {', '.join(list(CONFIGS) + SKLEARN)}")
        configs.append(c)
    return configs


def seeds_for(args, d):
    """(nnfit seeds, scikit-learn seeds) of a spec: its own (--resplit) or from --seeds."""
    if "seeds" in d:
        return d["seeds"], d["sk_seeds"]
    big = d["rows_train"] > args.big_rows
    n = args.big_seeds if big and args.big_seeds is not None else args.seeds
    n_sk = args.sk_big_seeds if big and args.sk_big_seeds is not None else n
    return range(n), range(n_sk)


def plan(args, specs, configs, binary, work):
    """(skipped rows, jobs): probes every nnfit config once per set."""
    hidden, epochs = nnfit_defaults(binary)
    big_configs = set(args.big_configs.split(",")) if args.big_configs else set(configs)
    rows, jobs, probed = [], [], {}
    for d in specs:
        big = d["rows_train"] > args.big_rows
        seeds, sk_seeds = seeds_for(args, d)
        for c in configs:
            if big and c not in big_configs:
                continue
            if c in SKLEARN:
                jobs += [("sk", d, c[3:], s, hidden, epochs) for s in sk_seeds]
                continue
            if (d["name"], c) not in probed:
                probed[(d["name"], c)] = probe_config(binary, d, CONFIGS[c])
                if probed[(d["name"], c)] is not None:
                    rows.append(dict(dataset=d["name"], config=c, tool="nnfit", seed="",
                                     exit=2, skipped=True, flags=" ".join(CONFIGS[c]),
                                     error=probed[(d["name"], c)]))
            if probed[(d["name"], c)] is None:
                jobs += [("nnfit", binary, d, c, CONFIGS[c], s, work) for s in seeds]
    return rows, jobs


def execute(jobs, jobs_n):
    rows, t0 = [], time.time()
    with ProcessPoolExecutor(max_workers=jobs_n) as pool:
        for i, r in enumerate(pool.map(run_job, jobs), 1):
            rows.append(r)
            s = f"{r['score']:.4f}" if isinstance(r.get("score"), float) else "-"
            print(f"  [{i}/{len(jobs)} {time.time() - t0:5.0f}s] {r['dataset']:14s} "
                  f"{r['config']:13s} seed {r['seed']}: exit {r['exit']} score {s} "
                  f"({r['seconds']:.2f}s){' ' + r['error'] if r.get('error') else ''}",
                  file=sys.stderr)
    return rows


def mark_same_as_defaults(rows):
    ref = {(r["dataset"], r["seed"]): r.get("fingerprint") for r in rows
           if r["config"] == "defaults" and r.get("fingerprint")}
    for r in rows:
        if r["tool"] == "nnfit" and r["config"] != "defaults" and r.get("fingerprint"):
            r["same_as_defaults"] = ref.get((r["dataset"], r["seed"])) == r["fingerprint"]


def header(args, binary, seconds):
    big_n = args.big_seeds if args.big_seeds is not None else (args.resplit or args.seeds)
    sk_n = args.sk_big_seeds if args.sk_big_seeds is not None else big_n
    if args.resplit:
        return (f"nnfit `{binary}`; {args.resplit} re-splits per set (sets over "
                f"{args.big_rows} training rows: {big_n}, scikit-learn there: {sk_n}), "
                f"split i trained with --seed i; cell = mean test score over the splits "
                f"(diff vs defaults on the same splits ± its standard error, wins-losses, "
                f"sign-test p; bold: p < 0.05; a failed run loses). Wall time {seconds:.0f}s.\n\n")
    return (f"nnfit `{binary}`; seeds per set: {args.seeds} (sets over {args.big_rows} "
            f"training rows: {big_n}, scikit-learn there: {sk_n}); cell = median "
            f"test score over the seeds (max - min in parentheses); **div k/n** = exit 3 "
            f"(diverged); skip = flags rejected. Wall time {seconds:.0f}s.\n\n")


def write_outputs(args, out, binary, rows, specs, configs, seconds):
    with open(os.path.join(out, "raw.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, FIELDS, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    body = (resplit.paired_table(rows, specs, configs) if args.resplit
            else table(rows, specs, configs))
    text = header(args, binary, seconds) + body + "\n"
    with open(os.path.join(out, "table.md"), "w") as f:
        f.write(text)
    print(text, end="")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    args = parse_args(os.path.dirname(os.path.dirname(here)))
    specs, configs = load_specs(args), select_configs(args)
    if args.list:
        for c in configs:
            what = " ".join(CONFIGS.get(c, [])) or ("scikit-learn" if c in SKLEARN else "(none)")
            print(f"{c:14s} {what}")
        for d in specs:
            print(f"{d['name']:14s} {d['task']:14s} {d['rows_train']}/{d['rows_test']}")
        return
    binary = os.path.abspath(args.nnfit)
    if not os.access(binary, os.X_OK):
        sys.exit(f"nnfit binary not found: {binary}")
    out = args.out or os.path.join(here, "results", time.strftime("%Y%m%d-%H%M%S", time.gmtime()))
    os.makedirs(out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="nnfit-acc-run-")
    runs = resplit.expand(specs, args, work) if args.resplit else specs
    rows, jobs = plan(args, runs, configs, binary, work)
    jobs_n = max(1, min(args.jobs, 2))
    print(f"# {len(jobs)} runs, {jobs_n} job(s); nnfit {binary}; out {out}", file=sys.stderr)
    t0 = time.time()
    rows += execute(jobs, jobs_n)
    shutil.rmtree(work)
    mark_same_as_defaults(rows)
    write_outputs(args, out, binary, rows, specs, configs, time.time() - t0)


if __name__ == "__main__":
    main()
