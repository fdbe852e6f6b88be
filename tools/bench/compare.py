#!/usr/bin/env python3
"""Runs lucidpp-bench and torch-bench side by side and prints the ratio libtorch / lucidpp.

Usage: tools/bench/compare.py BUILD_DIR [--models rnn,gru,lstm] [--configs tiny,small,medium,large]
                              [--threads 1,2] [--mode train|forward] [--rounds 2] [--repeats N]

The two programs run interleaved, A B A B, for every (model, config, thread count), so that
both see the same machine state; each figure is the median over rounds of each run's median
ms/step. libtorch is given its best thread setting, not its default: for n threads it is run
with torch::set_num_threads(n) and each of these environments, and the fastest is reported:
  OMP_NUM_THREADS=n, OPENBLAS_NUM_THREADS=1     (OpenMP ops parallel, BLAS serial)
  OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=n     (BLAS parallel)
  OMP_NUM_THREADS=n, OPENBLAS_NUM_THREADS=n     (both; oversubscribes 2 cores)
  and, if Debian's libopenblas0-openmp is installed, its OpenMP OpenBLAS via LD_LIBRARY_PATH.
lucidpp runs with lucid::set_num_threads(n), which sets OpenBLAS's threads.
Prints one JSON line per measurement on stdout, then a Markdown table.
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


def torch_settings(threads):
    settings = [("omp", {"OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": "1"})]
    if threads > 1:
        settings.append(("blas", {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": str(threads)}))
        settings.append(("both", {"OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads)}))
        if os.path.isdir(OPENMP_BLAS):
            settings.append(("openmp-blas", {"OMP_NUM_THREADS": str(threads),
                                             "LD_LIBRARY_PATH": OPENMP_BLAS}))
    return settings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir")
    parser.add_argument("--models", default="rnn,gru,lstm")
    parser.add_argument("--configs", default="tiny,small,medium,large")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--mode", default="train")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=0, help="steps timed per run (0: by config)")
    a = parser.parse_args()

    lucidpp = os.path.join(a.build_dir, "tools", "bench", "lucidpp-bench")
    torch = os.path.join(a.build_dir, "tools", "bench", "torch-bench")
    if not os.path.exists(torch):
        sys.exit("compare.py: torch-bench was not built (install libtorch-dev and reconfigure)")

    rows = []
    for config in a.configs.split(","):
        repeats = a.repeats or {"tiny": 50, "small": 20, "medium": 5, "large": 5}.get(config, 10)
        for model in a.models.split(","):
            for threads in [int(t) for t in a.threads.split(",")]:
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
                ms = statistics.median(r["ms_per_step"] for r in ours)
                best_name, best_ms = min(((n, statistics.median(r["ms_per_step"] for r in rs))
                                          for n, rs in theirs.items()), key=lambda p: p[1])
                rows.append((config, model, threads, ms, best_ms, best_name,
                             statistics.median(r["gflops"] for r in ours),
                             max(r["peak_rss_mb"] for r in ours),
                             max(r["peak_rss_mb"] for r in theirs[best_name])))

    print()
    print("| config | model | threads | lucidpp ms | libtorch ms (setting) | libtorch/lucidpp "
          "| lucidpp GFLOP/s | RSS MB lucidpp / libtorch |")
    print("|---|---|---|---|---|---|---|---|")
    for config, model, threads, ms, tms, setting, gflops, rss, trss in rows:
        print(f"| {config} | {model} | {threads} | {ms:.2f} | {tms:.2f} ({setting}) | "
              f"{tms / ms:.2f}x | {gflops:.1f} | {rss:.0f} / {trss:.0f} |")


if __name__ == "__main__":
    main()
