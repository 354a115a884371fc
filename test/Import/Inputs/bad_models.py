"""Models that fail in the ways fx-import-torch must report."""
import torch


class ControlFlow(torch.nn.Module):
    def forward(self, x):
        if x.sum() > 0:
            return x
        return -x


def control_flow():
    return ControlFlow()


def not_a_module():
    return 42


def raises():
    raise RuntimeError("cannot build this model")


class NonTensorAttr(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = 2

    def forward(self, x):
        return x


def complex_literal():
    class M(torch.nn.Module):
        def forward(self, x):
            return x * complex(1, 2)
    return M()
