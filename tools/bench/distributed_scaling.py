#!/usr/bin/env python3
"""Measures how the GRU training step scales with ranks and threads on this machine.

Usage: tools/bench/distributed_scaling.py BUILD_DIR [--configs small,medium] [--rounds 3]
                                          [--repeats 10] [--warmup 3] [--bucket-mb 1]
                                          [--mpirun mpirun] [--quick]

Runs lucidpp-distributed-bench (tools/bench/distributed_bench.cpp) with the global batch fixed,
in these setups, interleaved (A B C D E, A B C D E, ...) ROUNDS times per config, so that every
setup sees the same machine state:
  1 rank x 1 thread     the plain step, no DistributedDataParallel: the baseline
  1 rank x 1 thread     wrapped in DistributedDataParallel (a world of one: its own overhead)
  1 rank x 2 threads    the plain step, OpenBLAS on two threads
  2 ranks x 1 thread    under mpirun, all-reduce overlapped with backward
  2 ranks x 1 thread    under mpirun, all-reduce after backward (--overlap 0)
and two diagnostics, for when 2 ranks fall short of 2x:
  1 rank x 1 thread     half the batch alone (B/2 rows): the speed-up smaller GEMMs allow
  2 ranks x 1 thread    each rank steps alone on its half, no gradient exchange: what the two
                        ranks sharing the machine (caches, memory, the VM's host) allow
Their samples/s count the rows trained per step (B/2 for the first), so a speed-up of 1.00x
there means half the batch costs half the time.
Each figure is the median over rounds of each run's median ms/step. Prints one JSON line per
run, then a Markdown table: samples/s (rows per step / step time), the speed-up (samples/s
against the baseline's), the share of the step that rank 0 (and the rank that waited most)
spent waiting for the gradient reductions at the end of backward, and rank 0's median forward,
backward (which includes that wait) and Adam times. mpirun runs as root with Open MPI's
OMPI_ALLOW_RUN_AS_ROOT* variables, as the tests do. --quick runs one short round, for checking
that the script works.
"""
import argparse
import json
import os
import statistics
import subprocess

ROOT_ENV = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}


def setups(bucket_mb):
    """(label, ranks, threads, extra flags) of every setup, the baseline first."""
    bucket = ["--bucket-mb", str(bucket_mb)]
    return [
        ("1 rank x 1 thread", 1, 1, ["--ddp", "0"]),
        ("1 rank x 1 thread, DDP", 1, 1, ["--ddp", "1"] + bucket),
        ("1 rank x 2 threads", 1, 2, ["--ddp", "0"]),
        ("2 ranks x 1 thread", 2, 1, ["--overlap", "1"] + bucket),
        ("2 ranks x 1 thread, no overlap", 2, 1, ["--overlap", "0"] + bucket),
        # Diagnostics: where a shortfall from 2x comes from.
        ("1 rank x 1 thread, half batch", 1, 1, ["--ddp", "0", "--shards", "2"]),
        ("2 ranks x 1 thread, no all-reduce", 2, 1, ["--ddp", "0"]),
    ]


def run(program, mpirun, ranks, threads, args):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS="1", **ROOT_ENV)
    command = [program, "--threads", str(threads)] + args
    if ranks > 1:
        # One core per rank (OpenMPI's default binding for 2 ranks, made explicit).
        command = [mpirun, "-np", str(ranks), "--bind-to", "core"] + command
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(program, mpirun, config, rounds, warmup, repeats, bucket_mb):
    """{label: [result per round]} for one config, the setups run interleaved."""
    results = {label: [] for label, *_ in setups(bucket_mb)}
    for _ in range(rounds):
        for label, ranks, threads, extra in setups(bucket_mb):
            args = ["--config", config, "--warmup", str(warmup), "--repeats", str(repeats)]
            result = run(program, mpirun, ranks, threads, args + extra)
            result["setup"] = label
            print(json.dumps(result), flush=True)
            results[label].append(result)
    return results


def print_table(all_results):
    print("\n| config | setup | ms/step | samples/s | speed-up vs 1 rank x 1 thread "
          "| wait share (rank 0, max) | forward / backward / Adam ms |")
    print("|---|---|---|---|---|---|---|")
    for config, results in all_results.items():
        ms = {label: statistics.median(r["ms_per_step"] for r in runs)
              for label, runs in results.items()}
        rate = {label: runs[0]["rows"] / (ms[label] / 1e3) for label, runs in results.items()}
        baseline = rate[next(iter(rate))]
        for label, runs in results.items():
            wait = "-"
            if runs[0]["ddp"]:
                rank0 = statistics.median(r["wait_share"] for r in runs)
                worst = statistics.median(max(r["wait_share_per_rank"]) for r in runs)
                wait = f"{100 * rank0:.1f}%, {100 * worst:.1f}%"
            phases = " / ".join(f"{statistics.median(r[key] for r in runs):.2f}"
                                for key in ("forward_ms", "backward_ms", "optimizer_ms"))
            print(f"| {config} | {label} | {ms[label]:.2f} | {rate[label]:.0f} | "
                  f"{rate[label] / baseline:.2f}x | {wait} | {phases} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir")
    parser.add_argument("--configs", default="small,medium")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per config")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=10, help="steps timed per run")
    parser.add_argument("--bucket-mb", type=float, default=1.0,
                        help="gradient bucket size (the medium GRU's 2.7 MB of gradients make "
                             "several buckets at 1, one at PyTorch's default 25)")
    parser.add_argument("--mpirun", default="mpirun")
    parser.add_argument("--quick", action="store_true", help="one short round")
    a = parser.parse_args()
    if a.quick:
        a.rounds, a.warmup, a.repeats = 1, 1, 3
    program = os.path.join(a.build_dir, "tools", "bench", "lucidpp-distributed-bench")
    all_results = {config: measure(program, a.mpirun, config, a.rounds, a.warmup, a.repeats,
                                   a.bucket_mb)
                   for config in a.configs.split(",")}
    print_table(all_results)


if __name__ == "__main__":
    main()
