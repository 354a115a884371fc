"""Zero-element tensors as inputs, intermediates and outputs of a compiled graph."""
import torch
import torch.nn.functional as F


class ZeroElements(torch.nn.Module):
    def forward(self, a, b, c):
        return (a.sum(1),                       # a sum over an empty dim: zeros
                torch.exp(a) * 2,               # zero-element elementwise, returned
                a @ b,                          # K = 0: zeros
                F.linear(a, torch.ones(5, 0)),  # K = 0 against a constant
                torch.cat([c[:, :0], c], 1),    # an empty slice in a cat
                torch.softmax(b, 1),
                b.t() + 1,                      # 4x0
                c[:0].sum(0),                   # (0, 3) -> zeros(3)
                c.narrow(0, 1, 0))              # an empty view of a non-empty input


def model():
    return ZeroElements()
