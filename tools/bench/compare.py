#!/usr/bin/env python3
"""Runs lucidpp-bench, torch-bench and onednn-bench side by side and prints the ratios.

Usage: tools/bench/compare.py BUILD_DIR [--models rnn,gru,lstm,mlp] [--configs tiny,small,medium,large]
                              [--threads 1,2] [--mode train|forward] [--rounds 3] [--repeats N]
                              [--sgemm-size 2048]
Quick check of a few cells: tools/bench/compare.py build --configs tiny,small --threads 1 --rounds 1

The programs run interleaved, lucidpp, libtorch, oneDNN, lucidpp, ..., for every (model, config,
thread count), so that all see the same machine state; each figure is the median over rounds of
each run's median ms/step. The recurrent models run at every config; "mlp" (workload.hpp's MLP
micro-workload) runs once per thread count at its own config, against libtorch only. A program
that was not built (torch-bench needs libtorch-dev, onednn-bench libdnnl-dev) is skipped with a
note, and its columns stay empty.

libtorch is given its best thread setting, not its default: for n threads it is run with
torch::set_num_threads(n) and each of these environments, and the fastest is reported:
  OMP_NUM_THREADS=n, OPENBLAS_NUM_THREADS=1     (OpenMP ops parallel, BLAS serial)
  OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=n     (BLAS parallel)
  OMP_NUM_THREADS=n, OPENBLAS_NUM_THREADS=n     (both; oversubscribes 2 cores)
  and, if Debian's libopenblas0-openmp is installed, its OpenMP OpenBLAS via LD_LIBRARY_PATH.
lucidpp runs with lucid::set_num_threads(n), the size of its own thread team (OpenBLAS runs on
one thread under each team member; the sgemm rate is OpenBLAS's own on n threads); oneDNN with
omp_set_num_threads(n) and OMP_NUM_THREADS=n (its runtime is OpenMP; it uses its own GEMMs).

First it prints the machine: the CPU (lscpu), the OpenBLAS build and the core whose kernels it
picked (lucidpp-bench --mode info), OPENBLAS_CORETYPE, and OpenBLAS's sgemm rate on a square
product (lucidpp-bench --mode sgemm) on 1 and 2 threads, measured again after the last benchmark.
The "% of sgemm" columns divide each framework's GEMM GFLOP/s (workload.hpp's count, the same for
all three) by the higher of the two rates for that thread count. "targets" are the speed issue's,
for training steps: libtorch / lucidpp (and the MLP's, on 1 thread), oneDNN / lucidpp >= 1, and
lucidpp's % of sgemm at medium and large.
Prints one JSON line per measurement on stdout, then the rates and a Markdown table.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

OPENMP_BLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp"
REPEATS = {"tiny": 500, "small": 100, "medium": 5, "large": 5, "mlp": 2000}


def run(program, args, env_extra):
    env = dict(os.environ, **env_extra)
    out = subprocess.run([program] + args, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def cpu_model():
    try:
        out = subprocess.run(["lscpu"], check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no lscpu)"
    fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    get = lambda key: fields.get(key, "?").strip()
    flags = set(get("Flags").split())
    isa = "/".join(f for f in ("avx2", "avx512f", "avx512_bf16", "amx_tile") if f in flags)
    return (f"{get('Model name')} (family {get('CPU family')}, model {get('Model')}; {isa}), "
            f"{get('CPU(s)')} CPUs, {get('Thread(s) per core')} thread(s) per core, "
            f"hypervisor {get('Hypervisor vendor')}")


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


def torch_target(config, threads):
    """The speed issues' target for libtorch ms / lucidpp ms, or None."""
    if config == "mlp":
        return 2.5 if threads == 1 else None
    if config in ("medium", "large"):
        return 1.4 if threads == 1 else 1.5
    return {"tiny": 5, "small": 3}.get(config)


def sgemm_target(config, threads):
    """The share of the sgemm rate lucidpp should reach, in %, or None."""
    if config in ("medium", "large"):
        return 90 if threads == 1 else 85
    return None


def verdicts(row, percent):
    """The targets of one training row, each with met or missed."""
    out = []
    target = torch_target(row["config"], row["threads"])
    if target is not None and "torch" in row:
        out.append(f"libtorch {target}x {'met' if row['torch']['ms'] / row['ms'] >= target else 'missed'}")
    if "onednn" in row and row["config"] in ("tiny", "small", "medium", "large"):
        out.append(f"oneDNN 1.0x {'met' if row['onednn']['ms'] / row['ms'] >= 1.0 else 'missed'}")
    target = sgemm_target(row["config"], row["threads"])
    if target is not None:
        out.append(f"sgemm {target}% {'met' if percent >= target else 'missed'}")
    return ", ".join(out)


def measure(programs, model, config, threads, a):
    """Runs every program a.rounds times, interleaved; returns one table row."""
    repeats = a.repeats or REPEATS.get(config, 10)
    args = ["--model", model, "--config", config, "--mode", a.mode, "--threads", str(threads),
            "--repeats", str(repeats), "--warmup", "2"]
    runs = {}  # program name -> setting -> results
    for _ in range(a.rounds):
        for name, program, settings in programs:
            if model == "mlp" and name == "onednn":
                continue
            for setting, env in settings(threads):
                result = run(program, args, env)
                if setting:
                    result["setting"] = setting
                print(json.dumps(result), flush=True)
                runs.setdefault(name, {}).setdefault(setting, []).append(result)
    row = dict(config=config, model=model, threads=threads)
    for name, by_setting in runs.items():
        best = min(by_setting, key=lambda s: median_of(by_setting[s], "ms_per_step"))
        results = by_setting[best]
        row[name] = dict(ms=median_of(results, "ms_per_step"), gflops=median_of(results, "gflops"),
                         setting=best, rss=max(r["peak_rss_mb"] for r in results))
    row["ms"] = row["lucidpp"]["ms"]
    return row


def print_table(rows, ceilings, mode):
    print("| config | model | threads | lucidpp ms | libtorch ms (setting) | oneDNN ms "
          "| libtorch/lucidpp | oneDNN/lucidpp | lucidpp % of sgemm | libtorch % | oneDNN % "
          "| targets | RSS MB lucidpp / libtorch / oneDNN |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ceiling = ceilings[r["threads"]]
        torch, onednn = r.get("torch"), r.get("onednn")
        percent = lambda f: f"{100 * f['gflops'] / ceiling:.0f}%" if f else "-"
        ratio = lambda f: f"{f['ms'] / r['ms']:.2f}x" if f else "-"
        rss = " / ".join(f"{f['rss']:.0f}" if f else "-" for f in (r["lucidpp"], torch, onednn))
        lucidpp_percent = 100 * r["lucidpp"]["gflops"] / ceiling
        cells = [r["config"], r["model"], str(r["threads"]), f"{r['ms']:.3f}",
                 f"{torch['ms']:.3f} ({torch['setting']})" if torch else "-",
                 f"{onednn['ms']:.3f}" if onednn else "-",
                 ratio(torch), ratio(onednn), f"{lucidpp_percent:.0f}%", percent(torch),
                 percent(onednn), verdicts(r, lucidpp_percent) if mode == "train" else "", rss]
        print("| " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir")
    parser.add_argument("--models", default="rnn,gru,lstm,mlp")
    parser.add_argument("--configs", default="tiny,small,medium,large")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--mode", default="train")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=0, help="steps timed per run (0: by config)")
    parser.add_argument("--sgemm-size", type=int, default=2048, help="M = N = K of the sgemm rate")
    a = parser.parse_args()

    bench_dir = os.path.join(a.build_dir, "tools", "bench")
    lucidpp = os.path.join(bench_dir, "lucidpp-bench")
    if not os.path.exists(lucidpp):
        sys.exit(f"compare.py: {lucidpp} was not built")
    programs = [("lucidpp", lucidpp, lambda n: [(None, {})])]
    torch = os.path.join(bench_dir, "torch-bench")
    if os.path.exists(torch):
        programs.append(("torch", torch, torch_settings))
    else:
        print("note: torch-bench was not built (install libtorch-dev and reconfigure): "
              "no libtorch columns", flush=True)
    onednn = os.path.join(bench_dir, "onednn-bench")
    if os.path.exists(onednn):
        programs.append(("onednn", onednn, lambda n: [(None, {"OMP_NUM_THREADS": str(n)})]))
    else:
        print("note: onednn-bench was not built (install libdnnl-dev and reconfigure): "
              "no oneDNN columns", flush=True)

    info = run(lucidpp, ["--mode", "info"], {})
    machine = [f"CPU: {cpu_model()}",
               f"OpenBLAS: {info['config'].strip()}; core kernels in use: {info['corename']}",
               f"OPENBLAS_CORETYPE: {os.environ.get('OPENBLAS_CORETYPE', 'unset')}"]
    print("\n".join(machine), flush=True)
    thread_counts = [int(t) for t in a.threads.split(",")]
    sgemm_threads = sorted(set(thread_counts) | {1, 2})
    before = {n: sgemm_rate(lucidpp, n, a.sgemm_size) for n in sgemm_threads}
    for n in sgemm_threads:
        print(f"OpenBLAS sgemm {a.sgemm_size}^3, {n} thread{'s' if n > 1 else ''}: "
              f"{before[n]:.1f} GFLOP/s", flush=True)

    models = a.models.split(",")
    rows = []
    for config in a.configs.split(","):
        for model in (m for m in models if m != "mlp"):
            for threads in thread_counts:
                rows.append(measure(programs, model, config, threads, a))
    if "mlp" in models:
        for threads in thread_counts:
            rows.append(measure(programs, "mlp", "mlp", threads, a))
    after = {n: sgemm_rate(lucidpp, n, a.sgemm_size) for n in sgemm_threads}

    print()
    print("\n".join(machine))
    for n in sgemm_threads:
        print(f"OpenBLAS sgemm {a.sgemm_size}^3, {n} thread{'s' if n > 1 else ''}: "
              f"{before[n]:.1f} GFLOP/s before, {after[n]:.1f} after")
    print()
    print_table(rows, {n: max(before[n], after[n]) for n in sgemm_threads}, a.mode)


if __name__ == "__main__":
    main()
