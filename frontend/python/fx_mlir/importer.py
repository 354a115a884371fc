"""fx-import-torch: take a PyTorch model through real torch.fx into the fx dialect.

    fx-import-torch MODULE:CALLABLE [--input SPEC]... [-o OUT] [--save-io DIR] [--seed N]

MODULE is a dotted module (torchvision.models) or a path to a .py file; CALLABLE() builds the
model, which is always put in eval mode (model.eval(): dropout off, batch norm on its running
statistics) before it is traced. Each --input (one per placeholder) is a type like
1x3x224x224xf32, filled from --seed (standard normal floats, integers uniform in [0, 100)), or a
.npy file. The inputs run through torch.fx's ShapeProp-style interpretation to type every node.
On Python >= 3.11, tracing fixes torch 1.13's Proxy.__iter__ so that `a, b = x.shape` traces
(see fx_mlir/compat.py).
"""
import argparse
import contextlib
import importlib
import importlib.util
import os
import re
import subprocess
import sys
import time

ELEMENT_TYPES = {
    "f32": "float32", "f64": "float64", "f16": "float16", "bf16": "bfloat16",
    "i64": "int64", "i32": "int32", "i16": "int16", "i8": "int8", "ui8": "uint8", "i1": "bool",
}


def fail(msg):
    print(f"fx-import-torch: error: {msg}", file=sys.stderr)
    sys.exit(1)


def load_callable(spec):
    if ":" not in spec:
        fail(f"expected MODULE:CALLABLE, got '{spec}'")
    module_name, _, attr = spec.rpartition(":")
    try:
        if module_name.endswith(".py") or os.path.sep in module_name:
            path = os.path.abspath(module_name)
            if not os.path.exists(path):
                fail(f"no such file: {module_name}")
            name = os.path.splitext(os.path.basename(path))[0]
            sys.path.insert(0, os.path.dirname(path))
            s = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(s)
            sys.modules[name] = module
            s.loader.exec_module(module)
        else:
            module = importlib.import_module(module_name)
    except SystemExit:
        raise
    except BaseException as e:  # noqa: BLE001 - report anything the user's module raises
        fail(f"could not import '{module_name}': {type(e).__name__}: {e}")
    fn = getattr(module, attr, None)
    if fn is None or not callable(fn):
        fail(f"'{module_name}' has no callable '{attr}'")
    return fn


def make_input(spec, generator, torch):
    import numpy as np
    if spec.endswith(".npy"):
        if not os.path.exists(spec):
            fail(f"no such input file: {spec}")
        return torch.from_numpy(np.load(spec))
    m = re.fullmatch(r"((?:\d+x)*)([a-z]+\d*)", spec)
    if not m or m.group(2) not in ELEMENT_TYPES:
        fail(f"bad --input '{spec}': expected a .npy file or a type like 1x3x224x224xf32 "
             f"(element types: {', '.join(ELEMENT_TYPES)})")
    shape = [int(d) for d in m.group(1).split("x") if d]
    dtype = getattr(torch, ELEMENT_TYPES[m.group(2)])
    if dtype.is_floating_point:
        return torch.randn(shape, generator=generator, dtype=torch.float32).to(dtype)
    if dtype == torch.bool:
        return torch.randint(0, 2, shape, generator=generator).to(torch.bool)
    return torch.randint(0, 100, shape, generator=generator).to(dtype)


def record_types(gm, inputs, torch, call_values=None, results=None):
    """ShapeProp: runs the graph node by node and types every node from the value it produced.
    Also keeps, in `call_values`, the operand values of each call of a wrapped function whose
    body the importer records (for bodies only a trace on these values can record), and
    appends the graph's result to the list `results` if given."""
    import torch.fx
    from .functions import needs_body, operand_values
    from .literals import value_type

    types = {}

    class TypeRecorder(torch.fx.Interpreter):
        def run_node(self, n):
            if call_values is not None and needs_body(n):
                call_values[n] = operand_values(n, self.env)
            result = super().run_node(n)
            types[n] = value_type(result)
            return result

    with torch.no_grad():
        result = TypeRecorder(gm).run(*inputs)
    if results is not None:
        results.append(result)
    return types


def clone_all(inputs, torch):
    """Fresh copies of the tensors among `inputs`, for one run that may modify them in place."""
    return [t.clone() if isinstance(t, torch.Tensor) else t for t in inputs]


def flatten_outputs(value, torch):
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in flatten_outputs(v, torch)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in flatten_outputs(v, torch)]
    if isinstance(value, (bool, int, float)):  # as fx-run does: numbers become 0-d tensors
        # of the number's Python type: bool, int64, and float64 (a Python float is a double)
        return [torch.as_tensor(value, dtype=torch.float64 if isinstance(value, float) else None)]
    return []  # None, strings


def remove_quietly(path):
    if path and os.path.exists(path):
        os.remove(path)


def write_bytecode(text, output, weights_path=None, fx_opt=None):
    """Writes the module `text` to `output` as bytecode through `fx_opt` (default: FX_OPT),
    joining the raw weights in `weights_path` (a WeightsFile's). Raises RuntimeError with
    fx-opt's diagnostics. Text goes through a pipe; its locations would point nowhere, so they
    are dropped."""
    fx_opt = fx_opt or os.environ.get("FX_OPT", "fx-opt")
    command = [fx_opt, "--strip-debuginfo", "--emit-bytecode", "-", "-o", output]
    if weights_path:
        command.insert(1, f"--fx-attach-weights=file=\"{weights_path}\"")
    try:
        r = subprocess.run(command, input=text.encode(), capture_output=True)
    except FileNotFoundError:
        raise RuntimeError(f"writing bytecode needs fx-opt; '{fx_opt}' was not found (set FX_OPT)")
    if r.returncode != 0:
        raise RuntimeError(
            f"fx-opt rejected the imported module:\n{r.stderr.decode(errors='replace')}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="fx-import-torch", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", help="MODULE:CALLABLE")
    parser.add_argument("--input", action="append", default=[], help="one per placeholder")
    parser.add_argument("-o", "--output", default="-",
                        help="output file (.mlirbc writes bytecode); - for stdout")
    parser.add_argument("--save-io", metavar="DIR",
                        help="write inputN.npy and PyTorch eager's outputN.npy into DIR")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-weights", action="store_true",
                        help="declare parameters and buffers without their values")
    parser.add_argument("--name", help="symbol of the fx.graph_module (default: class name)")
    args = parser.parse_args(argv)

    try:
        import torch
        import torch.fx
    except ImportError as e:
        fail(f"PyTorch is not available to {sys.executable} ({e}); install python3-torch "
             f"or set FX_PYTHON to an interpreter that has it")
    from . import compat
    from .emit import ImportError_, WeightsFile, emit_graph_module

    t0 = time.perf_counter()
    torch.manual_seed(args.seed)
    build = load_callable(args.model)
    try:
        model = build()
    except Exception as e:  # noqa: BLE001
        fail(f"{args.model}() raised {type(e).__name__}: {e}")
    if not isinstance(model, torch.nn.Module):
        fail(f"{args.model}() returned a {type(model).__qualname__}, not a torch.nn.Module")
    model.eval()  # documented in --help; traced graphs and saved outputs are eval mode's
    try:
        gm = compat.symbolic_trace(model)
    except Exception as e:  # noqa: BLE001 - torch.fx's own message is what the user needs
        fail(f"torch.fx could not trace {type(model).__qualname__}: {type(e).__name__}: {e}")

    placeholders = [n for n in gm.graph.nodes if n.op == "placeholder"]
    node_types = {}
    call_values = {}
    inputs = []
    if args.input:
        required = [p for p in placeholders if not p.args]
        if not len(required) <= len(args.input) <= len(placeholders):
            fail(f"{len(args.input)} --input given, but the traced graph has "
                 f"{len(placeholders)} placeholders ({', '.join(p.name for p in placeholders)}"
                 f"{'' if len(required) == len(placeholders) else f'; {len(required)} without defaults'})")
        g = torch.Generator().manual_seed(args.seed)
        inputs = [make_input(s, g, torch) for s in args.input]
        try:
            # Each run gets its own copies: in-place ops in the model would otherwise change
            # the inputs that --save-io writes and that eager runs on.
            node_types = record_types(gm, clone_all(inputs, torch), torch, call_values)
        except Exception as e:  # noqa: BLE001
            fail(f"running the traced graph on the given inputs failed: {type(e).__name__}: {e}")
    # Bytecode takes the fast path: the weights go raw into a file beside the output, and
    # fx-opt's fx-attach-weights maps them into the module it writes (no hex text).
    bytecode = args.output.endswith(".mlirbc")
    weights_path = args.output + ".weights.tmp" if bytecode and not args.no_weights else None
    try:
        with open(weights_path, "wb") if weights_path else contextlib.nullcontext() as f:
            weights = WeightsFile(f) if f else None
            text = emit_graph_module(gm, model, args.name or type(model).__name__,
                                     with_weights=not args.no_weights, node_types=node_types,
                                     call_values=call_values, weights_file=weights)
            if weights:
                weights.finish()
    except ImportError_ as e:
        remove_quietly(weights_path)
        fail(str(e))

    if args.save_io:
        import numpy as np
        if not inputs:
            fail("--save-io needs --input")
        os.makedirs(args.save_io, exist_ok=True)
        with torch.no_grad():
            outputs = flatten_outputs(model(*clone_all(inputs, torch)), torch)
        for i, t in enumerate(inputs):
            np.save(os.path.join(args.save_io, f"input{i}.npy"), t.numpy())
        for i, t in enumerate(outputs):
            np.save(os.path.join(args.save_io, f"output{i}.npy"), t.detach().numpy())

    if args.output == "-":
        sys.stdout.write(text)
    elif bytecode:
        try:
            write_bytecode(text, args.output, weights_path)
        except RuntimeError as e:
            fail(str(e))
        finally:
            remove_quietly(weights_path)
    else:
        with open(args.output, "w") as f:
            f.write(text)
    if args.output != "-":
        size = os.path.getsize(args.output)
        n_params = sum(p.numel() for p in model.parameters())
        print(f"imported {type(model).__name__}: {len(gm.graph.nodes)} nodes, "
              f"{n_params} parameters, {size / 1e6:.1f} MB in {args.output}, "
              f"{time.perf_counter() - t0:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
