"""Times PyTorch eager on a model the importer can load (MODULE:CALLABLE) with the inputs
saved by `fx-import-torch --save-io`, and matmuls. Prints the median in milliseconds.

usage: eager_time.py model SPEC IO_DIR REPEAT THREADS
       eager_time.py matmul N REPEAT THREADS
"""
import glob
import os
import statistics
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "frontend", "python"))


def median_ms(fn, repeat):
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


if sys.argv[1] == "matmul":
    n, repeat, threads = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    a, b = torch.rand(n, n), torch.rand(n, n)
    print("%.4f" % median_ms(lambda: torch.matmul(a, b), repeat))
else:
    from fx_mlir.importer import load_callable
    spec, io, repeat, threads = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = load_callable(spec)().eval()
    inputs = [torch.from_numpy(np.load(f)) for f in sorted(glob.glob(os.path.join(io, "input*.npy")))]
    with torch.no_grad():
        print("%.4f" % median_ms(lambda: model(*inputs), repeat))
