"""Compile torchvision's resnet18 with fx_mlir.compile and time it against PyTorch eager.

    /usr/bin/python3 examples/compile_resnet18.py [--size 224] [--repeat 20] [--threads 1]

From the source tree it finds the tools in build/bin (or FX_MLIR_TOOLS); a second run takes the
library from the cache (~/.cache/fx_mlir or FX_MLIR_CACHE_DIR). Compiled graphs run on one
thread; --threads sets PyTorch's for eager (default 1, the same footing).
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "frontend",
                                "python"))

import torch  # noqa: E402
import torchvision  # noqa: E402

import fx_mlir  # noqa: E402


def median_seconds(function, x, repeat):
    function(x)  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(x)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=224, help="input height and width")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1, help="PyTorch threads for eager")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    torch.manual_seed(0)
    model = torchvision.models.resnet18().eval()
    x = torch.randn(1, 3, args.size, args.size)

    start = time.perf_counter()
    compiled = fx_mlir.compile(model, (x,), check=True)
    print(f"fx_mlir.compile: {time.perf_counter() - start:.2f} s "
          f"({'from the cache' if compiled.cache_hit else 'compiled'}; checked against eager)")

    with torch.no_grad():
        eager = median_seconds(model, x, args.repeat)
    ours = median_seconds(compiled, x, args.repeat)
    print(f"resnet18 1x3x{args.size}x{args.size}, median of {args.repeat}: "
          f"eager {eager * 1e3:.1f} ms ({args.threads} thread(s)), "
          f"fx_mlir {ours * 1e3:.1f} ms (1 thread), ratio {ours / eager:.2f}x")


if __name__ == "__main__":
    main()
