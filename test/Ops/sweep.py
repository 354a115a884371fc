"""The op sweep: every registry entry's sample calls, in every spelling, through torch.fx and
the importer, run on each backend and compared with PyTorch eager (PyTorch's OpInfo discipline).

    sweep.py TOOLS_DIR WORKDIR [--backends interp,cpu,gpu-emulated] [--ops REGEX]
             [--docs docs/ops.md] [--eager-only]

A sample written "<spelling> args" runs in that spelling only (an aten overload that takes
other arguments than the canonical target); the first other sample runs in every spelling no
sample names. The torch.nn module types (`fx-ops --modules`) are swept the same way: each
sample constructs an instance in eval mode and calls it as a torch.fx leaf module.

The registry comes from `fx-ops`. An op's first sample runs in every spelling (torch.X,
F.X, the Tensor method, operator.X), its other samples in the canonical one; all of an op's
calls form one graph module (one fx-run per backend), and only an op that fails is rerun call
by call to name the failing ones. Compiled backends run the ops that have a lowering. Known
gaps (test/Ops/known-gaps.txt: `backend target reason`) are reported, not failed; a known gap
that passes fails the sweep, so that the list stays true. Exit 1 on any unexpected result,
on a sample PyTorch rejects, and on an op without samples.
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys

import torch
import torch.fx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import samples  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "frontend", "python"))
from fx_mlir.emit import ImportError_, emit_graph_module  # noqa: E402
from fx_mlir.importer import flatten_outputs, record_types  # noqa: E402

COMPILED = ("cpu", "gpu-emulated")


class Call:
    """One sample call in one spelling."""

    def __init__(self, op, spelling, index, sample):
        self.op, self.spelling, self.index, self.sample = op, spelling, index, sample

    def __str__(self):
        return f"{self.spelling}({self.sample})"

    def prepare(self, generator):
        """(args, kwargs, tensors) with tensors drawn from `generator`."""
        return make_inputs(self.sample, generator)

    def eager(self, args, kwargs):
        return samples.call(self.spelling, args, kwargs)

    def add_node(self, graph, root, args, kwargs):
        kind, target = samples.resolve(self.spelling)
        make = graph.call_method if kind == "method" else graph.call_function
        return make(target, tuple(args), kwargs)


class ModuleCall:
    """One module sample: an instance (eval mode, seeded weights) called on sample inputs."""

    def __init__(self, info, index, sample):
        self.op, self.index = info, index
        self.constructor, self.forward = sample
        self.instance = None

    def __str__(self):
        return f"{self.op['target']}({self.constructor})({self.forward})"

    def module(self):
        if self.instance is None:
            torch.manual_seed(self.index)
            args, kwargs = samples.parse(self.constructor)
            _, cls = samples.resolve(self.op["target"])
            self.instance = randomize_buffers(cls(*args, **kwargs).eval())
        return self.instance

    def prepare(self, generator):
        return make_inputs(self.forward, generator)

    def eager(self, args, kwargs):
        return self.module()(*args, **kwargs)

    def add_node(self, graph, root, args, kwargs):
        name = f"m{len(root._modules)}"
        root.add_module(name, self.module())
        return graph.call_module(name, tuple(args), kwargs)


def randomize_buffers(module):
    """Running statistics away from their initial 0 and 1, so that eval mode uses them."""
    generator = torch.Generator().manual_seed(0)
    for name, buffer in module.named_buffers():
        if name.endswith("running_mean"):
            buffer.copy_(torch.randn(buffer.shape, generator=generator))
        elif name.endswith("running_var"):
            buffer.copy_(0.5 + torch.rand(buffer.shape, generator=generator))
    return module


def spelling_of(sample):
    """A sample written `<spelling> args` runs in that spelling only: (spelling, args)."""
    m = re.fullmatch(r"<([^>]+)>\s*(.*)", sample, re.S)
    return (m.group(1), m.group(2)) if m else (None, sample)


def calls_of(op):
    """An op's calls: each sample that names a spelling in it; the first other sample in every
    spelling no sample names, the rest in the canonical one. A module's calls: its samples."""
    if "type" in op:
        yield from (ModuleCall(op, i, s) for i, s in enumerate(op["samples"]))
        return
    named = {spelling_of(s)[0] for s in op["samples"]} - {None}
    first = True
    for i, sample in enumerate(op["samples"]):
        spelling, args = spelling_of(sample)
        if spelling:
            spellings = [spelling]
        elif first:
            spellings, first = [s for s in op["spellings"] if s not in named], False
        else:
            spellings = [op["target"]]
        for spelling in spellings:
            if samples.resolve(spelling) is not None:
                yield Call(op, spelling, i, args)


def make_inputs(sample, generator):
    args, kwargs = samples.parse(sample)
    tensors = []

    def make(spec):
        tensors.append(spec.make(generator))
        return tensors[-1]
    return samples.map_specs(args, make), samples.map_specs(kwargs, make), tensors


def check_eager(call):
    """None, or why PyTorch rejects the sample."""
    try:
        args, kwargs, _ = call.prepare(torch.Generator().manual_seed(0))
        with torch.no_grad():
            call.eager(args, kwargs)
    except Exception as e:  # noqa: BLE001 - any rejection is a bad sample
        return f"{type(e).__name__}: {e}"
    return None


def build(calls, name, workdir):
    """A graph module of `calls` (each with its own inputs) with its inputs and PyTorch eager's
    outputs as .npy files; the directory."""
    import numpy as np
    graph, root = torch.fx.Graph(), torch.nn.Module()
    generator = torch.Generator().manual_seed(0)
    # Placeholders come first in a graph: every call's inputs, then the calls.
    prepared, inputs, node_of_tensor = [], [], {}
    for call in calls:
        args, kwargs, tensors = call.prepare(generator)
        prepared.append((call, args, kwargs))
        for t in tensors:
            node_of_tensor[id(t)] = graph.placeholder(f"x{len(inputs)}")
            inputs.append(t)
    node_of = lambda v: node_of_tensor.get(id(v), v)  # noqa: E731
    results = []
    for call, args, kwargs in prepared:
        results.append(call.add_node(graph, root, samples.map_specs_values(args, node_of),
                                     samples.map_specs_values(kwargs, node_of)))
    graph.output(tuple(results))
    gm = torch.fx.GraphModule(root, graph)
    saved = [t.clone() for t in inputs]
    with torch.no_grad():
        types = record_types(gm, [t.clone() for t in saved], torch)
        outputs = flatten_outputs(gm(*[t.clone() for t in saved]), torch)
    text = emit_graph_module(gm, gm, name, node_types=types)
    directory = os.path.join(workdir, name)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "graph.mlir"), "w") as f:
        f.write(text)
    for kind, tensors in (("input", saved), ("output", outputs)):
        for i, t in enumerate(tensors):
            np.save(os.path.join(directory, f"{kind}{i}.npy"), t.detach().contiguous().numpy())
    return directory


def run(tools, directory, backend):
    """None, or fx-run's complaint."""
    files = sorted(os.listdir(directory))
    number = lambda f: int(re.sub(r"\D", "", f))  # noqa: E731
    command = [os.path.join(tools, "fx-run"), os.path.join(directory, "graph.mlir"),
               "--backend=" + backend, "--normalize"]
    for f in sorted((f for f in files if f.startswith("input")), key=number):
        command += ["--input", os.path.join(directory, f)]
    for f in sorted((f for f in files if f.startswith("output")), key=number):
        command += ["--compare", os.path.join(directory, f)]
    r = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if r.returncode == 0:
        return None
    lines = [l for l in (r.stderr + r.stdout).splitlines() if "error" in l or "mismatch" in l]
    return (lines or (r.stderr + r.stdout).splitlines() or ["failed"])[0][:300]


def symbol(text):
    return re.sub(r"\W", "_", text)


def sweep_op(op, tools, workdir, backends):
    """{backend: None | [(call, why)]} for one op; None where the backend does not apply."""
    calls = list(calls_of(op))
    name = symbol(op["target"])
    try:
        directory = build(calls, name, workdir)
    except ImportError_ as e:
        return {b: [("import", str(e))] for b in backends}
    status = {}
    for backend in backends:
        if backend in COMPILED and not op["lowering"]:
            status[backend] = None
            continue
        if run(tools, directory, backend) is None:
            status[backend] = []
            continue
        failures = []
        for k, call in enumerate(calls):
            why = run(tools, build([call], f"{name}_{k}", workdir), backend)
            if why:
                failures.append((str(call), why))
        status[backend] = failures or [
            (f"{op['target']}: all calls together", run(tools, directory, backend))]
    return status


def load_known_gaps():
    gaps = {}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "known-gaps.txt")
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if line:
            backend, target, reason = line.split(None, 2)
            gaps[(backend, target)] = reason
    return gaps


def cell(status, gap, notes):
    """A table cell: ok, — (no lowering), FAIL, or partial with a numbered note (a known gap)."""
    if status is None:
        return "—"
    if not gap:
        return "ok" if not status else "FAIL"
    if gap not in notes:
        notes.append(gap)
    return f"{'ok, but listed as a gap' if not status else 'partial'} [{notes.index(gap) + 1}]"


def write_docs(path, ops, results, backends, gaps):
    notes = []

    def cells(op):
        return " | ".join(cell(results[op["target"]].get(b), gaps.get((b, op["target"])), notes)
                          for b in backends)
    functions = [op for op in ops if "type" not in op]
    modules = [op for op in ops if "type" in op]
    head = " | ".join(backends) + " |"
    rule = " | ".join("---" for _ in backends) + " |"
    lines = ["# Ops: what runs where",
             "",
             "Written by the op sweep (`test/Ops/sweep.py`, run by `test/Ops/sweep.test`): every",
             "registry entry's sample calls, in every spelling, imported through torch.fx and run",
             "on each backend against PyTorch eager (normalised rtol 1e-4, atol 1e-5). `—`: no",
             "lowering (the interpreter only); partial: some samples fail, for the reason in the",
             "note (`test/Ops/known-gaps.txt`). Spellings PyTorch 1.13 lacks are not run.",
             "",
             f"{len(functions)} ops, {sum(len(o['spellings']) for o in functions)} spellings, "
             f"{sum(len(o['samples']) for o in functions)} samples; {len(modules)} torch.nn "
             f"modules, {sum(len(o['samples']) for o in modules)} samples.",
             "",
             "| op | other spellings | samples | " + head,
             "| --- | --- | ---: | " + rule]
    for op in functions:
        spellings = ", ".join(f"`{s}`" for s in op["spellings"][1:])
        lines.append(f"| `{op['target']}` | {spellings} | {len(op['samples'])} | {cells(op)} |")
    lines += ["", "## torch.nn modules", "",
              "Leaf modules of torch.fx graphs (`call_module`), each sample an instance in eval",
              "mode with seeded weights (and random running statistics) called on sample inputs;",
              "the compiled backends run them through `fx-decompose-modules`.", "",
              "| module | constructor | samples | " + head, "| --- | --- | ---: | " + rule]
    for op in modules:
        lines.append(f"| `{op['target']}` | `{op['constructor']}` | {len(op['samples'])} | "
                     f"{cells(op)} |")
    lines += [""] + [f"{i + 1}. {note}" for i, note in enumerate(notes)]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def load_registry(tools):
    """The ops, then the module types (with "target" = type; compiled through their
    decomposition), as fx-ops prints them."""
    def entries(*flags):
        text = subprocess.run([os.path.join(tools, "fx-ops"), *flags], capture_output=True,
                              text=True, check=True).stdout
        return list(map(json.loads, text.splitlines()))
    modules = entries("--modules")
    for m in modules:
        m.update(target=m["type"], lowering="fx-decompose-modules", spellings=[m["type"]])
    return entries() + modules


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tools")
    parser.add_argument("workdir")
    parser.add_argument("--backends", default="interp,cpu,gpu-emulated")
    parser.add_argument("--ops", default="", help="only targets matching this regex")
    parser.add_argument("--docs", help="write the table here (docs/ops.md)")
    parser.add_argument("--eager-only", action="store_true",
                        help="only check that PyTorch accepts every sample")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    # The importer records the bodies of functions the registry lacks; it asks this fx-ops.
    os.environ["FX_OPS"] = os.path.join(os.path.abspath(args.tools), "fx-ops")
    backends = args.backends.split(",")
    ops = [op for op in load_registry(args.tools) if re.search(args.ops, op["target"])]
    bad = 0
    for op in ops:
        if not op["samples"]:
            print(f"NO SAMPLES {op['target']}")
            bad += 1
        for call in calls_of(op):
            why = check_eager(call)
            if why:
                print(f"BAD SAMPLE {call}: {why}")
                bad += 1
    if args.eager_only or bad:
        print(f"{len(ops)} ops, {bad} problems")
        return 1 if bad else 0

    gaps = load_known_gaps()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {op["target"]: pool.submit(sweep_op, op, args.tools, args.workdir, backends)
                   for op in ops}
        results = {target: f.result() for target, f in futures.items()}
    for op in ops:
        for backend in backends:
            status, gap = results[op["target"]].get(backend), gaps.get((backend, op["target"]))
            if status and not gap:
                bad += 1
                for call, why in status:
                    print(f"FAIL {backend} {call}: {why}")
            elif status == [] and gap:
                bad += 1
                print(f"UNEXPECTED PASS {backend} {op['target']} (remove it from known-gaps.txt)")
    runs = sum(len(list(calls_of(op))) for op in ops)
    print(f"{len(ops)} ops, {runs} calls, backends {', '.join(backends)}: {bad} unexpected")
    if args.docs:
        write_docs(args.docs, ops, results, backends, gaps)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
