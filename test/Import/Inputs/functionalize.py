"""A model that updates tensors in place (fx-functionalize's end-to-end check).

torch 1.13's Proxy has no __setitem__, so `y[i] = v` cannot be traced; `torch.fx.wrap` of
operator.setitem records the very node (`operator.setitem(y, i, v)`) that `y[i] = v` stands for
in graphs from other tracers.
"""
from operator import setitem

import torch
import torch.fx
import torch.nn.functional as F

torch.fx.wrap("setitem")


class InPlace(torch.nn.Module):
    def forward(self, x):
        y = x.clone()
        y.mul_(2)
        setitem(y, 0, 5.0)                                     # y[0] = 5
        setitem(y, (slice(None), slice(1, 3)), y[:, 1:3] + 1)  # y[:, 1:3] += 1
        y.add_(x.double(), alpha=0.5)                          # y stays float32
        torch.relu_(y)
        w = torch.zeros_like(x)
        w.copy_(y[-1])                                         # a row broadcast into w
        w.mul_(3)
        u = torch.ones_like(x)
        u.fill_(0.25)
        F.relu(x, inplace=True)                                # x itself changes
        return y + w + u + x
