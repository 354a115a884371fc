"""Seed corpora for the fuzzers, made from the project's test inputs (nothing binary is kept in
the repository): usage `make_seeds.py OUT_DIR FX_OPT`. Writes
  OUT_DIR/text/      every .mlir under test/ and examples/, split at `// -----`, and the
                     malformed corpus test/Corpus/Inputs (parser, passes, interpreter)
  OUT_DIR/bytecode/  the text seeds that fx-opt reads, as MLIR bytecode
  OUT_DIR/npy/       .npy files of every dtype numpy writes for the graph: C and Fortran order,
                     rank 0, empty, big-endian, format versions 1 and 2, truncated copies
  OUT_DIR/lowering/  one input per registered op for the structured lowering fuzzer (its
                     choice bytes come from the end of the input)
"""
import hashlib
import os
import subprocess
import sys

out, fx_opt = sys.argv[1], sys.argv[2]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write(kind, data):
    os.makedirs(os.path.join(out, kind), exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(out, kind, name), "wb") as f:
        f.write(data)
    return os.path.join(out, kind, name)


def text_seeds():
    paths = []
    for top in ("test", "examples"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            paths += [os.path.join(dirpath, f) for f in files if f.endswith(".mlir")]
    for path in sorted(paths):
        with open(path, "rb") as f:
            for part in f.read().split(b"\n// -----\n"):
                yield part


def npy_seeds():
    import numpy as np
    dtypes = ["?", "u1", "i1", "i2", "i4", "i8", "f2", "f4", "f8"]
    shapes = [(), (0,), (3,), (2, 3), (2, 0, 3), (1, 2, 3, 2)]
    for dtype in dtypes:
        for shape in shapes:
            a = (np.arange(int(np.prod(shape))) % 5 - 2).astype(dtype).reshape(shape)
            for array in (a, a.T, a.astype(np.dtype(dtype).newbyteorder(">"))):
                for version in ((1, 0), (2, 0)):
                    path = os.path.join(out, "scratch.npy")
                    with open(path, "wb") as f:
                        np.lib.format.write_array(f, array, version=version)
                    with open(path, "rb") as f:
                        data = f.read()
                    os.remove(path)
                    yield data
                    if shape == (2, 3) and version == (1, 0):
                        yield data[: len(data) - 3]  # a file that did not finish
                        yield data[:40]              # a cut header


def main():
    text = list(dict.fromkeys(text_seeds()))
    for data in text:
        path = write("text", data)
        os.makedirs(os.path.join(out, "bytecode"), exist_ok=True)
        bytecode = os.path.join(out, "bytecode", os.path.basename(path))
        if subprocess.run([fx_opt, "--emit-bytecode", path, "-o", bytecode],
                          capture_output=True).returncode != 0 and os.path.exists(bytecode):
            os.remove(bytecode)
    for data in npy_seeds():
        write("npy", data)
    # FuzzedDataProvider reads its integers from the end: the op index (two bytes, low first),
    # then zeros, which keep the op's first sample unchanged.
    ops = subprocess.run([os.path.join(os.path.dirname(fx_opt), "fx-ops")],
                         capture_output=True, text=True).stdout.count("\n")
    for i in range(ops or 400):
        write("lowering", bytes(62) + bytes([i & 255, i >> 8]))
    counts = {k: len(os.listdir(os.path.join(out, k))) for k in sorted(os.listdir(out))}
    print("seeds:", ", ".join(f"{k} {n}" for k, n in counts.items()))


main()
