#!/usr/bin/env python3
"""Runs lucidpp-bench and torch-bench side by side and prints the ratio libtorch / lucidpp.

Usage: tools/bench/compare.py BUILD_DIR [--models rnn,gru,lstm] [--configs tiny,small,medium,large]
                              [--threads 1,2] [--mode train|forward] [--rounds 3] [--repeats N]
                              [--sgemm-size 2048]

The two programs run interleaved, A B A B, for every (model, config, thread count), so that
both see the same machine state; each figure is the median over rounds of each run's median
ms/step. libtorch is given its best thread setting, not its default: for n threads it is run
with torch::set_num_threads(n) and each of these environments, and the fastest is reported:
  OMP_NUM_THREADS=n, OPENBLAS_NUM_THREADS=1     (OpenMP ops parallel, BLAS serial)
  OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=n     (BLAS parallel)
  OMP_NUM_THREADS=n, OPENBLAS_NUM_THREADS=n     (both; oversubscribes 2 cores)
  and, if Debian's libopenblas0-openmp is installed, its OpenMP OpenBLAS via LD_LIBRARY_PATH.
lucidpp runs with lucid::set_num_threads(n), which sets OpenBLAS's threads.

The GEMM-bound ceiling is OpenBLAS's sgemm rate on a square product (lucidpp-bench --mode
sgemm), measured for each thread count before the first and after the last benchmark; the
"% of sgemm" columns divide each framework's GEMM GFLOP/s (workload.hpp's count, the same for
both) by the higher of the two rates. "best possible" is libtorch's time over the time a step
would take at that rate: the largest ratio any framework could reach against libtorch here.
"target" is the speed issue's ratio for the named configs (training steps only).
Prints one JSON line per measurement on stdout, then the sgemm rates and a Markdown table.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

OPENMP_BLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp"


def run(program, args, env_extra):
    env = dict(os.environ, **env_extra)
    out = subprocess.run([program] + args, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def sgemm_rate(lucidpp, threads, size):
    """OpenBLAS sgemm GFLOP/s on a size^3 product with this many threads."""
    result = run(lucidpp, ["--mode", "sgemm", "--size", str(size), "--threads", str(threads),
                           "--warmup", "2", "--repeats", "7"], {})
    print(json.dumps(result), flush=True)
    return result["gflops"]


def torch_settings(threads):
    settings = [("omp", {"OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": "1"})]
    if threads > 1:
        settings.append(("blas", {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": str(threads)}))
        settings.append(("both", {"OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads)}))
        if os.path.isdir(OPENMP_BLAS):
            settings.append(("openmp-blas", {"OMP_NUM_THREADS": str(threads),
                                             "LD_LIBRARY_PATH": OPENMP_BLAS}))
    return settings


def median_of(results, key):
    return statistics.median(r[key] for r in results)


def target_ratio(config, threads):
    """The issue's target for libtorch ms / lucidpp ms, or None for a custom config."""
    if config in ("medium", "large"):
        return 1.4 if threads == 1 else 1.5
    return {"tiny": 5, "small": 3}.get(config)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir")
    parser.add_argument("--models", default="rnn,gru,lstm")
    parser.add_argument("--configs", default="tiny,small,medium,large")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--mode", default="train")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=0, help="steps timed per run (0: by config)")
    parser.add_argument("--sgemm-size", type=int, default=2048, help="M = N = K of the sgemm rate")
    a = parser.parse_args()

    lucidpp = os.path.join(a.build_dir, "tools", "bench", "lucidpp-bench")
    torch = os.path.join(a.build_dir, "tools", "bench", "torch-bench")
    if not os.path.exists(torch):
        sys.exit("compare.py: torch-bench was not built (install libtorch-dev and reconfigure)")

    thread_counts = [int(t) for t in a.threads.split(",")]
    sgemm_before = {n: sgemm_rate(lucidpp, n, a.sgemm_size) for n in thread_counts}
    rows = []
    for config in a.configs.split(","):
        repeats = a.repeats or {"tiny": 500, "small": 100, "medium": 5, "large": 5}.get(config, 10)
        for model in a.models.split(","):
            for threads in thread_counts:
                args = ["--model", model, "--config", config, "--mode", a.mode, "--threads",
                        str(threads), "--repeats", str(repeats), "--warmup", "2"]
                ours, theirs = [], {}
                for _ in range(a.rounds):
                    result = run(lucidpp, args, {})
                    print(json.dumps(result), flush=True)
                    ours.append(result)
                    for name, env in torch_settings(threads):
                        result = run(torch, args, env)
                        result["setting"] = name
                        print(json.dumps(result), flush=True)
                        theirs.setdefault(name, []).append(result)
                best = min(theirs, key=lambda name: median_of(theirs[name], "ms_per_step"))
                rows.append(dict(config=config, model=model, threads=threads,
                                 ms=median_of(ours, "ms_per_step"),
                                 torch_ms=median_of(theirs[best], "ms_per_step"), setting=best,
                                 gflops=median_of(ours, "gflops"),
                                 gflop=ours[0]["gflop_per_step"],
                                 torch_gflops=median_of(theirs[best], "gflops"),
                                 rss=max(r["peak_rss_mb"] for r in ours),
                                 torch_rss=max(r["peak_rss_mb"] for r in theirs[best])))
    sgemm_after = {n: sgemm_rate(lucidpp, n, a.sgemm_size) for n in thread_counts}

    print()
    for n in thread_counts:
        print(f"OpenBLAS sgemm {a.sgemm_size}^3, {n} thread{'s' if n > 1 else ''}: "
              f"{sgemm_before[n]:.1f} GFLOP/s before, {sgemm_after[n]:.1f} after")
    print()
    print("| config | model | threads | lucidpp ms | libtorch ms (setting) | libtorch/lucidpp "
          "| target | best possible | lucidpp GFLOP/s | lucidpp % of sgemm | libtorch % of sgemm "
          "| RSS MB lucidpp / libtorch |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ceiling = max(sgemm_before[r["threads"]], sgemm_after[r["threads"]])
        # At the sgemm rate a step takes gflop / rate: no framework can beat libtorch by more.
        best_possible = r["torch_ms"] / (1000 * r["gflop"] / ceiling)
        target = target_ratio(r["config"], r["threads"]) if a.mode == "train" else None
        verdict = "" if target is None else f"{target}x {'met' if r['torch_ms'] / r['ms'] >= target else 'missed'}"
        print(f"| {r['config']} | {r['model']} | {r['threads']} | {r['ms']:.2f} | "
              f"{r['torch_ms']:.2f} ({r['setting']}) | {r['torch_ms'] / r['ms']:.2f}x | {verdict} | "
              f"{best_possible:.2f}x | {r['gflops']:.1f} | {100 * r['gflops'] / ceiling:.0f}% | "
              f"{100 * r['torch_gflops'] / ceiling:.0f}% | {r['rss']:.0f} / {r['torch_rss']:.0f} |")


if __name__ == "__main__":
    main()
