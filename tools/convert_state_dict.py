#!/usr/bin/python3
"""Convert state_dicts between PyTorch (.pt, torch.save), lucidpp's JSON format and safetensors.

Usage
-----
    /usr/bin/python3 tools/convert_state_dict.py to-json model.pt out.json
    /usr/bin/python3 tools/convert_state_dict.py to-pt in.json out.pt
    /usr/bin/python3 tools/convert_state_dict.py to-safetensors model.pt out.safetensors
    /usr/bin/python3 tools/convert_state_dict.py from-safetensors in.safetensors out.pt
    /usr/bin/python3 tools/convert_state_dict.py make-example out.pt

Run it with Debian's python (``/usr/bin/python3``, which has torch 1.13).

``to-json`` reads a state_dict saved with ``torch.save(model.state_dict(), path)`` (a saved
``nn.Module`` also works if its class is importable) and writes the JSON that
``lucid::load`` reads.  ``to-pt`` does the reverse; ``torch.load`` gives an OrderedDict of
tensors for ``model.load_state_dict``.  Names, order, shapes and dtypes (float32, float64,
int64) are kept, and every value round-trips bit for bit, so ``to-pt`` followed by
``to-json`` reproduces the JSON file byte for byte.  ``to-safetensors`` writes the
safetensors file that ``lucid::save(model, "x.safetensors")`` writes for the same state, byte
for byte, without the ``safetensors`` package: the layout of its reference implementation
(tensors sorted by dtype, I64 then F64 then F32, then by name; a compact JSON header padded with
spaces to a multiple of 8 bytes).  ``from-safetensors`` reads any safetensors file of F32, F64
and I64 tensors, checking the same rules as lucidpp's reader, into a .pt state_dict (in the
order of the data).  ``make-example`` writes the seeded
state_dict behind ``tests/data/converter_gru.{pt,json}``.

The JSON format is described in docs/formats.md:

    {"format": "lucidpp.state_dict", "version": 1,
     "tensors": {name: {"dtype": "float32" | "float64" | "int64",
                        "shape": [..], "data": [flat row-major values]}, ...}}

Floats are written with Python's float repr (the shortest decimal that reads back as the
same double); a float32 is written as the double holding its exact value.  NaN and
infinities, which JSON lacks, are the strings "nan", "inf" and "-inf".
"""

import argparse
import collections
import json
import math
import struct
import sys

import torch
import torch.nn as nn

FORMAT = "lucidpp.state_dict"
VERSION = 1
DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64}
DTYPE_NAMES = {dtype: name for name, dtype in DTYPES.items()}
SPECIAL_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class ConversionError(Exception):
    pass


# --------------------------------------------------------------------------- .pt -> JSON

def float_json(value):
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def tensor_json(name, tensor):
    if tensor.dtype not in DTYPE_NAMES:
        raise ConversionError(
            f'tensor "{name}": dtype {tensor.dtype} is not supported '
            "(lucidpp has float32, float64 and int64); convert it first")
    tensor = tensor.detach().cpu().contiguous()
    if tensor.dtype == torch.int64:
        data = tensor.reshape(-1).tolist()
    else:
        # float32 -> float64 is exact, and tolist() gives Python floats (doubles).
        data = [float_json(v) for v in tensor.to(torch.float64).reshape(-1).tolist()]
    return {"dtype": DTYPE_NAMES[tensor.dtype], "shape": list(tensor.shape), "data": data}


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def dump_document(tensors):
    """The same layout lucid::save writes: one tensor per line."""
    lines = [f"    {compact(name)}: {compact(entry)}" for name, entry in tensors.items()]
    body = "{\n" + ",\n".join(lines) + "\n  }" if lines else "{}"
    return ('{\n  "format": ' + compact(FORMAT) + ',\n  "version": ' + str(VERSION) +
            ',\n  "tensors": ' + body + "\n}\n")


def load_pt(path):
    obj = torch.load(path, map_location="cpu")
    if isinstance(obj, nn.Module):
        obj = obj.state_dict()
    if not isinstance(obj, dict):
        raise ConversionError(f"{path}: expected a state_dict (a dict of tensors), "
                              f"got {type(obj).__name__}")
    for name, value in obj.items():
        if not isinstance(value, torch.Tensor):
            raise ConversionError(f'{path}: entry "{name}" is a {type(value).__name__}, '
                                  "not a tensor; is this a state_dict?")
    return obj


def to_json(pt_path, json_path):
    state_dict = load_pt(pt_path)
    try:
        tensors = collections.OrderedDict(
            (name, tensor_json(name, tensor)) for name, tensor in state_dict.items())
    except ConversionError as error:
        raise ConversionError(f"{pt_path}: {error}") from None
    with open(json_path, "w", encoding="utf-8") as out:
        out.write(dump_document(tensors))


# --------------------------------------------------------------------------- JSON -> .pt

def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def float_value(where, index, value):
    if isinstance(value, str):
        if value not in SPECIAL_FLOATS:
            raise ConversionError(f'{where}: data[{index}] is "{value}", '
                                  'expected a number or "nan", "inf", "-inf"')
        return SPECIAL_FLOATS[value]
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ConversionError(f"{where}: data[{index}] is {value!r}, expected a number")
    return float(value)


def tensor_from_json(name, entry):
    where = f'tensor "{name}"'
    if not isinstance(entry, dict) or not {"dtype", "shape", "data"} <= entry.keys():
        raise ConversionError(f'{where} must be an object with "dtype", "shape" and "data"')
    dtype = DTYPES.get(entry["dtype"])
    if dtype is None:
        raise ConversionError(f'{where}: unknown dtype "{entry["dtype"]}" '
                              "(expected float32, float64 or int64)")
    shape, data = entry["shape"], entry["data"]
    if not isinstance(shape, list) or not all(is_int(size) and size >= 0 for size in shape):
        raise ConversionError(f'{where}: "shape" must be a list of non-negative integers')
    if not isinstance(data, list):
        raise ConversionError(f'{where}: "data" must be a list of values')
    if math.prod(shape) != len(data):
        raise ConversionError(f'{where}: "data" has {len(data)} values, '
                              f"but shape {tuple(shape)} needs {math.prod(shape)}")
    if dtype == torch.int64:
        for index, value in enumerate(data):
            if not is_int(value) or not -2**63 <= value < 2**63:
                raise ConversionError(f"{where}: data[{index}] is {value!r}, "
                                      "expected an int64 integer")
    else:
        data = [float_value(where, i, v) for i, v in enumerate(data)]
    # float64 -> float32 rounds to nearest, which is exact for values written by to-json.
    return torch.tensor(data, dtype=dtype).reshape(shape)


def read_document(json_path):
    with open(json_path, encoding="utf-8") as f:
        doc = json.load(f, object_pairs_hook=collections.OrderedDict)
    if not isinstance(doc, dict):
        raise ConversionError(f"{json_path}: expected a JSON object, got {type(doc).__name__}")
    if doc.get("format") != FORMAT:
        raise ConversionError(f'{json_path}: "format" is {doc.get("format")!r}, '
                              f'expected "{FORMAT}"')
    if doc.get("version") != VERSION:
        raise ConversionError(f'{json_path}: unsupported "version" {doc.get("version")!r} '
                              f"(this script reads version {VERSION})")
    if not isinstance(doc.get("tensors"), dict):
        raise ConversionError(f'{json_path}: "tensors" is missing or not an object')
    return doc["tensors"]


def to_pt(json_path, pt_path):
    try:
        state_dict = collections.OrderedDict(
            (name, tensor_from_json(name, entry))
            for name, entry in read_document(json_path).items())
    except ConversionError as error:
        message = str(error)
        raise ConversionError(message if message.startswith(json_path) else
                              f"{json_path}: {message}") from None
    torch.save(state_dict, pt_path)


# --------------------------------------------------------------------------- safetensors

SAFETENSORS_DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}
SAFETENSORS_NAMES = {dtype: name for name, dtype in SAFETENSORS_DTYPES.items()}
# The reference implementation's dtype order, which rises with alignment; it writes the highest
# first, so that every tensor starts at a multiple of its element size.
ALIGNMENT_RANK = {torch.float32: 0, torch.float64: 1, torch.int64: 2}
MAX_HEADER = 100_000_000


def tensor_bytes(tensor):
    array = tensor.detach().cpu().contiguous().numpy()
    return array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()


def safetensors_bytes(state_dict):
    for name, tensor in state_dict.items():
        if tensor.dtype not in SAFETENSORS_NAMES:
            raise ConversionError(
                f'tensor "{name}": dtype {tensor.dtype} is not supported '
                "(lucidpp has float32, float64 and int64); convert it first")
    order = sorted(state_dict.items(), key=lambda item: (-ALIGNMENT_RANK[item[1].dtype], item[0]))
    header, data, offset = {}, [], 0
    for name, tensor in order:
        data.append(tensor_bytes(tensor))
        header[name] = {"dtype": SAFETENSORS_NAMES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data[-1])]}
        offset += len(data[-1])
    text = compact(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(data)


def to_safetensors(pt_path, out_path):
    state_dict = load_pt(pt_path)
    try:
        contents = safetensors_bytes(state_dict)
    except ConversionError as error:
        raise ConversionError(f"{pt_path}: {error}") from None
    with open(out_path, "wb") as out:
        out.write(contents)


def read_header(contents):
    if len(contents) < 8:
        raise ConversionError(f"the file is {len(contents)} bytes, too short for the header length")
    (size,) = struct.unpack("<Q", contents[:8])
    if size > MAX_HEADER or size > len(contents) - 8:
        raise ConversionError(f"the header length {size} is beyond the file or the limit")

    def no_duplicates(pairs):
        keys = [key for key, _ in pairs]
        if len(keys) != len(set(keys)):
            raise ConversionError(f"the header has a key twice: {sorted(keys)}")
        return collections.OrderedDict(pairs)

    header = json.loads(contents[8:8 + size].decode("utf-8"), object_pairs_hook=no_duplicates)
    if not isinstance(header, dict):
        raise ConversionError("the header is not a JSON object")
    header.pop("__metadata__", None)
    return header, contents[8 + size:]


def tensor_from_safetensors(name, entry, data):
    dtype = SAFETENSORS_DTYPES.get(entry.get("dtype"))
    if dtype is None:
        raise ConversionError(f'tensor "{name}": dtype {entry.get("dtype")!r} is not supported '
                              "(lucidpp reads F32, F64 and I64)")
    shape, (begin, end) = entry["shape"], entry["data_offsets"]
    size = math.prod(shape) * torch.empty((), dtype=dtype).element_size()
    if not 0 <= begin <= end <= len(data) or end - begin != size:
        raise ConversionError(f'tensor "{name}": data_offsets [{begin}, {end}] do not hold '
                              f"shape {tuple(shape)} of {entry['dtype']} in {len(data)} bytes")
    if size == 0:
        return torch.empty(shape, dtype=dtype)
    # frombuffer wants a writable buffer; the clone owns its storage.
    return torch.frombuffer(bytearray(data[begin:end]), dtype=dtype).reshape(shape).clone()


def from_safetensors(in_path, pt_path):
    with open(in_path, "rb") as f:
        contents = f.read()
    try:
        header, data = read_header(contents)
        entries = sorted(header.items(), key=lambda item: tuple(item[1]["data_offsets"]))
        covered = 0
        for name, entry in entries:
            if entry["data_offsets"][0] != covered:
                raise ConversionError(f'tensor "{name}": data_offsets overlap or leave a gap')
            covered = entry["data_offsets"][1]
        if covered != len(data):
            raise ConversionError(f"{len(data) - covered} bytes after the last tensor's data")
        state_dict = collections.OrderedDict(
            (name, tensor_from_safetensors(name, entry, data)) for name, entry in entries)
    except (ConversionError, KeyError, TypeError, ValueError) as error:
        raise ConversionError(f"{in_path}: {error}") from None
    torch.save(state_dict, pt_path)


# --------------------------------------------------------------------------- example

class Stats(nn.Module):
    """Buffers with each dtype and the values that are hard to round-trip."""

    def __init__(self):
        super().__init__()
        self.register_buffer("step", torch.tensor(7, dtype=torch.int64))  # 0-d
        self.register_buffer("limits", torch.tensor([-2**63, 2**63 - 1, 0], dtype=torch.int64))
        self.register_buffer("special", torch.tensor(
            [math.nan, math.inf, -math.inf, -0.0, 1e-45, 0.1, 3.4028234663852886e38,
             1.1754943508222875e-38], dtype=torch.float32))
        self.register_buffer("scale", torch.tensor(
            [0.1, -0.0, 5e-324, 1.7976931348623157e308, 1 / 3], dtype=torch.float64))


class Example(nn.Module):
    """A 2-layer GRU and a Linear head, as the C++ test's ExampleModule."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(input_size=3, hidden_size=4, num_layers=2)
        self.head = nn.Linear(4, 2)
        self.stats = Stats()


def make_example(pt_path):
    torch.manual_seed(0)
    torch.save(Example().state_dict(), pt_path)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("to-json", help="PyTorch .pt state_dict -> lucidpp JSON")
    command.add_argument("pt"), command.add_argument("json")
    command = commands.add_parser("to-pt", help="lucidpp JSON -> PyTorch .pt state_dict")
    command.add_argument("json"), command.add_argument("pt")
    command = commands.add_parser("to-safetensors", help="PyTorch .pt state_dict -> safetensors")
    command.add_argument("pt"), command.add_argument("safetensors")
    command = commands.add_parser("from-safetensors", help="safetensors -> PyTorch .pt state_dict")
    command.add_argument("safetensors"), command.add_argument("pt")
    command = commands.add_parser("make-example", help="write the test example state_dict")
    command.add_argument("pt")
    args = parser.parse_args(argv)
    try:
        if args.command == "to-json":
            to_json(args.pt, args.json)
        elif args.command == "to-pt":
            to_pt(args.json, args.pt)
        elif args.command == "to-safetensors":
            to_safetensors(args.pt, args.safetensors)
        elif args.command == "from-safetensors":
            from_safetensors(args.safetensors, args.pt)
        else:
            make_example(args.pt)
    except (ConversionError, OSError, json.JSONDecodeError) as error:
        print(f"convert_state_dict.py: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
