#!/usr/bin/env python3
"""Measures lucidpp's default thread count against fixed ones, on a quiet and on a busy machine.

Usage: tools/bench/thread_policy.py BUILD_DIR [--rounds 3] [--loads quiet,busy] [--quick]

For each workload, runs `lucidpp train` with --threads 1, with --threads 2 and without --threads
(the default), interleaved (1, 2, default, 1, 2, default, ...), ROUNDS times, and reports the
median wall time of each and the default's ratio to the better of the fixed two. "busy" runs
the same with `stress-ng --cpu <cores>` (Debian's stress-ng; tools/setup does not install it:
`apt-get install stress-ng`) keeping every core busy throughout. Prints a Markdown table.

Workloads: the issue's (a GRU on the adding problem, 300 steps, the task's small model) and the
same task with a model large enough for two threads to matter (H = 256, batch 64).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

WORKLOADS = {
    "adding, task model, 300 steps": ["adding", "--steps", "300", "--no-stop-when-solved"],
    "adding, H=256, B=64, 30 steps": ["adding", "--hidden", "256", "--batch-size", "64",
                                      "--steps", "30", "--eval-every", "1000",
                                      "--no-stop-when-solved"],
}
QUICK = {
    "adding, task model, 30 steps": ["adding", "--steps", "30", "--no-stop-when-solved"],
}
SETTINGS = {"--threads 1": ["--threads", "1"], "--threads 2": ["--threads", "2"], "default": []}


def wall_seconds(lucidpp, args, env):
    out = tempfile.mkdtemp(prefix="lucidpp-threads-")
    try:
        start = time.perf_counter()
        subprocess.run([lucidpp, "train", *args, "--out", os.path.join(out, "run")], env=env,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start
    finally:
        shutil.rmtree(out, ignore_errors=True)


def measure(lucidpp, workloads, rounds):
    """Median wall seconds per (workload, setting), the settings interleaved."""
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS",)}
    times = {(w, s): [] for w in workloads for s in SETTINGS}
    for _ in range(rounds):
        for w, args in workloads.items():
            for s, flags in SETTINGS.items():
                times[(w, s)].append(wall_seconds(lucidpp, args + flags, env))
    return {key: statistics.median(v) for key, v in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--loads", default="quiet,busy")
    parser.add_argument("--quick", action="store_true", help="one short workload, to check the script")
    a = parser.parse_args()
    lucidpp = os.path.join(a.build_dir, "tools", "lucidpp")
    workloads = QUICK if a.quick else WORKLOADS
    cores = os.cpu_count() or 1
    print(f"# default threads vs fixed: {cores} cores, median of {a.rounds} interleaved rounds\n")
    print("| workload | load | --threads 1 | --threads 2 | default | default / best |")
    print("|---|---|---|---|---|---|")
    for load in a.loads.split(","):
        stress = None
        if load == "busy":
            if not shutil.which("stress-ng"):
                sys.exit("thread_policy.py: the busy load needs stress-ng (apt-get install stress-ng)")
            stress = subprocess.Popen(["stress-ng", "--cpu", str(cores), "--quiet"])
            time.sleep(1)
        try:
            result = measure(lucidpp, workloads, a.rounds)
        finally:
            if stress:
                stress.terminate()
                stress.wait()
        for w in workloads:
            one, two, default = (result[(w, s)] for s in SETTINGS)
            print(f"| {w} | {load} | {one:.2f} s | {two:.2f} s | {default:.2f} s | "
                  f"{default / min(one, two):.2f} |", flush=True)


if __name__ == "__main__":
    main()
