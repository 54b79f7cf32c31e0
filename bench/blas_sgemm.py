#!/usr/bin/python3
"""Single-thread float32 matrix product speed of numpy's BLAS, under the OPENBLAS_CORETYPE of
the environment (OpenBLAS reads it once, when it is loaded: bench/run.sh starts this script
once per candidate kernel set).

Usage: OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 bench/blas_sgemm.py [N=2048] [seconds=1]

Prints one line `RESULT {json}`: gflops (best of the repeats of an N^3 product), the kernels
OpenBLAS reports (threadpoolctl's architecture, when installed) and ok, whether a 256^3
product agrees with a float64 reference (some kernel sets compute wrong results on CPUs they
were not written for; those must not be chosen).
"""
import json, os, sys, time

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before numpy loads OpenBLAS
os.environ["OMP_NUM_THREADS"] = "1"
import numpy as np


def kernels():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    info = [i for i in threadpool_info() if i.get("internal_api") == "openblas"]
    return info[0].get("architecture") if info else None


def correct():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((256, 256)).astype(np.float32)
    b = rng.standard_normal((256, 256)).astype(np.float32)
    ref = a.astype(np.float64) @ b.astype(np.float64)
    return bool(np.abs(a @ b - ref).max() <= 1e-3 * np.abs(ref).max())


def best_gflops(n, budget):
    a = np.random.default_rng(1).standard_normal((n, n)).astype(np.float32)
    b = np.random.default_rng(2).standard_normal((n, n)).astype(np.float32)
    c = np.empty((n, n), np.float32)
    np.matmul(a, b, out=c)  # warm-up
    best, spent, reps = float("inf"), 0.0, 0
    while reps < 3 or spent < budget:
        t0 = time.perf_counter()
        np.matmul(a, b, out=c)
        dt = time.perf_counter() - t0
        best, spent, reps = min(best, dt), spent + dt, reps + 1
    return 2.0 * n ** 3 / best / 1e9


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2048
    budget = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    ok = correct()
    print("RESULT " + json.dumps({"n": n, "ok": ok, "gflops": round(best_gflops(n, budget), 2),
                                  "architecture": kernels(),
                                  "coretype": os.environ.get("OPENBLAS_CORETYPE")}), flush=True)


if __name__ == "__main__":
    main()
