#!/usr/bin/python3
"""Summarise a bench/run.sh results folder: medians, min-max, ratios, the SGEMM bound.

Usage: python3 bench/summarise.py [bench/results/<stamp>]   (default: the newest folder)

Standard library only (the smoke test runs it on machines without numpy). Reads, per
measurement <W>.<tool>.<round>: .out (nnfit's --json summary, or a `RESULT {json}` line),
.wall (wall seconds), .time (GNU time -v: peak RSS) and, for W1's nnfit, .acc (test accuracy).
Tools named nnfit-<variant> are nnfit with other flags (threads, busy core, optimizer).
Besides: meta.txt, sgemm.json (bench/sgemm.cc) and coretype.tsv (numpy SGEMM per OpenBLAS
kernel set). Prints Markdown.

Ratios are speed ratios nnfit / peer: above 1 nnfit is faster.
"""
import glob, json, os, re, statistics, sys

TITLES = {
    "W1": "W1: Fashion-MNIST 784-256-128-10 ReLU, SGD batch 64, {epochs} epochs - training samples/s",
    "W2": "W2: tab100k 20-64-64-1 tanh, SGD batch 32, {epochs} epochs - training samples/s",
    "W3": "W3: tab100k 20-64-64-1 tanh, SGD batch 1, {epochs} epoch - training samples/s",
    "W4": "W4: load Fashion-MNIST train.csv into a float matrix",
}
ORDER = ["nnfit", "pytorch", "sklearn", "numpy", "fann", "pandas", "loadtxt"]
NOTES = {
    ("W1", "fann"): "per-example SGD, MSE loss, 1 epoch: not like for like",
    ("W1", "nnfit"): "test accuracy from `nnfit predict`; inputs standardised, peers /255",
    ("W2", "nnfit"): "accuracy on the training set (as the peers)",
}
NOT_LIKE_FOR_LIKE = {("W1", "fann")}  # never "the fastest peer"
W1_LAYERS = (784, 256, 128, 10)
FLAT_TOLERANCE = 0.20  # W5: per-row figures may differ by this much across sizes


def w1_flops_per_sample(layers=W1_LAYERS):
    """FLOPs of the matrix products of one W1 training example: forward W (all layers),
    backward dW (all layers) and dX (all but the first), 2 FLOPs per multiply-add."""
    macs = [a * b for a, b in zip(layers, layers[1:])]
    return 2 * (sum(macs) + sum(macs) + sum(macs[1:]))


# --- reading -------------------------------------------------------------------------------------
def read_text(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def parse_time(path):
    """Peak RSS (MB) and wall seconds from `/usr/bin/time -v` output."""
    rss = wall = None
    text = read_text(path)
    if text is None:
        return rss, wall
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        rss = int(m.group(1)) / 1024
    m = re.search(r"Elapsed \(wall clock\) time.*?: (?:(\d+):)?(\d+):([\d.]+)", text)
    if m:
        wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    return rss, wall


def parse_out(path):
    """A peer's (or run.sh's) `RESULT {json}` line, else nnfit's --json summary."""
    text = read_text(path) or ""
    for line in text.splitlines():
        if line.startswith("RESULT "):
            try:
                return json.loads(line[len("RESULT "):])
            except ValueError:
                return None
    try:
        j = json.loads(text)
    except ValueError:
        return None
    r = {"load_s": j.get("load_seconds"), "train_s": j.get("train_seconds"),
         "samples_per_s": j.get("samples_per_second"), "epochs": j.get("epochs_run"),
         "rows": (j.get("train") or {}).get("rows"), "acc": (j.get("train") or {}).get("accuracy")}
    acc = read_text(path[:-len(".out")] + ".acc")
    if acc:
        r["acc"] = float(acc)
    return r


def load(folder):
    res = {}  # (workload, tool) -> list of dicts, one per round
    for path in sorted(glob.glob(os.path.join(folder, "*.*.*.out"))):
        parts = os.path.basename(path)[:-len(".out")].split(".")
        if len(parts) != 3:
            continue
        w, tool, _ = parts
        r = parse_out(path)
        if r is None:
            continue
        stem = path[:-len(".out")]
        r["rss_mb"], r["wall_s"] = parse_time(stem + ".time")
        wall = read_text(stem + ".wall")
        if wall:
            r["wall_s"] = float(wall)
        res.setdefault((w, tool), []).append(r)
    return res


def read_json(path):
    text = read_text(path)
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def read_coretypes(folder):
    """[(candidate, gflops, ok, kernels)] from coretype.tsv."""
    rows = []
    for line in (read_text(os.path.join(folder, "coretype.tsv")) or "").splitlines():
        f = line.split("\t")
        if len(f) == 4:
            try:
                rows.append((f[0], float(f[1]), f[2] == "True", f[3]))
            except ValueError:
                pass
    return rows


# --- formatting ------------------------------------------------------------------------------------
def vals(rows, key):
    return [r[key] for r in rows if isinstance(r.get(key), (int, float))]


def med(rows, key):
    v = vals(rows, key)
    return statistics.median(v) if v else None


def si(x):
    if x is None:
        return "-"
    if x >= 1e6:
        return f"{x / 1e6:.2f}M"
    if x >= 1e3:
        return f"{x / 1e3:.1f}k"
    if x >= 10:
        return f"{x:.0f}"
    return f"{x:.3g}"


def fx(x, fmt=".2f"):
    return "-" if x is None else format(x, fmt)


def fr(x):
    """A ratio: two decimals, three significant digits below 0.1."""
    return fx(x, ".3g" if (x is not None and x < 0.1) else ".2f")


def spread(rows, key, fmt=si):
    v = vals(rows, key)
    return f"{fmt(min(v))}-{fmt(max(v))}" if v else "-"


def ratio_str(r):
    if r is None:
        return "-"
    if r >= 1:
        return f"**{r:.2f}x** (nnfit faster)"
    return f"**{r:.2f}x** (nnfit {1 / r:.2f}x slower)"


def div(a, b):
    return a / b if (a is not None and b) else None


def table(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|")
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")
    print()


def tools_of(res, w):
    """Peers and plain nnfit of workload w (nnfit-<variant> rows are not peers)."""
    return sorted({t for (ww, t) in res if ww == w and "-" not in t},
                  key=lambda t: ORDER.index(t) if t in ORDER else 99)


# --- sections ----------------------------------------------------------------------------------------
def sgemm_bound(folder):
    """Prints the SGEMM section; returns (bound samples/s, step-shape bound samples/s)."""
    sg = read_json(os.path.join(folder, "sgemm.json")) or {}
    cores = read_coretypes(folder)
    numpy_best = max((g for (_, g, ok, _) in cores if ok), default=None)
    flops = w1_flops_per_sample()
    figures = [("Eigen (bench/sgemm.cc)", sg.get("square_eigen_gflops")),
               ("OpenBLAS cblas (bench/sgemm.cc)", sg.get("square_blas_gflops") if sg.get("blas") else None),
               ("OpenBLAS via numpy, best kernels (bench/blas_sgemm.py)", numpy_best)]
    figures = [(k, v) for k, v in figures if v]
    peak = max((v for _, v in figures), default=None)
    step = max((sg.get(k) or 0 for k in ("w1_step_eigen_gflops", "w1_step_blas_gflops")), default=0) or None
    print("### SGEMM bound (single thread)\n")
    n = sg.get("n", "?")
    rows = [(k, n, f"{v:.1f}") for k, v in figures]
    for name, g, ok, kern in cores:
        rows.append((f"numpy, OPENBLAS_CORETYPE={name} ({kern}{'' if ok else ', WRONG RESULTS'})", 2048, f"{g:.1f}"))
    if step:
        rows.append(("the 8 products of one W1 step at batch 64 (best library)", "W1 shapes", f"{step:.1f}"))
    table(["SGEMM", "n", "GFLOP/s"], rows)
    bound = div(peak * 1e9 if peak else None, flops)
    step_bound = div(step * 1e9 if step else None, flops)
    print(f"W1 FLOPs per training sample: 2 x (forward {sum(a * b for a, b in zip(W1_LAYERS, W1_LAYERS[1:]))} "
          f"+ dW same + dX {sum(a * b for a, b in zip(W1_LAYERS[1:], W1_LAYERS[2:]))}) multiply-adds "
          f"= {flops / 1e6:.4f} MFLOP.  ")
    print(f"W1 bound = fastest single-thread SGEMM ({fx(peak, '.1f')} GFLOP/s) / FLOPs per sample "
          f"= **{si(bound)} samples/s**; at W1's own product shapes: {si(step_bound)} samples/s "
          f"(per-shape figures: sgemm.txt).\n")
    return bound, step_bound


def training_tables(res, bound, step_bound, summary):
    for w in ("W1", "W2", "W3"):
        tools = tools_of(res, w)
        if not tools:
            continue
        base = med(res.get((w, "nnfit"), []), "samples_per_s")
        epochs = med(res.get((w, "nnfit"), []), "epochs")
        print(f"### {TITLES[w].format(epochs=fx(epochs, '.0f'))}\n")
        rows, peers = [], {}
        for t in tools:
            rs = res[(w, t)]
            m = med(rs, "samples_per_s")
            ratio = div(base, m) if t != "nnfit" else None
            if ratio is not None:
                summary.setdefault(w, {})[t] = ratio
                if (w, t) not in NOT_LIKE_FOR_LIKE:
                    peers[t] = m
            acc = med(rs, "acc")
            rows.append((t, len(rs), si(m), spread(rs, "samples_per_s"), fx(med(rs, "train_s")),
                         fx(acc, ".4f"), fx(med(rs, "rss_mb"), ".0f"),
                         ratio_str(ratio) if t != "nnfit" else "", NOTES.get((w, t), "")))
        table(["tool", "runs", "median samples/s", "min-max", "train s", "accuracy", "peak RSS MB",
               "nnfit / tool", "note"], rows)
        if peers:
            best = max(peers, key=peers.get)
            print(f"Fastest peer: {best} ({si(peers[best])} samples/s); nnfit / fastest peer: "
                  f"{ratio_str(div(base, peers[best]))}.  ")
        if w == "W1" and base:
            print(f"nnfit's fraction of the SGEMM bound: **{fx(div(base, bound), '.0%')}** of "
                  f"{si(bound)} samples/s ({fx(div(base, step_bound), '.0%')} of the "
                  f"W1-shape bound {si(step_bound)}).")
        print()


def load_table(res, summary):
    tools = tools_of(res, "W4")
    if not tools:
        return
    nn = res.get(("W4", "nnfit"), [])
    base, base_rss = med(nn, "load_s"), med(nn, "rss_mb")
    size = None
    for r in sum((res[("W4", t)] for t in tools), []):
        size = size or r.get("bytes")
    path = os.path.join(os.environ.get("BENCH_DATA", "bench/data"), "fashion-mnist/train.csv")
    if size is None and os.path.exists(path):
        size = os.path.getsize(path)
    print(f"### {TITLES['W4']}\n")
    rows, peers = [], {}
    for t in tools:
        rs = res[("W4", t)]
        m = med(rs, "load_s")
        ratio = div(m, base) if t != "nnfit" else None
        if ratio is not None:
            summary.setdefault("W4", {})[t] = ratio
            peers[t] = m
        rss = med(rs, "rss_mb")
        rows.append((t, len(rs), fx(m, ".3f"), spread(rs, "load_s", lambda x: f"{x:.3f}"),
                     fx(div(size / 1e6 if size else None, m), ".0f"), fx(rss, ".0f"),
                     ratio_str(ratio) if t != "nnfit" else "",
                     fx(div(base_rss, rss), ".2f") if t != "nnfit" else ""))
    table(["tool", "runs", "median load s", "min-max", "MB/s", "peak RSS MB", "nnfit / tool (speed)",
           "RSS nnfit / tool"], rows)
    if peers:
        best = min(peers, key=peers.get)
        print(f"Fastest peer: {best}; nnfit / fastest peer: {ratio_str(div(peers[best], base))}.  ")
    print("nnfit's peak RSS is that of the whole `train --hidden 0 --epochs 1` process; the Python "
          "peers' includes the interpreter and pandas/numpy.\n")


def e2e_table(res):
    """W1 end to end: nnfit train's process wall time (load, 5 epochs, save) against
    PyTorch's own load_s + train_s."""
    nn, pt = res.get(("W1", "nnfit"), []), res.get(("W1", "pytorch"), [])
    if not nn:
        return
    for r in nn + pt:
        if r.get("load_s") is not None and r.get("train_s") is not None:
            r["load_train_s"] = r["load_s"] + r["train_s"]
    print(f"### End-to-end W1: load, {fx(med(nn, 'epochs'), '.0f')} epochs (and nnfit: save), seconds\n")
    rows = [("nnfit, process wall time", len(nn), fx(med(nn, "wall_s")), spread(nn, "wall_s", lambda x: f"{x:.2f}"), ""),
            ("nnfit, load_seconds + train_seconds", len(nn), fx(med(nn, "load_train_s")),
             spread(nn, "load_train_s", lambda x: f"{x:.2f}"), "")]
    if pt:
        ratio = div(med(pt, "load_train_s"), med(nn, "wall_s"))
        rows.append(("pytorch, load_s + train_s (its RESULT line)", len(pt), fx(med(pt, "load_train_s")),
                     spread(pt, "load_train_s", lambda x: f"{x:.2f}"), ratio_str(ratio)))
        rows.append(("pytorch, process wall time (with imports, test accuracy)", len(pt), fx(med(pt, "wall_s")),
                     spread(pt, "wall_s", lambda x: f"{x:.2f}"), ""))
    table(["what", "runs", "median s", "min-max", "pytorch / nnfit wall"], rows)
    print("PyTorch's load_s also reads test.csv (22 MB besides the 133 MB of train.csv); nnfit's wall "
          "time includes process start-up, standardisation and saving the model.\n")


def pred_table(res):
    nn, pt = res.get(("PRED", "nnfit"), []), res.get(("PRED", "pytorch"), [])
    if not nn and not pt:
        return
    for r in nn:
        r["rows_per_s"] = div(r.get("rows"), r.get("wall_s"))
    print("### PRED: predict Fashion-MNIST test.csv, CSV in and CSV out, rows/s\n")
    base = med(nn, "rows_per_s")
    rows = [("nnfit predict (process wall time)", len(nn), si(base), spread(nn, "rows_per_s"),
             fx(med(nn, "wall_s"), ".3f"), fx(med(nn, "rss_mb"), ".0f"), "")]
    if pt:
        m = med(pt, "rows_per_s")
        rows.append(("pytorch read + infer + write (in-process)", len(pt), si(m), spread(pt, "rows_per_s"),
                     fx(med(pt, "total_s"), ".3f"), fx(med(pt, "rss_mb"), ".0f"), ratio_str(div(base, m))))
        rows.append(("  of which read / infer / write s", "", "", "",
                     " / ".join(fx(med(pt, k), ".3f") for k in ("read_s", "infer_s", "write_s")), "", ""))
    table(["tool", "runs", "median rows/s", "min-max", "seconds", "peak RSS MB", "nnfit / tool"], rows)
    print("nnfit's model: W1's network trained 1 epoch; PyTorch's: random weights (inference costs the "
          "same). nnfit's time includes process start-up and loading the model; PyTorch's excludes "
          "the interpreter and imports. Both 1 thread.\n")


def threads_table(res):
    rows = []
    for w in ("W1", "W1-b256", "W1-lbfgs", "W2"):
        t1 = med(res.get((w, "nnfit-t1"), []), "samples_per_s")
        t1b = med(res.get((w, "nnfit-t1-busy"), []), "samples_per_s")
        for tool, label, ref in (("nnfit-t1", "1 thread, idle", None), ("nnfit-t2", "2 threads, idle", t1),
                                 ("nnfit-t1-busy", "1 thread, 1 core busy", None),
                                 ("nnfit-t2-busy", "2 threads, 1 core busy", t1b)):
            rs = res.get((w, tool), [])
            if not rs:
                continue
            m = med(rs, "samples_per_s")
            rows.append((w, label, len(rs), fx(med(rs, "epochs"), ".0f"), si(m), spread(rs, "samples_per_s"),
                         "" if ref is None else fr(div(m, ref)), fr(div(m, t1))))
    if not rows:
        return
    print("### Threads: nnfit --threads 1 and 2, idle and with a competing process (`yes`) on one core\n")
    table(["workload", "threads", "runs", "epochs", "median samples/s", "min-max",
           "2 threads / 1 thread (same load)", "ratio to 1 thread idle"], rows)


def optimizer_table(res, bound):
    rows = []
    for w in ("W1", "W2"):
        sgd = med(res.get((w, "nnfit"), []), "samples_per_s")
        for tool, label in (("nnfit", "sgd (momentum 0.9)"), ("nnfit-adam", "adam"), ("nnfit-lbfgs", "lbfgs (full batch)")):
            rs = res.get((w, tool), [])
            if not rs or (tool == "nnfit" and not (res.get((w, "nnfit-adam")) or res.get((w, "nnfit-lbfgs")))):
                continue
            m = med(rs, "samples_per_s")
            rows.append((w, label, len(rs), fx(med(rs, "epochs"), ".0f"), si(m), spread(rs, "samples_per_s"),
                         fx(med(rs, "train_s")), fx(div(m, sgd)),
                         fx(div(m, bound), ".0%") if w == "W1" else ""))
    if not rows:
        return
    print("### Optimizers: nnfit samples/s by --optimizer (1 thread)\n")
    table(["workload", "optimizer", "runs", "epochs", "median samples/s", "min-max", "train s",
           "ratio to sgd", "of SGEMM bound"], rows)
    print("lbfgs: epochs = full-batch iterations; its line search may evaluate the loss and "
          "gradient more than once per iteration, so samples/s counts iterations x rows.\n")


def w5_table(res):
    sizes = sorted({int(w.split("-")[1]) for (w, t) in res if w.startswith("W5-") and t == "nnfit"})
    if not sizes:
        return
    rows, per_row = [], {"train_us": [], "rss_b": [], "load_us": []}
    prev = None
    for n in sizes:
        rs = res[(f"W5-{n}", "nnfit")]
        tr, ld, rss = med(rs, "train_s"), med(rs, "load_s"), med(rs, "rss_mb")
        tr_us, ld_us = div(tr * 1e6 if tr else None, n), div(ld * 1e6 if ld else None, n)
        rss_b = div(rss * 1048576 if rss else None, n)
        marginal = div((rss - prev[1]) * 1048576, n - prev[0]) if (prev and rss and prev[1]) else None
        for k, v in (("train_us", tr_us), ("rss_b", rss_b), ("load_us", ld_us)):
            if v is not None:
                per_row[k].append(v)
        rows.append((f"{n:,}", len(rs), fx(tr, ".3f"), spread(rs, "train_s", lambda x: f"{x:.3f}"),
                     fx(tr_us, ".3f"), fx(ld_us, ".3f"), fx(rss, ".0f"), fx(rss_b, ".0f"), fx(marginal, ".0f")))
        prev = (n, rss)
    print("### W5: scaling, W2's network (sgd, batch 32, 1 epoch) on 20-feature regression sets\n")
    table(["rows", "runs", "median train s", "min-max", "train us/row", "load us/row", "peak RSS MB",
           "RSS bytes/row", "marginal RSS bytes/row"], rows)
    for k, label in (("train_us", "train time per row"), ("rss_b", "peak RSS per row"), ("load_us", "load time per row")):
        v = per_row[k]
        if len(v) < 2:
            continue
        spread_ = max(v) / min(v) - 1
        verdict = "flat" if spread_ <= FLAT_TOLERANCE else "**NOT FLAT**"
        print(f"- {label}: max / min - 1 = {spread_:.0%} across sizes: {verdict} (tolerance {FLAT_TOLERANCE:.0%})")
    print("\nPeak RSS per row includes the process's fixed part (binary, libraries, model), which "
          "dominates the smaller sizes; the marginal column is the growth from the previous size.\n")


def ratio_summary(summary):
    if not summary:
        return
    peers = [t for t in ORDER if t != "nnfit" and any(t in d for d in summary.values())]
    print("### Speed ratios nnfit / peer (medians, same run; > 1 = nnfit faster)\n")
    rows = []
    for w in ("W1", "W2", "W3", "W4"):
        d = summary.get(w)
        if not d:
            continue
        like = {t: r for t, r in d.items() if (w, t) not in NOT_LIKE_FOR_LIKE}
        fastest = min(like.values()) if like else None  # the smallest ratio: the fastest peer
        rows.append([w] + [fx(d.get(t)) for t in peers] + [fx(fastest)])
    table(["workload"] + peers + ["vs fastest peer"], rows)


def main():
    folders = sorted(glob.glob("bench/results/*/"))
    folder = sys.argv[1] if len(sys.argv) > 1 else (folders[-1] if folders else ".")
    res = load(folder)
    meta = read_text(os.path.join(folder, "meta.txt"))
    if meta:
        print("```\n" + meta.strip() + "\n```\n")
    if not res:
        print(f"no results in {folder}", file=sys.stderr)
        return 1
    bound, step_bound = sgemm_bound(folder)
    summary = {}
    training_tables(res, bound, step_bound, summary)
    load_table(res, summary)
    e2e_table(res)
    pred_table(res)
    threads_table(res)
    optimizer_table(res, bound)
    w5_table(res)
    ratio_summary(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
