"""Modules that unpack proxies (`b, c, h, w = x.shape`, `h, _ = self.lstm(x)`): torch 1.13's
torch.fx traces them on Python <= 3.10 and, through fx_mlir.compat, on 3.11 too."""
import torch


class ShapeUnpack(torch.nn.Module):
    """Unpacks a size and a module's tuple output, both as torch.fx's UNPACK_SEQUENCE path does."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, padding=1)

    def forward(self, x):
        b, c, h, w = x.shape
        y = self.conv(x).reshape(b, -1, h * w)
        mean, var = y.mean(-1), y.var(-1)
        return mean + var, c


class LSTMUnpack(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(4, 8, batch_first=True)

    def forward(self, x):
        h, _ = self.lstm(x)
        return h
