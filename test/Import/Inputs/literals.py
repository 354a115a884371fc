"""A module that puts every literal kind, a tensor constant, a default, a type annotation, a
math autowrap, a wrapped function and a nested output through torch.fx."""
import math

import torch
import torch.fx


def scale_by(x, factor):
    return x * factor


torch.fx.wrap("scale_by")


class LiteralZoo(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, padding=1, bias=False)
        self.seq = torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Flatten(1))
        self.register_buffer("offset", torch.arange(4, dtype=torch.float32))
        self.w = torch.nn.Parameter(torch.ones(4))

    def forward(self, x: torch.Tensor, s, y=0.5):
        c = self.conv(x)
        t = c[:, 1:3, ..., None] * torch.tensor([2.0, -3.5])
        a = torch.sum(c, dim=(2, 3), keepdim=False, dtype=torch.float32) + self.offset + self.w
        b = a.clamp(min=-math.inf, max=1e-05) / (1 + math.sqrt(x.size(1)))
        d = scale_by(b, y).to(torch.device("cpu"), non_blocking=False)
        e = torch.cat([a, d], -1).reshape(-1).contiguous(memory_format=torch.contiguous_format)
        f = self.seq(c).masked_fill(self.seq(c) > 0.0, float("nan"))
        return (t, {"sum": e, "flat": [f, None, "str"]}, s * 2)
