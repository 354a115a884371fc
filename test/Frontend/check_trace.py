"""Traces C++ zoo models with fx-trace and checks, node by node, that the graph prints as
torch.fx prints the same model written in Python (print(gm.graph), PyTorch 1.13 style, and
gm.code), and that the module tree (every submodule, parameter and buffer by name and type, in
order, and the type and hyper-parameters of every torch.nn leaf) is the one fx-import-torch writes
for the Python model. Traced-through modules (containers, the user's classes) are compared by name
only: their qualified names and attributes depend on how the Python original is loaded.
Usage: check_trace.py BIN_DIR CPP_MODEL=MODULE:CALLABLE ..."""
import os
import re
import subprocess
import sys

import torch
import torch.fx

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "frontend", "python"))
from fx_mlir.importer import load_callable  # noqa: E402

bin_dir = sys.argv[1]


LEAF = re.compile(r'fx\.submodule @\S+ "torch\.nn\.(?!Sequential"|ModuleList"|ModuleDict")')


def module_tree(text):
    """The lines of the fx.graph_module before its graph, unindented, with traced-through
    submodules reduced to their names."""
    lines = [line.strip() for line in text.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("fx.graph_module"))
    end = next(i for i, line in enumerate(lines) if re.match(r"fx\.graph @", line))
    tree = [line if not line.startswith("fx.submodule") or LEAF.match(line)
            else " ".join(line.split()[:2]) + (" {" if line.endswith("{") else "")
            for line in lines[start + 1:end]]
    return "\n".join(tree) + "\n"


passed = failed = 0
for spec in sys.argv[2:]:
    cpp, _, py = spec.partition("=")
    traced = subprocess.run([os.path.join(bin_dir, "fx-trace"), cpp, "--no-weights"],
                            capture_output=True, text=True)
    if traced.returncode != 0:
        print(f"FAIL {cpp}: fx-trace failed: {traced.stderr}")
        failed += 1
        continue
    got = {}
    for flag in ("--fx-to-graph-text", "--fx-to-python"):
        r = subprocess.run([os.path.join(bin_dir, "fx-translate"), flag, "--fx-graph-text-style=1"],
                           input=traced.stdout, capture_output=True, text=True)
        got[flag] = r.stdout
    imported = subprocess.run([os.path.join(bin_dir, "fx-import-torch"), py, "--no-weights",
                               "-o", "-"], capture_output=True, text=True)
    if imported.returncode != 0:
        print(f"FAIL {cpp}: fx-import-torch failed: {imported.stderr}")
        failed += 1
        continue
    got["module tree"] = module_tree(traced.stdout)
    gm = torch.fx.symbolic_trace(load_callable(py)().eval())
    want = {"--fx-to-graph-text": str(gm.graph) + "\n", "--fx-to-python": gm.code,
            "module tree": module_tree(imported.stdout)}
    bad = [flag for flag in want if got[flag] != want[flag]]
    if bad:
        failed += 1
        for flag in bad:
            g, w = got[flag].splitlines(), want[flag].splitlines()
            first = next((i for i in range(max(len(g), len(w)))
                          if i >= len(g) or i >= len(w) or g[i] != w[i]), None)
            print(f"FAIL {cpp} {flag}: first difference at line {first}:\n"
                  f"  fx-trace: {g[first] if first is not None and first < len(g) else '<end>'}\n"
                  f"  torch.fx: {w[first] if first is not None and first < len(w) else '<end>'}")
    else:
        passed += 1
        print(f"ok {cpp}: {len(gm.graph.nodes)} nodes match torch.fx ({py})")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
