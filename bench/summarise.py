#!/usr/bin/python3
"""Summarise a bench/run.sh results folder: medians over runs and nnfit/peer ratios.

Usage: /usr/bin/python3 bench/summarise.py bench/results/<stamp>

Reads <W>.<tool>.<run>.out (nnfit: its --json summary; peers: the `RESULT {json}` line),
<W>.<tool>.<run>.time (GNU time -v: peak RSS, wall clock) and, for nnfit on W1,
<W>.nnfit.<run>.acc (test accuracy of `nnfit predict`). Prints Markdown.

Ratios are speed ratios, nnfit / peer: above 1 nnfit is faster, below 1 it is slower.
"""
import glob, json, os, re, statistics, sys

TITLES = {
    "W1": "W1: Fashion-MNIST 784-256-128-10 ReLU, batch 64, 5 epochs - training samples/s",
    "W2": "W2: tab100k 20-64-64-1 tanh, batch 32, 5 epochs - training samples/s",
    "W3": "W3: tab100k 20-64-64-1 tanh, batch 1, 1 epoch - training samples/s",
    "W4": "W4: load Fashion-MNIST train.csv (133 MB) into a float matrix",
}
ORDER = ["nnfit", "pytorch", "sklearn", "numpy", "fann", "pandas", "loadtxt"]
NOTES = {
    ("W1", "fann"): "per-example SGD, MSE loss, 1 epoch: not like for like",
    ("W1", "nnfit"): "test accuracy from `nnfit predict`; inputs standardised, peers /255",
    ("W2", "nnfit"): "accuracy on the training set (as the peers)",
}


def parse_time(path):
    """Peak RSS (MB) and wall seconds from `/usr/bin/time -v` output."""
    rss = wall = None
    try:
        text = open(path).read()
    except OSError:
        return rss, wall
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        rss = int(m.group(1)) / 1024
    m = re.search(r"Elapsed \(wall clock\) time.*?: (?:(\d+):)?(\d+):([\d.]+)", text)
    if m:
        wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    return rss, wall


def parse_out(path, tool):
    text = open(path).read()
    if tool == "nnfit":
        try:
            j = json.loads(text)
        except ValueError:
            return None
        r = {"load_s": j["load_seconds"], "train_s": j["train_seconds"],
             "samples_per_s": j["samples_per_second"], "acc": j["train"]["accuracy"]}
        acc_file = path[:-len(".out")] + ".acc"
        if os.path.exists(acc_file):
            r["acc"] = float(open(acc_file).read())
        return r
    for line in text.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    return None


def load(folder):
    res = {}  # (workload, tool) -> list of dicts
    for path in sorted(glob.glob(os.path.join(folder, "W*.*.*.out"))):
        w, tool, run = os.path.basename(path)[:-len(".out")].split(".")
        r = parse_out(path, tool)
        if r is None:
            continue
        r["rss_mb"], r["wall_s"] = parse_time(path[:-len(".out")] + ".time")
        if w == "W4":
            size = r.get("bytes") or os.path.getsize(os.path.join(os.environ.get("BENCH_DATA", "bench/data"), "fashion-mnist/train.csv"))
            r["mb_per_s"] = size / 1e6 / r["load_s"]
        res.setdefault((w, tool), []).append(r)
    return res


def med(rows, key):
    vals = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def si(x):
    if x is None:
        return "-"
    if x >= 1e6:
        return f"{x / 1e6:.2f}M"
    if x >= 1e3:
        return f"{x / 1e3:.1f}k"
    return f"{x:.0f}"


def tools_of(res, w):
    return sorted({t for (ww, t) in res if ww == w}, key=lambda t: ORDER.index(t) if t in ORDER else 99)


def ratio_str(r):
    if r is None:
        return "-"
    if r >= 1:
        return f"**{r:.2f}x** (nnfit faster)"
    return f"**{r:.2f}x** (nnfit {1 / r:.2f}x slower)"


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else sorted(glob.glob("bench/results/*/"))[-1]
    res = load(folder)
    meta = os.path.join(folder, "meta.txt")
    if os.path.exists(meta):
        print("```\n" + open(meta).read().strip() + "\n```\n")
    summary = []  # (workload, tool, ratio)
    for w in ("W1", "W2", "W3"):
        tools = tools_of(res, w)
        if not tools:
            continue
        base = med(res.get((w, "nnfit"), []), "samples_per_s")
        print(f"### {TITLES[w]}\n")
        print("| tool | runs | median samples/s | min-max | train s | accuracy | peak RSS MB | nnfit / tool | note |")
        print("|---|---:|---:|---:|---:|---:|---:|---|---|")
        for t in tools:
            rows = res[(w, t)]
            sps = [r["samples_per_s"] for r in rows]
            m = statistics.median(sps)
            ratio = base / m if (base and t != "nnfit") else None
            if ratio is not None:
                summary.append((w, t, ratio))
            acc = med(rows, "acc")
            print(f"| {t} | {len(rows)} | {si(m)} | {si(min(sps))}-{si(max(sps))} | {med(rows, 'train_s'):.2f} | "
                  f"{'-' if acc is None else f'{acc:.4f}'} | {med(rows, 'rss_mb') or 0:.0f} | "
                  f"{ratio_str(ratio) if t != 'nnfit' else ''} | {NOTES.get((w, t), '')} |")
        print()
    tools = tools_of(res, "W4")
    if tools:
        base = med(res.get(("W4", "nnfit"), []), "load_s")
        base_rss = med(res.get(("W4", "nnfit"), []), "rss_mb")
        print(f"### {TITLES['W4']}\n")
        print("| tool | runs | median load s | min-max | MB/s | peak RSS MB | nnfit / tool (speed) | RSS nnfit / tool |")
        print("|---|---:|---:|---:|---:|---:|---|---:|")
        for t in tools:
            rows = res[("W4", t)]
            ls = [r["load_s"] for r in rows]
            m = statistics.median(ls)
            ratio = m / base if (base and t != "nnfit") else None
            if ratio is not None:
                summary.append(("W4", t, ratio))
            rss = med(rows, "rss_mb")
            rr = f"{base_rss / rss:.2f}" if (t != "nnfit" and rss and base_rss) else ""
            print(f"| {t} | {len(rows)} | {m:.3f} | {min(ls):.3f}-{max(ls):.3f} | {med(rows, 'mb_per_s'):.0f} | "
                  f"{rss or 0:.0f} | {ratio_str(ratio) if t != 'nnfit' else ''} | {rr} |")
        print("\nnnfit's peak RSS is that of the whole `train --hidden 0 --epochs 1` process; the Python "
              "peers' includes the interpreter and pandas/numpy.\n")
    if summary:
        print("### Speed ratios nnfit / peer (medians, same run; > 1 = nnfit faster)\n")
        peers = [t for t in ORDER if t != "nnfit" and any(s[1] == t for s in summary)]
        print("| workload | " + " | ".join(peers) + " |")
        print("|---|" + "---:|" * len(peers))
        for w in ("W1", "W2", "W3", "W4"):
            d = {t: r for (ww, t, r) in summary if ww == w}
            if d:
                print(f"| {w} | " + " | ".join(f"{d[t]:.2f}" if t in d else "-" for t in peers) + " |")
        print()


if __name__ == "__main__":
    main()
