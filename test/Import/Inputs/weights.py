"""A model with known weights of several kinds (parameter, buffer, bf16 tensor constant); run
as a script, it checks the files --save-io wrote."""
import sys

import torch


class Small(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = torch.nn.Parameter(torch.tensor([1.0, 2.0, 3.0]))
        self.register_buffer("steps", torch.tensor([5, 6]))
        self.fc = torch.nn.Linear(3, 2)

    def forward(self, x):
        y = self.fc(x * self.scale)
        return y + torch.tensor([1.5, -2.0], dtype=torch.bfloat16) + self.steps


if __name__ == "__main__":
    import numpy as np
    io = sys.argv[1]
    x = np.load(f"{io}/input0.npy")
    out = np.load(f"{io}/output0.npy")
    assert x.shape == (2, 3) and x.dtype == np.float32, (x.shape, x.dtype)
    g = torch.Generator().manual_seed(7)
    assert np.array_equal(x, torch.randn(2, 3, generator=g).numpy()), "input not from --seed 7"
    torch.manual_seed(7)
    m = Small().eval()
    ref = m(torch.from_numpy(x)).detach().numpy()
    assert np.allclose(out, ref), (out, ref)
    print("save-io ok")
