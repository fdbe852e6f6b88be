#!/usr/bin/python3
"""Generate golden training trajectories for lucidpp's optimizers, schedulers and clipping.

Usage
-----
    /usr/bin/python3 tools/make_optim_golden.py            # regenerate tests/data/optim_golden.json
    /usr/bin/python3 tools/make_optim_golden.py --check    # only check the committed file

Run it with Debian's python (``/usr/bin/python3``, which has torch 1.13).  The C++ library,
its tests and CI never need torch: the JSON is committed.  Generation is deterministic, so a
rerun with the same torch reproduces the file byte for byte.

What it records
---------------
A small model in float64, ``torch.nn.GRU(3, 4)`` followed by ``torch.nn.Linear(4, 1)`` on the
last time step, with seeded parameters rounded to 4 decimals (so that the JSON holds them
exactly), a fixed input (T=6, B=3, I=3) and target (B, 1), and loss = MSE.  Each RUN trains a
fresh copy of that model for STEPS steps:

    optimizer.zero_grad()
    loss = mse_loss(linear(gru(input)[0][-1]), target)
    loss.backward()
    total_norm = clip_grad_norm_(params, max_norm, norm_type)   # runs with "clip" only
    optimizer.step()
    scheduler.step()               # ReduceLROnPlateau: scheduler.step(loss.item())

for every optimizer configuration (OPTIMIZERS) combined with every scheduler (SCHEDULERS).
The parameters after every step are kept for a covering subset of the runs (every optimizer
without a scheduler, every scheduler with two optimizers, and the clipping runs); the others
keep the final parameters only, which keeps the file small.

Format
------
One JSON object, one run per line::

    {"format": "lucidpp.golden.optim", "version": 1, "torch_version": "...",
     "generator": "tools/make_optim_golden.py", "steps": 20,
     "model": {"input_size": 3, "hidden_size": 4},
     "param_names": [names in model.named_parameters() order],
     "params": {name: T, ...},          # the starting parameters
     "input": T, "target": T,
     "runs": [RUN, ...]}

    T   = {"shape": [...], "data": [flat row-major float64 values]}
    RUN = {"name": "adam+StepLR",
           "optimizer": {"type": "SGD" | "Adam" | "AdamW", constructor kwargs (betas a list)},
           "scheduler": null | {"type": "StepLR", constructor kwargs},
           "clip": null | {"max_norm": x, "norm_type": 2.0 or "inf"},
           "lr": [lr used by step k, k = 1..steps],
           "loss": [loss at step k, before that step's update],
           "total_norm": [clip_grad_norm_'s result at step k]      # runs with "clip" only
           "params": [[all parameters, flattened in param_names order, after step k], ...]
                     or null,
           "final_params": [all parameters after the last step]}

Values are written with Python's float repr, which round-trips float64 exactly.
"""

import argparse
import json
import math
import sys
from pathlib import Path

import torch

STEPS = 20
INPUT_SIZE, HIDDEN_SIZE = 3, 4
SEQ_LEN, BATCH = 6, 3
OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "optim_golden.json"

OPTIMIZERS = {
    "sgd": {"type": "SGD", "lr": 0.1},
    "sgd_momentum": {"type": "SGD", "lr": 0.05, "momentum": 0.9, "dampening": 0.1,
                     "weight_decay": 0.01},
    "sgd_nesterov": {"type": "SGD", "lr": 0.05, "momentum": 0.8, "nesterov": True,
                     "weight_decay": 0.001},
    "sgd_maximize": {"type": "SGD", "lr": 0.02, "momentum": 0.5, "maximize": True},
    "adam": {"type": "Adam", "lr": 0.01},
    "adam_amsgrad": {"type": "Adam", "lr": 0.02, "betas": [0.8, 0.99], "eps": 1e-6,
                     "weight_decay": 0.05, "amsgrad": True},
    "adamw": {"type": "AdamW", "lr": 0.01, "weight_decay": 0.1},
}

SCHEDULERS = {
    "none": None,
    "StepLR": {"type": "StepLR", "step_size": 5, "gamma": 0.5},
    "MultiStepLR": {"type": "MultiStepLR", "milestones": [3, 8, 8, 14], "gamma": 0.5},
    "ExponentialLR": {"type": "ExponentialLR", "gamma": 0.9},
    "CosineAnnealingLR": {"type": "CosineAnnealingLR", "T_max": 8, "eta_min": 0.001},
    "LinearLR": {"type": "LinearLR", "start_factor": 0.25, "end_factor": 1.0, "total_iters": 6},
    "ReduceLROnPlateau": {"type": "ReduceLROnPlateau", "mode": "min", "factor": 0.5,
                          "patience": 1, "threshold": 0.1, "threshold_mode": "rel",
                          "cooldown": 1, "min_lr": 0.001, "eps": 1e-8},
}

# Runs that keep the parameters after every step: each optimizer alone, each scheduler with
# one SGD and one Adam-family optimizer.
EVERY_STEP = {
    "StepLR": ["sgd_momentum", "adam"],
    "MultiStepLR": ["sgd_nesterov", "adamw"],
    "ExponentialLR": ["sgd", "adam_amsgrad"],
    "CosineAnnealingLR": ["sgd_momentum", "adamw"],
    "LinearLR": ["sgd_maximize", "adam"],
    "ReduceLROnPlateau": ["sgd_momentum", "adam"],
}

# Extra runs with gradient clipping: (optimizer, scheduler, clip).
CLIP_RUNS = [
    ("adam", "none", {"max_norm": 1.5, "norm_type": 2.0}),
    ("sgd_momentum", "CosineAnnealingLR", {"max_norm": 0.9, "norm_type": "inf"}),
]


def rounded(tensor, decimals=4):
    return torch.round(tensor * 10**decimals) / 10**decimals


def as_json(tensor):
    return {"shape": list(tensor.shape), "data": tensor.detach().reshape(-1).tolist()}


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = torch.nn.GRU(INPUT_SIZE, HIDDEN_SIZE)
        self.linear = torch.nn.Linear(HIDDEN_SIZE, 1)

    def forward(self, x):
        output, _ = self.gru(x)
        return self.linear(output[-1])


def make_data():
    torch.manual_seed(0)
    model = Model().double()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(rounded(p))
    start = {name: p.detach().clone() for name, p in model.named_parameters()}
    x = rounded(torch.randn(SEQ_LEN, BATCH, INPUT_SIZE, dtype=torch.float64))
    target = rounded(torch.randn(BATCH, 1, dtype=torch.float64))
    return start, x, target


def make_optimizer(config, params):
    kwargs = {k: v for k, v in config.items() if k != "type"}
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    return getattr(torch.optim, config["type"])(params, **kwargs)


def make_scheduler(config, optimizer):
    if config is None:
        return None
    kwargs = {k: v for k, v in config.items() if k != "type"}
    return getattr(torch.optim.lr_scheduler, config["type"])(optimizer, **kwargs)


def run(start, x, target, opt_config, sched_config, clip, every_step):
    model = Model().double()
    model.load_state_dict(start)
    params = list(model.parameters())
    optimizer = make_optimizer(opt_config, params)
    scheduler = make_scheduler(sched_config, optimizer)
    lrs, losses, norms, trajectory = [], [], [], []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), target)
        loss.backward()
        if clip is not None:
            norm_type = math.inf if clip["norm_type"] == "inf" else clip["norm_type"]
            norms.append(torch.nn.utils.clip_grad_norm_(params, clip["max_norm"], norm_type).item())
        lrs.append(optimizer.param_groups[0]["lr"])
        losses.append(loss.item())
        optimizer.step()
        if isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
            scheduler.step(loss.item())
        elif scheduler is not None:
            scheduler.step()
        trajectory.append(torch.cat([p.detach().reshape(-1) for p in params]).tolist())
    out = {"lr": lrs, "loss": losses}
    if clip is not None:
        out["total_norm"] = norms
    out["params"] = trajectory if every_step else None
    out["final_params"] = trajectory[-1]
    return out


def generate():
    torch.set_default_dtype(torch.float64)
    start, x, target = make_data()
    runs = []
    for sched_name, sched_config in SCHEDULERS.items():
        for opt_name, opt_config in OPTIMIZERS.items():
            every_step = sched_name == "none" or opt_name in EVERY_STEP[sched_name]
            result = run(start, x, target, opt_config, sched_config, None, every_step)
            runs.append({"name": f"{opt_name}+{sched_name}", "optimizer": opt_config,
                         "scheduler": sched_config, "clip": None, **result})
    for opt_name, sched_name, clip in CLIP_RUNS:
        result = run(start, x, target, OPTIMIZERS[opt_name], SCHEDULERS[sched_name], clip, True)
        runs.append({"name": f"{opt_name}+{sched_name}+clip_{clip['norm_type']}",
                     "optimizer": OPTIMIZERS[opt_name], "scheduler": SCHEDULERS[sched_name],
                     "clip": clip, **result})
    header = {"format": "lucidpp.golden.optim", "version": 1,
              "torch_version": torch.__version__, "generator": "tools/make_optim_golden.py",
              "steps": STEPS, "model": {"input_size": INPUT_SIZE, "hidden_size": HIDDEN_SIZE},
              "param_names": list(start), "params": {k: as_json(v) for k, v in start.items()},
              "input": as_json(x), "target": as_json(target)}
    return header, runs


def dump(header, runs):
    head = json.dumps(header)[:-1]
    lines = ",\n".join(json.dumps(r) for r in runs)
    return f'{head}, "runs": [\n{lines}\n]}}\n'


def sanity(runs):
    """The runs must exercise what they claim to: print what each scheduler and clip did."""
    for r in runs:
        changes = sum(1 for a, b in zip(r["lr"], r["lr"][1:]) if a != b)
        clipped = sum(1 for n in r.get("total_norm", []) if n > r["clip"]["max_norm"]) \
            if r["clip"] else None
        print(f"{r['name']:40s} lr changes {changes:2d}  loss {r['loss'][0]:.5f} -> "
              f"{r['loss'][-1]:.5f}" + (f"  clipped {clipped}/{STEPS}" if r["clip"] else ""),
              file=sys.stderr)
    for r in runs:
        if r["scheduler"] and r["scheduler"]["type"] == "ReduceLROnPlateau" and r["params"]:
            assert len(set(r["lr"])) > 1, f"{r['name']}: ReduceLROnPlateau never reduced"
        if r["clip"]:
            clipped = [n > r["clip"]["max_norm"] for n in r["total_norm"]]
            assert any(clipped) and not all(clipped), f"{r['name']}: clip every step or never"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare with the file")
    args = parser.parse_args()
    header, runs = generate()
    sanity(runs)
    text = dump(header, runs)
    if args.check:
        same = OUT.read_text() == text
        print(f"{OUT}: {'up to date' if same else 'DIFFERS'}")
        return 0 if same else 1
    OUT.write_text(text)
    print(f"wrote {OUT} ({len(text) / 1e6:.2f} MB, {len(runs)} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
