#!/usr/bin/python3
"""Generate golden reference data for lucidpp's recurrent layers from PyTorch.

Usage
-----
    /usr/bin/python3 tools/make_golden.py            # regenerate tests/data/*_golden.json
    /usr/bin/python3 tools/make_golden.py --check    # only re-verify the committed files

Run it with Debian's python (``/usr/bin/python3``, which has torch 1.13); another
``python3`` earlier on PATH may not have torch.  The C++ library, its tests and CI
never need torch: the generated JSON is committed.  Generation is deterministic
(every case re-seeds torch from its index), so rerunning reproduces the files
byte for byte with the same torch version.

Files written (under ``tests/data/``)
-------------------------------------
    rnn_golden.json    nn.RNN, nonlinearity tanh and relu
    gru_golden.json    nn.GRU
    lstm_golden.json   nn.LSTM, with and without proj_size
    cell_golden.json   nn.RNNCell (tanh/relu), nn.GRUCell, nn.LSTMCell

Format
------
Each file is one JSON object (one case per line, for readable diffs)::

    {"format": "lucidpp.golden.recurrent", "version": 1, "torch_version": "...",
     "generator": "tools/make_golden.py",
     "loss": "sum(output*R) + sum(h_n*S) + sum(c_n*S_c)",
     "cases": [CASE, ...]}

A tensor T is ``{"shape": [..], "data": [flat row-major float64 values]}``; values are
written with Python's float repr, which round-trips float64 exactly.  A 0-d tensor
would have shape [] and one value (none occur here).

CASE::

    {"name": "gru_l2_bias1_bf0_bi1_h0",        # unique
     "module": "RNN" | "GRU" | "LSTM" | "RNNCell" | "GRUCell" | "LSTMCell",
     "options": {...},                           # constructor kwargs, see below
     "input": T,
     "packed": null | {"lengths": [..], "enforce_sorted": bool},
     "h0": T | null, "c0": T | null,
     "params": {name: T, ...},                   # module.named_parameters() order
     "R": T, "S": T | null, "S_c": T | null,     # fixed random loss weights
     "output": T, "h_n": T | null, "c_n": T | null,
     "grads": {"input": T, "h0": T | null, "c0": T | null, "params": {name: T, ...}}}

options: modules have input_size, hidden_size, num_layers, nonlinearity (RNN only),
bias, batch_first, dropout (always 0.0), bidirectional, proj_size (LSTM only), in
that order.  Cells have input_size, hidden_size, bias and nonlinearity (RNNCell only).

Semantics:

* Modules: ``output, h_n = m(input, h0)`` (LSTM: ``output, (h_n, c_n) = m(input, (h0, c0))``);
  h0 = null means the module was called without an initial state (LSTM: h0 and c0 are
  both given or both null).  Input is (T, B, I), or (B, T, I) with batch_first, or
  unbatched (T, I) (batch_first has no effect on unbatched input).  h0/c0 are always
  (num_layers*D, B, H_out) -- never batch-first -- or (num_layers*D, H_out) when
  unbatched; for LSTM with proj_size>0, h0/h_n use H_out = proj_size and c0/c_n use
  hidden_size.
* Packed cases: "input" is the zero-padded input.  The module is fed
  ``pack_padded_sequence(input, lengths, batch_first, enforce_sorted)`` and "output" is
  ``pad_packed_sequence(out, batch_first)[0]``: in the caller's batch order, zero past
  each sequence's length.  h0/c0 and h_n/c_n are in the caller's batch order too, and
  h_n holds each sequence's state at its own last valid step (reverse direction: at
  t = 0).  max(lengths) equals the padded time dimension.
* Cells: input is (B, I) or unbatched (I); hx is h0 (LSTMCell: (h0, c0)) or absent
  (null).  "output" is h' and, for LSTMCell, "c_n" is c'; "h_n" and "S" are null, and
  S_c is given for LSTMCell only.
* Values: modules get torch's default init (seeded) and every parameter is then rounded
  to 4 decimal places; input, h0, c0, R, S and S_c are randn rounded to 4 decimal
  places.  Stored "params" are exactly the values the module ran with.  (Rounding keeps
  the files small: a short decimal such as -0.1234 is an exact float64 round trip, as
  is every other value here.)
* Loss = sum(output*R) + sum(h_n*S) [if h_n] + sum(c_n*S_c) [if c_n], computed on the
  padded output for packed cases; loss.backward() gives "grads" (input grad is zero at
  padded positions).  Everything is float64; dropout is 0, so all cases are deterministic.

Grid (input_size 3, hidden_size 4, proj_size 2; dense cases T=3, B=2; packed T=4, B=3)
--------------------------------------------------------------------------------------
* Per module kind (rnn_tanh, rnn_relu, gru, lstm, lstm_proj2):
  - ``<kind>_l{1,2}_bias{1,0}_bf{0,1}_bi{0,1}_{h0,noh0}``: the full 32-case product;
  - ``<kind>_unbatched_...``: 5 cases with 2-D (T, I) input;
  - ``<kind>_packed_{sorted,unsorted}_...``: 8 cases (a 2^(6-3) fractional factorial
    over layers, bidirectional, h0, sorted, batch_first, bias), lengths [4, 3, 1] with
    enforce_sorted=True or [2, 4, 1] with enforce_sorted=False.
* Cells (rnncell_tanh, rnncell_relu, grucell, lstmcell):
  ``<kind>_bias{1,0}_{batched,unbatched}_{hx,nohx}``, batch 2.

After writing, every file is reloaded and each case is re-run in torch from the stored
params/inputs (outputs and all grads must agree), and outputs/final states are also
checked against an explicit, independent implementation of the recurrences
(``manual_forward``; packed cases run sequence by sequence).
"""

import argparse
import json
import os
import sys

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.set_default_dtype(torch.float64)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_DIR = os.path.join(ROOT, "tests", "data")

INPUT_SIZE = 3
HIDDEN_SIZE = 4
PROJ_SIZE = 2
SEQ_LEN = 3        # dense (non-packed) cases
BATCH = 2          # dense cases
PACKED_SEQ_LEN = 4
SORTED_LENGTHS = [4, 3, 1]
UNSORTED_LENGTHS = [2, 4, 1]
DECIMALS = 4       # sampled inputs and initial parameters are rounded to this many places

# Per-file seed offsets: case i of a file uses torch.manual_seed(FILE_SEED + i).
FILE_SEEDS = {"rnn": 10000, "gru": 20000, "lstm": 30000, "cell": 40000}

HEADER = {
    "format": "lucidpp.golden.recurrent",
    "version": 1,
    "torch_version": torch.__version__,
    "generator": "tools/make_golden.py",
    "loss": "sum(output*R) + sum(h_n*S) + sum(c_n*S_c)",
}


# --------------------------------------------------------------------------- helpers

def tensor_json(t):
    if t is None:
        return None
    t = t.detach().to(torch.float64).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def tensor_from_json(d):
    if d is None:
        return None
    return torch.tensor(d["data"], dtype=torch.float64).reshape(d["shape"])


def short(t):
    """Round to DECIMALS decimal places.  k / 10**DECIMALS is the correctly rounded
    float64, i.e. exactly what strtod gives for the short decimal that repr() prints
    ("-0.1234"), so stored inputs stay exact while taking ~7 characters instead of ~20."""
    scale = 10.0 ** DECIMALS
    return torch.round(t * scale) / scale


def randn(*shape):
    return short(torch.randn(*shape))


def b01(flag):
    return 1 if flag else 0


# --------------------------------------------------------------------------- specs
# A spec is a plain dict describing one case before it is run:
#   name, module, options, batched (bool), packed (None | {"lengths", "enforce_sorted"}),
#   with_h0 (bool)

def module_options(module, num_layers, bias, batch_first, bidirectional,
                   nonlinearity=None, proj_size=0):
    opts = {"input_size": INPUT_SIZE, "hidden_size": HIDDEN_SIZE, "num_layers": num_layers}
    if module == "RNN":
        opts["nonlinearity"] = nonlinearity
    opts["bias"] = bias
    opts["batch_first"] = batch_first
    opts["dropout"] = 0.0
    opts["bidirectional"] = bidirectional
    if module == "LSTM":
        opts["proj_size"] = proj_size
    return opts


def kinds_for(file_key):
    """(prefix, module, extra kwargs) for each module kind stored in a file."""
    if file_key == "rnn":
        return [("rnn_tanh", "RNN", {"nonlinearity": "tanh"}),
                ("rnn_relu", "RNN", {"nonlinearity": "relu"})]
    if file_key == "gru":
        return [("gru", "GRU", {})]
    if file_key == "lstm":
        return [("lstm", "LSTM", {"proj_size": 0}),
                ("lstm_proj2", "LSTM", {"proj_size": PROJ_SIZE})]
    raise ValueError(file_key)


def module_specs(file_key):
    specs = []
    for prefix, module, extra in kinds_for(file_key):
        # Full dense grid.
        for num_layers in (1, 2):
            for bias in (True, False):
                for batch_first in (False, True):
                    for bidirectional in (False, True):
                        for with_h0 in (True, False):
                            specs.append({
                                "name": "%s_l%d_bias%d_bf%d_bi%d_%s" % (
                                    prefix, num_layers, b01(bias), b01(batch_first),
                                    b01(bidirectional), "h0" if with_h0 else "noh0"),
                                "module": module,
                                "options": module_options(module, num_layers, bias, batch_first,
                                                          bidirectional, **extra),
                                "batched": True, "packed": None, "with_h0": with_h0,
                            })
        # Unbatched (T, I) input.  (layers, bidirectional, h0, bias, batch_first)
        for num_layers, bidirectional, with_h0, bias, batch_first in (
                (1, False, False, True, False),
                (1, True, True, True, False),
                (2, False, True, False, True),
                (2, True, False, True, True),
                (2, True, True, True, False)):
            specs.append({
                "name": "%s_unbatched_l%d_bias%d_bf%d_bi%d_%s" % (
                    prefix, num_layers, b01(bias), b01(batch_first), b01(bidirectional),
                    "h0" if with_h0 else "noh0"),
                "module": module,
                "options": module_options(module, num_layers, bias, batch_first,
                                          bidirectional, **extra),
                "batched": False, "packed": None, "with_h0": with_h0,
            })
        # Packed variable-length batches: a 2^(6-3) fractional factorial over
        # layers (a), bidirectional (b), h0 (c), sorted (a^b), batch_first (a^c),
        # bias (not b^c): every factor is on in exactly half of the 8 cases.
        for i in range(8):
            a, b, c = (i >> 2) & 1, (i >> 1) & 1, i & 1
            num_layers = 1 + a
            bidirectional = bool(b)
            with_h0 = bool(c)
            is_sorted = bool(a ^ b)
            batch_first = bool(a ^ c)
            bias = not (b ^ c)
            lengths = SORTED_LENGTHS if is_sorted else UNSORTED_LENGTHS
            specs.append({
                "name": "%s_packed_%s_l%d_bias%d_bf%d_bi%d_%s" % (
                    prefix, "sorted" if is_sorted else "unsorted", num_layers, b01(bias),
                    b01(batch_first), b01(bidirectional), "h0" if with_h0 else "noh0"),
                "module": module,
                "options": module_options(module, num_layers, bias, batch_first,
                                          bidirectional, **extra),
                "batched": True,
                "packed": {"lengths": list(lengths), "enforce_sorted": is_sorted},
                "with_h0": with_h0,
            })
    return specs


def cell_specs():
    specs = []
    kinds = [("rnncell_tanh", "RNNCell", "tanh"), ("rnncell_relu", "RNNCell", "relu"),
             ("grucell", "GRUCell", None), ("lstmcell", "LSTMCell", None)]
    for prefix, module, nonlinearity in kinds:
        for bias in (True, False):
            for batched in (True, False):
                for with_h0 in (True, False):
                    opts = {"input_size": INPUT_SIZE, "hidden_size": HIDDEN_SIZE, "bias": bias}
                    if nonlinearity is not None:
                        opts["nonlinearity"] = nonlinearity
                    specs.append({
                        "name": "%s_bias%d_%s_%s" % (prefix, b01(bias),
                                                     "batched" if batched else "unbatched",
                                                     "hx" if with_h0 else "nohx"),
                        "module": module, "options": opts, "batched": batched,
                        "packed": None, "with_h0": with_h0,
                    })
    return specs


# --------------------------------------------------------------------------- running

def build_module(module, options):
    cls = getattr(nn, module)
    return cls(**options).double()


def run_module(m, module, options, x, packed, h0, c0):
    """Forward pass; returns (output, h_n, c_n) with output padded for packed input."""
    batch_first = options.get("batch_first", False)
    inp = x
    if packed is not None:
        inp = pack_padded_sequence(x, torch.tensor(packed["lengths"], dtype=torch.int64),
                                   batch_first=batch_first,
                                   enforce_sorted=packed["enforce_sorted"])
    if module == "LSTM":
        out, (h_n, c_n) = m(inp, (h0, c0)) if h0 is not None else m(inp)
    else:
        out, h_n = m(inp, h0) if h0 is not None else m(inp)
        c_n = None
    if packed is not None:
        out, _ = pad_packed_sequence(out, batch_first=batch_first)
    return out, h_n, c_n


def run_cell(m, module, x, h0, c0):
    if module == "LSTMCell":
        h1, c1 = m(x, (h0, c0)) if h0 is not None else m(x)
        return h1, None, c1
    h1 = m(x, h0) if h0 is not None else m(x)
    return h1, None, None


def loss_of(output, h_n, c_n, R, S, S_c):
    loss = (output * R).sum()
    if h_n is not None:
        loss = loss + (h_n * S).sum()
    if c_n is not None:
        loss = loss + (c_n * S_c).sum()
    return loss


def make_case(spec, seed):
    torch.manual_seed(seed)
    module, opts = spec["module"], spec["options"]
    is_cell = module.endswith("Cell")
    m = build_module(module, opts)  # default init, consumes the seeded RNG
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(short(p))

    H = opts["hidden_size"]
    if is_cell:
        B = BATCH
        x = randn(B, INPUT_SIZE) if spec["batched"] else randn(INPUT_SIZE)
        hshape = (B, H) if spec["batched"] else (H,)
        h0 = randn(*hshape) if spec["with_h0"] else None
        c0 = randn(*hshape) if spec["with_h0"] and module == "LSTMCell" else None
    else:
        L = opts["num_layers"]
        D = 2 if opts["bidirectional"] else 1
        H_out = opts.get("proj_size", 0) or H
        bf = opts["batch_first"]
        packed = spec["packed"]
        if packed is not None:
            T, B = PACKED_SEQ_LEN, len(packed["lengths"])
            assert max(packed["lengths"]) == T
        else:
            T, B = SEQ_LEN, BATCH
        if not spec["batched"]:
            x = randn(T, INPUT_SIZE)
        elif bf:
            x = randn(B, T, INPUT_SIZE)
        else:
            x = randn(T, B, INPUT_SIZE)
        if packed is not None:  # zero the padding
            for b, n in enumerate(packed["lengths"]):
                if bf:
                    x[b, n:, :] = 0.0
                else:
                    x[n:, b, :] = 0.0
        hb = (B,) if spec["batched"] else ()
        h0 = randn(L * D, *hb, H_out) if spec["with_h0"] else None
        c0 = randn(L * D, *hb, H) if spec["with_h0"] and module == "LSTM" else None

    x.requires_grad_(True)
    for t in (h0, c0):
        if t is not None:
            t.requires_grad_(True)

    if is_cell:
        output, h_n, c_n = run_cell(m, module, x, h0, c0)
    else:
        output, h_n, c_n = run_module(m, module, opts, x, spec["packed"], h0, c0)

    R = randn(*output.shape)
    S = randn(*h_n.shape) if h_n is not None else None
    S_c = randn(*c_n.shape) if c_n is not None else None
    loss = loss_of(output, h_n, c_n, R, S, S_c)
    loss.backward()

    params = list(m.named_parameters())
    return {
        "name": spec["name"],
        "module": module,
        "options": opts,
        "input": tensor_json(x),
        "packed": spec["packed"],
        "h0": tensor_json(h0),
        "c0": tensor_json(c0),
        "params": {n: tensor_json(p) for n, p in params},
        "R": tensor_json(R),
        "S": tensor_json(S),
        "S_c": tensor_json(S_c),
        "output": tensor_json(output),
        "h_n": tensor_json(h_n),
        "c_n": tensor_json(c_n),
        "grads": {
            "input": tensor_json(x.grad),
            "h0": tensor_json(h0.grad) if h0 is not None else None,
            "c0": tensor_json(c0.grad) if c0 is not None else None,
            "params": {n: tensor_json(p.grad) for n, p in params},
        },
    }


def dump_file(path, cases):
    """One case per line so that regenerated files diff readably."""
    head = json.dumps(HEADER, separators=(", ", ": "))
    assert head.endswith("}")
    lines = [head[:-1] + ', "cases": [']
    for i, case in enumerate(cases):
        lines.append(json.dumps(case, separators=(",", ":")) + ("," if i + 1 < len(cases) else ""))
    lines.append("]}")
    text = "\n".join(lines) + "\n"
    with open(path, "w") as f:
        f.write(text)
    return len(text.encode())


# --------------------------------------------------------------------------- checks

RELU_EXACT_ZEROS = [0]  # count of exactly-zero relu pre-activations seen by manual_forward

def recompute(case):
    """Rebuild the case from its stored inputs/params and rerun it in torch."""
    module, opts = case["module"], case["options"]
    m = build_module(module, opts)
    names = [n for n, _ in m.named_parameters()]
    assert names == list(case["params"].keys()), (case["name"], names)
    with torch.no_grad():
        for n, p in m.named_parameters():
            p.copy_(tensor_from_json(case["params"][n]))
    x = tensor_from_json(case["input"]).requires_grad_(True)
    h0 = tensor_from_json(case["h0"])
    c0 = tensor_from_json(case["c0"])
    for t in (h0, c0):
        if t is not None:
            t.requires_grad_(True)
    if module.endswith("Cell"):
        out, h_n, c_n = run_cell(m, module, x, h0, c0)
    else:
        out, h_n, c_n = run_module(m, module, opts, x, case["packed"], h0, c0)
    loss = loss_of(out, h_n, c_n, tensor_from_json(case["R"]), tensor_from_json(case["S"]),
                   tensor_from_json(case["S_c"]))
    loss.backward()
    got = {"output": out, "h_n": h_n, "c_n": c_n, "g_input": x.grad,
           "g_h0": None if h0 is None else h0.grad, "g_c0": None if c0 is None else c0.grad}
    for n, p in m.named_parameters():
        got["g_" + n] = p.grad
    return got


def manual_forward(case):
    """Independent, explicit implementation of the recurrences (dense, batched or
    unbatched module cases without packing, and all cells).  Documents the exact math:
    gate order r,z,n for GRU and i,f,g,o for LSTM, b_hn inside r*(...) for GRU."""
    module, opts = case["module"], case["options"]
    P = {n: tensor_from_json(t) for n, t in case["params"].items()}
    H = opts["hidden_size"]
    relu_exact_zeros = RELU_EXACT_ZEROS
    act = torch.relu if opts.get("nonlinearity") == "relu" else torch.tanh

    def cell_step(kind, sfx, x, h, c):
        w_ih, w_hh = P["weight_ih" + sfx], P["weight_hh" + sfx]
        gi = x @ w_ih.T
        gh = h @ w_hh.T
        if ("bias_ih" + sfx) in P:
            gi = gi + P["bias_ih" + sfx]
            gh = gh + P["bias_hh" + sfx]
        if kind == "RNN":
            if opts.get("nonlinearity") == "relu":
                # Keep away from relu's kink.  Exact zeros do occur structurally
                # (bias=False, zero state, all-zero input from a dead lower layer); torch
                # uses relu'(0) = 0 there, and those paths carry zero gradient anyway.
                pre = (gi + gh).abs()
                assert (pre[pre != 0] > 1e-6).all(), case["name"]
                relu_exact_zeros[0] += int((pre == 0).sum())
            return act(gi + gh), None
        if kind == "GRU":
            i_r, i_z, i_n = gi.chunk(3, -1)
            h_r, h_z, h_n = gh.chunk(3, -1)
            r = torch.sigmoid(i_r + h_r)
            z = torch.sigmoid(i_z + h_z)
            n = torch.tanh(i_n + r * h_n)
            return (1 - z) * n + z * h, None
        i, f, g, o = (gi + gh).chunk(4, -1)
        c1 = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h1 = torch.sigmoid(o) * torch.tanh(c1)
        if ("weight_hr" + sfx) in P:
            h1 = h1 @ P["weight_hr" + sfx].T
        return h1, c1

    x = tensor_from_json(case["input"])
    if module.endswith("Cell"):
        kind = module[:-4]
        shp = x.shape[:-1] + (H,)
        h = tensor_from_json(case["h0"]) if case["h0"] is not None else torch.zeros(shp)
        c = tensor_from_json(case["c0"]) if case["c0"] is not None else torch.zeros(shp)
        h1, c1 = cell_step(kind, "", x, h, c)
        return {"output": h1, "h_n": None, "c_n": c1 if kind == "LSTM" else None}

    assert case["packed"] is None
    batched = x.dim() == 3
    if not batched:
        x = x.unsqueeze(1)
    elif opts["batch_first"]:
        x = x.transpose(0, 1)
    T, B = x.shape[0], x.shape[1]
    L = opts["num_layers"]
    D = 2 if opts["bidirectional"] else 1
    H_out = opts.get("proj_size", 0) or H
    h0 = tensor_from_json(case["h0"])
    c0 = tensor_from_json(case["c0"])
    h0 = torch.zeros(L * D, B, H_out) if h0 is None else (h0 if batched else h0.unsqueeze(1))
    c0 = torch.zeros(L * D, B, H) if c0 is None else (c0 if batched else c0.unsqueeze(1))
    hs, cs = [], []
    layer_in = x
    for layer in range(L):
        outs = []
        for d in range(D):
            sfx = "_l%d%s" % (layer, "_reverse" if d else "")
            h, c = h0[layer * D + d], c0[layer * D + d]
            steps = [None] * T
            order = range(T - 1, -1, -1) if d else range(T)
            for t in order:
                h, c = cell_step(module, sfx, layer_in[t], h, c)
                steps[t] = h
            outs.append(torch.stack(steps))
            hs.append(h)
            cs.append(c)
        layer_in = torch.cat(outs, -1)
    out, h_n = layer_in, torch.stack(hs)
    c_n = torch.stack(cs) if module == "LSTM" else None
    if not batched:
        out, h_n = out.squeeze(1), h_n.squeeze(1)
        c_n = None if c_n is None else c_n.squeeze(1)
    elif opts["batch_first"]:
        out = out.transpose(0, 1)
    return {"output": out, "h_n": h_n, "c_n": c_n}


def check_file(path):
    with open(path) as f:
        doc = json.load(f)
    for k, v in HEADER.items():
        if k != "torch_version":
            assert doc[k] == v, (path, k)
    names = set()
    worst_manual = 0.0
    n_manual = 0
    for case in doc["cases"]:
        assert case["name"] not in names, case["name"]
        names.add(case["name"])
        got = recompute(case)
        want = {"output": case["output"], "h_n": case["h_n"], "c_n": case["c_n"],
                "g_input": case["grads"]["input"], "g_h0": case["grads"]["h0"],
                "g_c0": case["grads"]["c0"]}
        for n, t in case["grads"]["params"].items():
            want["g_" + n] = t
        assert set(got) == set(want), case["name"]
        for k in want:
            if want[k] is None:
                assert got[k] is None, (case["name"], k)
                continue
            w = tensor_from_json(want[k])
            assert list(got[k].shape) == list(w.shape), (case["name"], k)
            # Same torch, same inputs: should agree to (at worst) a few ulps.
            assert torch.allclose(got[k], w, rtol=1e-12, atol=1e-13), (case["name"], k)
        if case["packed"] is not None:
            # padded positions: output and input grad are exactly zero
            bf = case["options"]["batch_first"]
            out = tensor_from_json(case["output"])
            gx = tensor_from_json(case["grads"]["input"])
            for b, n in enumerate(case["packed"]["lengths"]):
                sl = (b, slice(n, None)) if bf else (slice(n, None), b)
                assert (out[sl] == 0).all() and (gx[sl] == 0).all(), case["name"]
            # each sequence on its own (unbatched, its own length) must give the same
            # output steps and final states as the packed batch
            x = tensor_from_json(case["input"])
            h0, c0 = tensor_from_json(case["h0"]), tensor_from_json(case["c0"])
            h_n, c_n = tensor_from_json(case["h_n"]), tensor_from_json(case["c_n"])
            for b, n in enumerate(case["packed"]["lengths"]):
                sub = dict(case, packed=None,
                           options=dict(case["options"], batch_first=False),
                           input=tensor_json(x[b, :n] if bf else x[:n, b]),
                           h0=None if h0 is None else tensor_json(h0[:, b]),
                           c0=None if c0 is None else tensor_json(c0[:, b]))
                man = manual_forward(sub)
                want = {"output": out[b, :n] if bf else out[:n, b], "h_n": h_n[:, b],
                        "c_n": None if c_n is None else c_n[:, b]}
                for k, v in man.items():
                    assert (v is None) == (want[k] is None), (case["name"], k)
                    if v is not None:
                        assert v.shape == want[k].shape, (case["name"], k)
                        worst_manual = max(worst_manual, (v - want[k]).abs().max().item())
            n_manual += 1
        else:
            man = manual_forward(case)
            n_manual += 1
            for k, v in man.items():
                if v is None:
                    assert case[k] is None, (case["name"], k)
                    continue
                w = tensor_from_json(case[k])
                assert list(v.shape) == list(w.shape), (case["name"], k, v.shape, w.shape)
                worst_manual = max(worst_manual, (v - w).abs().max().item())
    assert worst_manual < 1e-13, worst_manual
    return len(doc["cases"]), n_manual, worst_manual


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="only verify the existing files (recompute in torch)")
    args = ap.parse_args()
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)

    files = [("rnn", "rnn_golden.json"), ("gru", "gru_golden.json"),
             ("lstm", "lstm_golden.json"), ("cell", "cell_golden.json")]
    total = 0
    if not args.check:
        os.makedirs(DATA_DIR, exist_ok=True)
    for key, fname in files:
        path = os.path.join(DATA_DIR, fname)
        if not args.check:
            specs = cell_specs() if key == "cell" else module_specs(key)
            cases = [make_case(s, FILE_SEEDS[key] + i) for i, s in enumerate(specs)]
            dump_file(path, cases)
        n, n_manual, worst = check_file(path)
        size = os.path.getsize(path)
        total += size
        print("%-28s %4d cases %9d bytes  (verified; %d also vs manual recurrence, max |diff| %.1e)"
              % (os.path.relpath(path, ROOT), n, size, n_manual, worst))
    print("%-28s %4s       %9d bytes" % ("total", "", total))
    print("relu pre-activations that were exactly 0 (structural, relu'(0)=0): %d"
          % RELU_EXACT_ZEROS[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
