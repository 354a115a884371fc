"""A model that modifies its input in place; run as a script, it checks that --save-io wrote the
input as given (not as the importer's own runs left it) and eager's output for that input."""
import sys

import torch


class InPlace(torch.nn.Module):
    def forward(self, x):
        x.mul_(2)
        return x + 1


if __name__ == "__main__":
    import numpy as np
    io = sys.argv[1]
    x = np.load(f"{io}/input0.npy")
    out = np.load(f"{io}/output0.npy")
    g = torch.Generator().manual_seed(3)
    assert np.array_equal(x, torch.randn(2, 3, generator=g).numpy()), "input changed by a run"
    assert np.allclose(out, x * 2 + 1), (out, x * 2 + 1)
    print("save-io in-place ok")
