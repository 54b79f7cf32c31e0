#!/usr/bin/python3
"""TPE vs random search in the same trial budget (issue 14): best validation loss.

    /usr/bin/python3 bench/search_samplers.py [--nnfit build/nnfit] [--data /tmp/nnfit-acc]
        [--datasets iris,penguins,...] [--seeds 5] [--trials 30] [--out DIR]

For every dataset and seed 1..N it runs, for S = random then tpe (interleaved, so both samplers
of a seed run under the same machine conditions):

    nnfit gridsearch --data TRAIN --target T --sampler S --space 'lr=loguniform(0.0001,0.1)'
        --space 'hidden=choice(8|32|128|64,64|128,128)' --space 'l2=choice(0|0.0001|0.001|0.01)'
        --space 'batch-size=choice(16|32|64|128)' --trials 30 --folds 0 --no-baseline
        --seed SEED --jobs 2 --results R.csv --model M.nnfit -q

and records val_loss of the rank-1 row of R.csv (the search's best validation loss; lower is
better). The datasets are the training files of bench/accuracy/make_datasets.py's output
(iris, penguins, diabetes are the shared data's fixed splits). Output: raw.csv (one row per
dataset x seed x sampler) and table.md (per dataset: median over seeds of each sampler's best
val_loss, TPE's wins-ties-losses over the seeds), also printed.
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

SPACE = ["--space", "lr=loguniform(0.0001,0.1)",
         "--space", "hidden=choice(8|32|128|64,64|128,128)",
         "--space", "l2=choice(0|0.0001|0.001|0.01)",
         "--space", "batch-size=choice(16|32|64|128)"]
SAMPLERS = ["random", "tpe"]


def best_val_loss(results_csv):
    with open(results_csv, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r.get("rank", "").strip() == "1"]
    return float(rows[0]["val_loss"]) if rows else float("nan")


def run(binary, ds, sampler, seed, trials, work):
    res, model = os.path.join(work, "r.csv"), os.path.join(work, "m.nnfit")
    cmd = [binary, "gridsearch", "--data", ds["train"], "--target", ds["target"],
           "--sampler", sampler] + SPACE + ["--trials", str(trials), "--folds", "0",
           "--no-baseline", "--seed", str(seed), "--jobs", "2", "--results", res,
           "--model", model, "-q"] + ds.get("flags", [])
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if p.returncode != 0:
        print(f"    exit {p.returncode}: {p.stderr.strip()[-300:]}", file=sys.stderr)
        return dict(val_loss=float("nan"), seconds=secs, exit=p.returncode)
    loss = best_val_loss(res)
    os.remove(res)
    os.remove(model)
    return dict(val_loss=loss, seconds=secs, exit=0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nnfit", default="build/nnfit")
    ap.add_argument("--data", default="/tmp/nnfit-acc", help="make_datasets.py's output dir")
    ap.add_argument("--datasets", default="iris,penguins,diabetes,wine,breast_cancer,friedman1,"
                    "noisy_binary,clf3,linreg")
    ap.add_argument("--seeds", type=int, default=5, help="seeds 1..N")
    ap.add_argument("--trials", type=int, default=30)
    ap.add_argument("--out", default="bench/accuracy/results/samplers")
    args = ap.parse_args()
    binary = os.path.abspath(args.nnfit)
    with open(os.path.join(args.data, "datasets.json")) as f:
        specs = {d["name"]: d for d in json.load(f)}
    names = args.datasets.split(",")
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="nnfit-samplers-")
    rows, t_all = [], time.time()
    for name in names:
        ds = dict(specs[name], train=os.path.join(args.data, f"{name}.train.csv"))
        for seed in range(1, args.seeds + 1):
            for s in SAMPLERS:  # interleaved: random, tpe on the same seed back to back
                r = run(binary, ds, s, seed, args.trials, work)
                rows.append(dict(dataset=name, seed=seed, sampler=s, **r))
                print(f"  [{time.time() - t_all:5.0f}s] {name:14s} seed {seed} {s:6s} "
                      f"val_loss {r['val_loss']:.5f} ({r['seconds']:.1f}s)", file=sys.stderr)
    os.rmdir(work)
    with open(os.path.join(args.out, "raw.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, ["dataset", "seed", "sampler", "val_loss", "seconds", "exit"],
                           lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(dict(r, val_loss=f"{r['val_loss']:.6g}", seconds=f"{r['seconds']:.2f}"))
    lines = ["| dataset | seeds | random: median best val_loss | tpe: median best val_loss "
             "| tpe − random (median) | TPE wins-ties-losses | seconds random / tpe |",
             "|---|---|---|---|---|---|---|"]
    tot = [0, 0, 0]
    med_wins = 0
    for name in names:
        v = {s: {r["seed"]: r["val_loss"] for r in rows if r["dataset"] == name
                 and r["sampler"] == s} for s in SAMPLERS}
        secs = {s: sum(r["seconds"] for r in rows if r["dataset"] == name and r["sampler"] == s)
                for s in SAMPLERS}
        seeds = sorted(v["random"])
        # NaN (failed run) loses to a finite loss
        key = lambda x: float("inf") if x != x else x  # noqa: E731
        w = sum(key(v["tpe"][s]) < key(v["random"][s]) for s in seeds)
        l = sum(key(v["tpe"][s]) > key(v["random"][s]) for s in seeds)
        t = len(seeds) - w - l
        tot = [tot[0] + w, tot[1] + t, tot[2] + l]
        mr = statistics.median(key(v["random"][s]) for s in seeds)
        mt = statistics.median(key(v["tpe"][s]) for s in seeds)
        med_wins += mt < mr
        rel = f" ({(mt - mr) / mr * 100:+.0f} %)" if mr > 0 else ""
        lines.append(f"| {name} | {len(seeds)} | {mr:.4g} | {mt:.4g} | {mt - mr:+.3g}{rel} "
                     f"| {w}-{t}-{l} | "
                     f"{secs['random']:.0f} / {secs['tpe']:.0f} |")
    lines.append(f"| **all** | | | | TPE's median lower on {med_wins}/{len(names)} sets | "
                 f"**{tot[0]}-{tot[1]}-{tot[2]}** | |")
    text = (f"nnfit `{binary}`, {args.trials} trials, --folds 0 --no-baseline --jobs 2; "
            f"wall time {time.time() - t_all:.0f}s\n\n" + "\n".join(lines) + "\n")
    with open(os.path.join(args.out, "table.md"), "w") as f:
        f.write(text)
    print(text, end="")


if __name__ == "__main__":
    main()
