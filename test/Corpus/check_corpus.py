"""Bad input never crashes a tool: every file in Inputs/ is rejected with an error message and
exit code 1 by fx-opt and fx-translate, and random mutations of the valid IR tests either parse
or are rejected the same way (exit code 0 or 1, never a signal)."""
import os
import random
import subprocess
import sys

tools_dir, test_root = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
fx_opt = os.path.join(tools_dir, "fx-opt")
fx_translate = os.path.join(tools_dir, "fx-translate")
fx_run = os.path.join(tools_dir, "fx-run")
failures = []


def run(cmd, data):
    p = subprocess.run(cmd, input=data, capture_output=True, timeout=60)
    return p.returncode, p.stderr.decode(errors="replace")


def check_no_crash(name, cmd, data):
    """A mutated input may parse or be rejected (exit 0 or 1), never crash the tool."""
    rc, err = run(cmd, data)
    if rc not in (0, 1):
        path = os.path.join(os.getcwd(), f"crash-{name}.mlir")
        with open(path, "wb") as f:
            f.write(data)
        failures.append(f"{name} made {os.path.basename(cmd[0])} exit {rc} "
                        f"(input saved to {path}): {err[-300:]}")


inputs = sorted(os.listdir(os.path.join(here, "Inputs")))
for name in inputs:
    with open(os.path.join(here, "Inputs", name), "rb") as f:
        data = f.read()
    for cmd in ([fx_opt, "-"], [fx_translate, "--fx-to-graph-text", "-"], [fx_run, "-"]):
        rc, err = run(cmd, data)
        if rc != 1 or "error" not in err:
            failures.append(f"{name}: {os.path.basename(cmd[0])} exited {rc}: {err[-300:]}")

# Mutations of valid files: delete, duplicate or replace a random span of bytes.
rng = random.Random(20261127)
seeds = []
for dirpath, _, files in os.walk(os.path.join(test_root, "Dialect")):
    for fn in files:
        if fn == "round-trip.mlir":
            with open(os.path.join(dirpath, fn), "rb") as f:
                seeds.append(f.read())
examples = os.path.join(os.path.dirname(test_root), "examples")
for fn in sorted(os.listdir(examples)):
    if fn.endswith(".mlir"):
        with open(os.path.join(examples, fn), "rb") as f:
            seeds.append(f.read())
tokens = [b"%x", b"(", b")", b"{", b"}", b"[", b"]", b",", b"=", b":", b"...", b"None",
          b"#fx.operand", b"!fx.any", b"tensor<", b"fx.output", b"\"", b"-", b"slice(", b"@"]
mutations = 0
for i in range(240):
    data = bytearray(rng.choice(seeds))
    for _ in range(rng.randint(1, 3)):
        pos = rng.randrange(len(data))
        span = rng.randint(1, 12)
        kind = rng.randrange(3)
        if kind == 0:
            del data[pos:pos + span]
        elif kind == 1:
            data[pos:pos] = data[pos:pos + span]
        else:
            data[pos:pos + span] = rng.choice(tokens)
    check_no_crash(f"mutation-{i}", [fx_opt, "-"], bytes(data))
    mutations += 1

# Mutations of a runnable module go through the interpreter too: kernels meet odd arguments.
with open(os.path.join(examples, "my_module.mlir"), "rb") as f:
    runnable = f.read()
for i in range(80):
    data = bytearray(runnable)
    pos = rng.randrange(len(data))
    data[pos:pos + rng.randint(1, 4)] = rng.choice(
        [b"0", b"-1", b"7", b"(2, 3)", b"None", b"True", b"1.5", b"[1]", b"\"x\""])
    check_no_crash(f"run-mutation-{i}", [fx_run, "-", "--input", "3x4xf32"], bytes(data))
    mutations += 1

print(f"{len(inputs)} corpus files, {mutations} mutations")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
