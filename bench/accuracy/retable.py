"""Paired table (resplit.py's) from one or more --resplit raw.csv files, against any config.

Runs are deterministic per (dataset, config, split), so raw.csv files of separate --resplit
runs on the same data merge: a (dataset, config, seed) seen twice keeps its first row.
--ref picks the reference column (default `defaults`; e.g. sk-adam).

    /usr/bin/python3 bench/accuracy/retable.py --data /tmp/nnfit-acc --ref sk-adam \
        --configs sk-adam,defaults,adam_lr3_folds5 results/A/raw.csv results/B/raw.csv
"""

import argparse
import csv
import json
import os

import resplit


def load_rows(paths):
    rows, seen = [], set()
    for path in paths:
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                key = (r["dataset"], r["config"], r["seed"])
                if key in seen:
                    continue
                seen.add(key)
                r["exit"] = int(r["exit"]) if r["exit"].lstrip("-").isdigit() else r["exit"]
                r["seconds"] = float(r["seconds"]) if r.get("seconds") else 0.0
                rows.append(r)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("raw", nargs="+", help="raw.csv files of run.py --resplit")
    ap.add_argument("--data", required=True, help="dir with datasets.json")
    ap.add_argument("--configs", required=True, help="comma-separated columns, in order")
    ap.add_argument("--ref", default="defaults", help="reference config (first column)")
    args = ap.parse_args()
    with open(os.path.join(args.data, "datasets.json")) as f:
        specs = json.load(f)
    rows = load_rows(args.raw)
    present = {r["dataset"] for r in rows}
    specs = [dict(d, macro_recall=d["name"].startswith("imbalanced")) for d in specs
             if d["name"] in present]
    # paired_table compares with the config named "defaults": swap names with the reference
    swap = {args.ref: "defaults", "defaults": args.ref} if args.ref != "defaults" else {}
    for r in rows:
        r["config"] = swap.get(r["config"], r["config"])
    configs = [swap.get(c, c) for c in args.configs.split(",")]
    text = resplit.paired_table(rows, specs, configs)
    head = text.split("\n", 1)
    names = [swap.get(c, c) for c in configs]  # swap back for display
    head[0] = "| dataset | metric | " + " | ".join(names) + " |"
    print("\n".join(head).replace("than defaults", f"than {args.ref}"))


if __name__ == "__main__":
    main()
