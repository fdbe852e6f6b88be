#!/usr/bin/env python3
"""Checks that memory stays flat over a long training run (the speed issue's memory target).

Usage: tools/bench/rss.py BUILD_DIR [--steps 10000] [--every 500] [--model gru] [--config small]
                          [--threads 1] [--after 1000] [--max-growth-mb 2] [--framework lucidpp]

Runs `lucidpp-bench --repeats STEPS --rss-every EVERY` (or torch-bench, with --framework
libtorch), which prints the current RSS (from /proc/self/statm, not the peak) and the bytes malloc
has live every EVERY training steps. Prints that trace, the first, last and largest RSS, and the
growth from step AFTER to the last step; exits 1 if that growth exceeds MAX_GROWTH_MB. The first
AFTER steps are left out of the check because allocator caches and OpenBLAS buffers settle there.
"""
import argparse
import json
import os
import subprocess
import sys


def trace(program, args):
    """Runs the program and yields each JSON line as it is printed."""
    with subprocess.Popen([program] + args, stdout=subprocess.PIPE, text=True) as process:
        for line in process.stdout:
            yield json.loads(line)
    if process.returncode != 0:
        sys.exit(f"rss.py: {program} exited with status {process.returncode}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir")
    parser.add_argument("--steps", type=int, default=10000, help="timed training steps")
    parser.add_argument("--every", type=int, default=500, help="steps between RSS samples")
    parser.add_argument("--model", default="gru")
    parser.add_argument("--config", default="small")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--after", type=int, default=1000, help="step the growth is measured from")
    parser.add_argument("--max-growth-mb", type=float, default=2.0)
    parser.add_argument("--framework", choices=["lucidpp", "libtorch"], default="lucidpp")
    a = parser.parse_args()

    name = "lucidpp-bench" if a.framework == "lucidpp" else "torch-bench"
    program = os.path.join(a.build_dir, "tools", "bench", name)
    args = ["--model", a.model, "--config", a.config, "--mode", "train", "--threads",
            str(a.threads), "--repeats", str(a.steps), "--rss-every", str(a.every)]
    env_note = "" if a.framework == "lucidpp" else " (set OMP_NUM_THREADS/OPENBLAS_NUM_THREADS)"
    print(f"# {name} {' '.join(args)}{env_note}", flush=True)

    samples, result = [], None
    for record in trace(program, args):
        print(json.dumps(record), flush=True)
        if "step" in record:
            samples.append(record)
        else:
            result = record
    if not samples or result is None:
        sys.exit("rss.py: no RSS samples (is --steps at least --every?)")

    rss = {s["step"]: s["rss_mb"] for s in samples}
    first, last = samples[0], samples[-1]
    base_step = min((s for s in rss if s >= a.after), default=first["step"])
    growth = last["rss_mb"] - rss[base_step]
    print()
    print(f"{result['model']} {result['config']}, {a.steps} steps at {result['ms_per_step']:.2f} "
          f"ms/step; peak RSS {result['peak_rss_mb']:.1f} MB")
    print(f"RSS at step {first['step']}: {first['rss_mb']:.2f} MB, at step {last['step']}: "
          f"{last['rss_mb']:.2f} MB, largest: {max(rss.values()):.2f} MB")
    print(f"live heap bytes at step {first['step']}: {first['live_bytes']}, at step "
          f"{last['step']}: {last['live_bytes']}")
    verdict = "flat" if growth <= a.max_growth_mb else "GROWS"
    print(f"growth from step {base_step} to step {last['step']}: {growth:+.2f} MB "
          f"(limit {a.max_growth_mb} MB): {verdict}")
    sys.exit(0 if growth <= a.max_growth_mb else 1)


if __name__ == "__main__":
    main()
