"""Repeated random splits for run.py --resplit N, and the paired report over them.

For split i (0..N-1) the train and test files of a set are pooled and split again with the
same test fraction (scikit-learn train_test_split, random_state=i, stratified for
classification); every config then trains once on split i with --seed i. Scores on the same
split are paired: each config is compared with `defaults` split by split (mean difference,
its standard error, wins-losses, two-sided sign test), which removes the split-to-split
variance that dominates the small sets.
"""

import math
import os
import statistics


def write_split(d, i, root):
    """Spec of split i of set d: pooled train+test re-split, files under root/split<i>/."""
    import pandas as pd
    from sklearn.model_selection import train_test_split

    def read(path):  # strings as written: no type guessing, empty cells stay empty
        return pd.read_csv(path, dtype=str, keep_default_na=False)

    pool = pd.concat([read(d["train"]), read(d["test"])], ignore_index=True)
    frac = d["rows_test"] / (d["rows_train"] + d["rows_test"])
    strat = pool[d["target"]] if d["task"] == "classification" else None
    tr, te = train_test_split(pool, test_size=frac, random_state=i, stratify=strat)
    out = os.path.join(root, f"split{i}")
    os.makedirs(out, exist_ok=True)
    s = dict(d, train=os.path.join(out, f"{d['name']}.train.csv"),
             test=os.path.join(out, f"{d['name']}.test.csv"), split=i)
    tr.to_csv(s["train"], index=False)
    te.to_csv(s["test"], index=False)
    return s


def expand(specs, args, root):
    """One spec per (set, split); sets over --big-rows get --big-seeds splits, scikit-learn
    there --sk-big-seeds. Each spec carries its nnfit and scikit-learn seeds (= the split)."""
    out = []
    for d in specs:
        big = d["rows_train"] > args.big_rows
        n = args.big_seeds if big and args.big_seeds is not None else args.resplit
        n_sk = args.sk_big_seeds if big and args.sk_big_seeds is not None else n
        for i in range(n):
            s = write_split(d, i, root)
            s["seeds"], s["sk_seeds"] = [i], ([i] if i < n_sk else [])
            out.append(s)
    return out


# --------------------------------------------------------------------------- paired report


def sign_test(wins, losses):
    """Two-sided exact sign test p-value (ties dropped)."""
    n = wins + losses
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(wins, losses) + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def scored(r, key):
    return r is not None and r["exit"] == 0 and r.get(key) not in (None, "")


def paired(ref, runs, key):
    """Stats of runs (seed -> row) against ref (seed -> row). A run without a score (diverged,
    failed) loses to a scored reference; ties (equal scores) count for neither."""
    diffs, wins, losses = [], 0, 0
    for seed, r in runs.items():
        a, b = ref.get(seed), r
        if scored(a, key) and scored(b, key):
            diff = float(b[key]) - float(a[key])
            diffs.append(diff)
            wins += diff > 1e-12
            losses += diff < -1e-12
        elif scored(a, key):
            losses += 1
        elif scored(b, key):
            wins += 1
    vals = [float(r[key]) for r in runs.values() if scored(r, key)]
    return dict(mean=statistics.fmean(vals) if vals else None, n=len(vals),
                fail=len(runs) - len(vals), diffs=diffs, wins=wins, losses=losses,
                p=sign_test(wins, losses))


def fmt_cell(st, is_ref):
    if st["mean"] is None:
        return f"fail {st['fail']}"
    text = f"{st['mean']:.3f}"
    if st["fail"]:
        text += f" **fail {st['fail']}**"
    if is_ref or not st["diffs"]:
        return text + f" (n {st['n']})"
    d = st["diffs"]
    se = f" ±{statistics.stdev(d) / math.sqrt(len(d)):.3f}" if len(d) > 1 else ""
    cmp = f"{statistics.fmean(d):+.3f}{se}, {st['wins']}-{st['losses']}, p {st['p']:.2f}"
    return text + (f" (**{cmp}**)" if st["p"] < 0.05 else f" ({cmp})")


def group(rows):
    by = {}
    for r in rows:
        if not r.get("skipped"):
            by.setdefault((r["dataset"], r["config"]), {})[r["seed"]] = r
    return by


def metric_rows(specs):
    for d in specs:
        yield d, "score", ("acc" if d["task"] == "classification" else "R²")
        if d.get("macro_recall"):
            yield d, "macro_recall", "macro recall"


def summary_lines(stats, rows, configs):
    """Per config: sets with a higher mean, sets better / worse at p < 0.05, total seconds."""
    up, sig_up, sig_down, secs = [], [], [], []
    base = sum(r.get("seconds") or 0 for r in rows if r["config"] == "defaults")
    for c in configs:
        sts = [s for (cc, _), s in stats.items() if cc == c and s["diffs"]]
        up.append(f"{sum(statistics.fmean(s['diffs']) > 0 for s in sts)}/{len(sts)}"
                  if c != "defaults" else "")
        sig_up.append(f"{sum(s['p'] < 0.05 and s['wins'] > s['losses'] for s in sts)}"
                      if c != "defaults" else "")
        sig_down.append(f"{sum(s['p'] < 0.05 and s['wins'] < s['losses'] for s in sts)}"
                        if c != "defaults" else "")
        t = sum(r.get("seconds") or 0 for r in rows if r["config"] == c and not r.get("skipped"))
        secs.append(f"{t:.0f}" + (f" ({t / base:.1f}x)" if base else ""))
    return ["| rows with a higher mean than defaults | | " + " | ".join(up) + " |",
            "| rows better at p < 0.05 | | " + " | ".join(sig_up) + " |",
            "| rows worse at p < 0.05 | | " + " | ".join(sig_down) + " |",
            "| total seconds | | " + " | ".join(secs) + " |"]


def wilcoxon_line(stats, configs):
    """Across sets: Wilcoxon signed-rank p of the per-set mean differences (score rows)."""
    from scipy.stats import wilcoxon

    cells = []
    for c in configs:
        diffs = [round(statistics.fmean(s["diffs"]), 9)  # exact ties are dropped
                 for (cc, (_, key)), s in stats.items()
                 if cc == c and key == "score" and s["diffs"]]
        if c == "defaults" or len(diffs) < 2 or not any(diffs):
            cells.append("")
            continue
        cells.append(f"{wilcoxon(diffs).pvalue:.3f} ({len(diffs)} sets)")
    return "| across sets: Wilcoxon p of the mean diffs | | " + " | ".join(cells) + " |"


def paired_table(rows, specs, configs):
    """Markdown: mean over splits per set x config, paired against defaults."""
    by = group(rows)
    lines = ["| dataset | metric | " + " | ".join(configs) + " |",
             "|---|---|" + "---|" * len(configs)]
    stats = {}
    for d, key, metric in metric_rows(specs):
        ref = by.get((d["name"], "defaults"), {})
        cells = []
        for c in configs:
            runs = by.get((d["name"], c), {})
            if not runs:
                cells.append("")
                continue
            st = stats[(c, (d["name"], key))] = paired(ref, runs, key)
            cells.append(fmt_cell(st, c == "defaults"))
        lines.append(f"| {d['name']} | {metric} | " + " | ".join(cells) + " |")
    return "\n".join(lines + summary_lines(stats, rows, configs) + [wilcoxon_line(stats, configs)])
