"""Imports models through fx-import-torch and checks that fx-translate prints the same graph
(print(gm.graph), PyTorch 1.13 style) and the same code (gm.code) as torch.fx does for the same
model. Usage: check_torch_models.py BIN_DIR SPEC...   with SPEC = MODULE:CALLABLE=INPUT[,INPUT]"""
import difflib
import os
import subprocess
import sys
import tempfile

import torch
import torch.fx

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "frontend", "python"))
from fx_mlir.compat import symbolic_trace  # noqa: E402  (as the importer traces)
from fx_mlir.importer import load_callable  # noqa: E402

bin_dir = sys.argv[1]
passed = failed = 0
for spec in sys.argv[2:]:
    model_spec, _, inputs = spec.partition("=")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "model.mlir")
        cmd = [os.path.join(bin_dir, "fx-import-torch"), model_spec, "--no-weights", "-o", out]
        for i in inputs.split(",") if inputs else []:
            cmd += ["--input", i]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            print(f"FAIL {model_spec}: import failed: {r.stderr}")
            failed += 1
            continue
        texts = {}
        for flag in ("--fx-to-graph-text", "--fx-to-python"):
            t = subprocess.run([os.path.join(bin_dir, "fx-translate"), flag,
                                "--fx-graph-text-style=1", out], capture_output=True, text=True)
            texts[flag] = t.stdout if t.returncode == 0 else "fx-translate failed: " + t.stderr
    torch.manual_seed(0)
    model = load_callable(model_spec)().eval()
    gm = symbolic_trace(model)
    expected = {"--fx-to-graph-text": str(gm.graph) + "\n", "--fx-to-python": gm.code}
    ok = True
    for flag, want in expected.items():
        got = texts[flag]
        if got != want:
            ok = False
            diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                                "torch.fx", "fx-translate " + flag, n=1))
            print(f"FAIL {model_spec} {flag}:\n{diff[:3000]}")
    if ok:
        n = len(gm.graph.nodes)
        print(f"ok {model_spec}: {n} nodes, graph text and code identical to torch.fx")
        passed += 1
    else:
        failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
