"""Writes arrays with numpy in every layout it uses, reads each through fx-run (an identity
graph, --output-dir) and checks the output against the array: same dtype, shape and values.

usage: check_npy.py FX_RUN WORK_DIR
"""
import os
import subprocess
import sys

import numpy as np

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def layouts(a):
    """(name, array as np.save gets it) for each layout of `a` (a C-ordered array)."""
    yield "c", a
    yield "fortran", np.asfortranarray(a)
    yield "transposed", a.T
    big = a.astype(a.dtype.newbyteorder(">"))
    yield "big-endian", big
    yield "big-endian-fortran", np.asfortranarray(big)


def arrays(dtype):
    rng = np.random.default_rng(0)
    for shape in [(), (5,), (3, 4), (2, 3, 4), (2, 1, 3, 2), (0, 3)]:
        if dtype == "bool":
            yield rng.integers(0, 2, shape).astype(bool)
        elif dtype.startswith("float"):
            yield (rng.standard_normal(shape) * 100).astype(dtype)
        else:
            info = np.iinfo(dtype)
            # int64 within 2^53: fx-run's tensors are exact there
            low, high = max(info.min, -2**53), min(info.max, 2**53)
            yield rng.integers(low, high, shape, dtype=dtype, endpoint=True)


def main():
    fx_run, work = sys.argv[1], sys.argv[2]
    identity = os.path.join(os.path.dirname(os.path.abspath(__file__)), "identity.mlir")
    os.makedirs(work, exist_ok=True)
    failures, count = [], 0
    for dtype in DTYPES:
        for i, a in enumerate(arrays(dtype)):
            for layout, saved in layouts(a):
                name = f"{dtype}-{i}-{layout}"
                path = os.path.join(work, name + ".npy")
                np.save(path, saved)
                out = os.path.join(work, name)
                run = subprocess.run([fx_run, identity, "--input", path, "--output-dir", out],
                                     capture_output=True, text=True)
                count += 1
                if run.returncode != 0:
                    failures.append(f"{name}: fx-run failed: {run.stderr.strip()}")
                    continue
                got = np.load(os.path.join(out, "output0.npy"))
                want = np.asarray(saved)
                if (got.dtype != want.dtype.newbyteorder("=") or got.shape != want.shape or
                        not np.array_equal(got, want, equal_nan=True)):
                    failures.append(f"{name}: read {got.dtype}{got.shape} {got.ravel()[:6]}, "
                                    f"numpy has {want.dtype}{want.shape} {want.ravel()[:6]}")
    for f in failures:
        print(f)
    print(f"{count - len(failures)} of {count} .npy files read as numpy wrote them")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
