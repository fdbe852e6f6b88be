#!/usr/bin/env python3
"""Measures how a training step scales with sequence length T and hidden size H, against libtorch.

Usage: tools/bench/scaling.py BUILD_DIR [--threads 1] [--models gru] [--torch-setting omp]
                              [--rounds 3] [--repeats 5] [--sweeps T,H] [--quick]
                              [--out-dir docs/images]

Sweeps, each a training step (tools/bench/workload.hpp) of a one-layer model:
  T in 50, 100, 200, 400 with B = 64, I = 128, H = 256;
  H in 64, 128, 256, 512 with T = 100, B = 64, I = 128.
lucidpp-bench and torch-bench run interleaved, A B A B, ROUNDS times per point; each figure is
the median over rounds of each run's median ms/step. libtorch runs with one of compare.py's
thread settings, by default "omp" (OMP_NUM_THREADS=threads, OPENBLAS_NUM_THREADS=1), its best
on the 2-core development machine.

Prints a Markdown table per sweep: ms/step for both and libtorch/lucidpp; for the T sweep also
ms/step divided by T, and a least-squares line ms = a + b T with its R^2 and the largest
deviation of a point from it (the issue asks for linear growth in T). Writes the plots
scaling_T.svg and scaling_H.svg to OUT_DIR (default docs/images). --quick runs a short sweep
at smaller sizes, for checking that the script works.
"""
import argparse
import json
import os
import statistics

from compare import run, torch_settings
from svg_plot import line_plot

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FULL = {"T": ([50, 100, 200, 400], dict(B=64, I=128, H=256)),
        "H": ([64, 128, 256, 512], dict(T=100, B=64, I=128))}
QUICK = {"T": ([10, 20, 40], dict(B=16, I=32, H=64)),
         "H": ([16, 32, 64], dict(T=20, B=16, I=32))}
COLORS = {"lucidpp": "#1f77b4", "libtorch": "#d62728"}
DASHES = ["", "6,4", "2,3"]


def measure(programs, model, shape, threads, torch_env, rounds, repeats):
    """Median ms/step of each framework at one shape, the two run alternately."""
    args = ["--model", model, "--mode", "train", "--threads", str(threads), "--layers", "1",
            "--repeats", str(repeats), "--warmup", "2"]
    for key, value in shape.items():
        args += [f"--{key}", str(value)]
    times = {"lucidpp": [], "libtorch": []}
    for _ in range(rounds):
        for framework, env in (("lucidpp", {}), ("libtorch", torch_env)):
            result = run(programs[framework], args, env)
            print(json.dumps(result), flush=True)
            times[framework].append(result["ms_per_step"])
    return {framework: statistics.median(ms) for framework, ms in times.items()}


def linear_fit(xs, ys):
    """Least-squares a, b of y = a + b x, its R^2, and the largest |y - fit| / fit."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    a = my - b * mx
    fit = [a + b * x for x in xs]
    residual = sum((y - f) ** 2 for y, f in zip(ys, fit))
    total = sum((y - my) ** 2 for y in ys)
    r2 = 1 - residual / total if total > 0 else 1.0
    return a, b, r2, max(abs(y - f) / f for y, f in zip(ys, fit))


def print_table(axis, points, models):
    """points[model][value] = {"lucidpp": ms, "libtorch": ms}."""
    per_t = axis == "T"
    print(f"\n| model | {axis} | lucidpp ms | libtorch ms | libtorch/lucidpp"
          + (" | lucidpp ms/T | libtorch ms/T |" if per_t else " |"))
    print("|---" * (7 if per_t else 5) + "|")
    for model in models:
        for value, ms in points[model].items():
            row = (f"| {model} | {value} | {ms['lucidpp']:.2f} | {ms['libtorch']:.2f} | "
                   f"{ms['libtorch'] / ms['lucidpp']:.2f}x |")
            if per_t:
                row += f" {ms['lucidpp'] / value:.3f} | {ms['libtorch'] / value:.3f} |"
            print(row)
    if per_t:
        print()
        for model in models:
            for framework in ("lucidpp", "libtorch"):
                xs = list(points[model])
                a, b, r2, deviation = linear_fit(xs, [points[model][t][framework] for t in xs])
                print(f"- {framework} {model}: ms = {a:.2f} + {b:.3f} T, R^2 = {r2:.4f}, "
                      f"largest deviation from the line {100 * deviation:.1f}%")


def plot(path, axis, points, models, shape, threads, setting):
    fixed = ", ".join(f"{k}={v}" for k, v in shape.items())
    series = []
    for i, model in enumerate(models):
        for framework in ("lucidpp", "libtorch"):
            series.append(dict(
                label=f"{framework} {model}" + (f" ({setting})" if framework == "libtorch" else ""),
                points=[(value, ms[framework]) for value, ms in points[model].items()],
                color=COLORS[framework], dash=DASHES[i % len(DASHES)],
                marker="circle" if framework == "lucidpp" else "square"))
    name = {"T": "sequence length T", "H": "hidden size H"}[axis]
    threads_text = f"{threads} thread{'s' if threads > 1 else ''}"
    line_plot(path, f"Training step vs {name} ({fixed}, 1 layer, {threads_text})",
              name + (" (log scale)" if axis == "H" else ""), "ms per training step", series,
              log2_x=axis == "H")
    print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--models", default="gru", help="comma-separated: rnn, gru, lstm")
    parser.add_argument("--torch-setting", default="omp",
                        help="one of compare.py's libtorch thread settings: omp, blas, both, "
                             "openmp-blas (the last three only with more than one thread)")
    parser.add_argument("--rounds", type=int, default=3, help="A B pairs per point")
    parser.add_argument("--repeats", type=int, default=5, help="steps timed per run")
    parser.add_argument("--sweeps", default="T,H", help="which sweeps to run: T, H or both")
    parser.add_argument("--quick", action="store_true", help="short sweep at small sizes")
    parser.add_argument("--out-dir", default=os.path.join(REPO, "docs", "images"))
    a = parser.parse_args()

    settings = dict(torch_settings(a.threads))
    if a.torch_setting not in settings:
        parser.error(f"--torch-setting must be one of {', '.join(settings)} with {a.threads} "
                     "thread(s)")
    if not set(a.sweeps.split(",")) <= {"T", "H"}:
        parser.error("--sweeps takes T, H or T,H")
    bench_dir = os.path.join(a.build_dir, "tools", "bench")
    programs = {"lucidpp": os.path.join(bench_dir, "lucidpp-bench"),
                "libtorch": os.path.join(bench_dir, "torch-bench")}
    models = a.models.split(",")
    for axis in a.sweeps.split(","):
        values, shape = (QUICK if a.quick else FULL)[axis]
        points = {model: {} for model in models}
        for model in models:
            for value in values:
                points[model][value] = measure(programs, model, {**shape, axis: value},
                                               a.threads, settings[a.torch_setting], a.rounds,
                                               a.repeats)
        print_table(axis, points, models)
        plot(os.path.join(a.out_dir, f"scaling_{axis}.svg"), axis, points, models, shape,
             a.threads, a.torch_setting)


if __name__ == "__main__":
    main()
