"""Calls of torch.fx.wrap'ped functions, which torch.fx keeps as call_function nodes of the
functions themselves: the importer records their bodies (fx-import-torch), the interpreter runs
them and fx-inline-functions inlines them for the compiled backends."""
import torch
import torch.fx


def _offset(x, amount):
    return x + amount


torch.fx.wrap("_offset")


def gated(x, weight, scale, *, shift=0.5, gate=True):
    """A tensor, a parameter, a literal and keywords (one left to its default); the literals
    are decided while tracing (`if gate`), and it calls another wrapped function."""
    y = torch.nn.functional.linear(x, weight) * scale
    if gate:
        y = torch.sigmoid(y) * y
    return _offset(y, shift)


torch.fx.wrap("gated")


@torch.fx.wrap
def halves(x):
    """Returns a tuple, which the caller unpacks."""
    a, b = x.chunk(2, dim=-1)
    return a, b


def sign_flip(x):
    """Control flow on a traced value: torch.fx cannot record this body."""
    if x.sum() > 0:
        return x
    return -x


torch.fx.wrap("sign_flip")


def weighted(x, k):
    """A tensor the body makes: a tensor constant of the root."""
    return x * torch.tensor([1.0, -2.0, 3.0]) + k


torch.fx.wrap("weighted")


class WrappedCalls(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(6, 4))

    def forward(self, x):
        h = gated(x, self.weight, 2.0, shift=-1.0)
        # Other literals: a second body; the same structure again: the first body.
        g = gated(h[..., :4], self.weight, 0.5, gate=False)
        k = gated(x, self.weight, 2.0, shift=-1.0)
        a, b = halves(h)
        return torch.cat([a * b, b], -1) + g.sum() + k


class Untraceable(torch.nn.Module):
    def forward(self, x):
        return sign_flip(x) + 1


class BodyConstants(torch.nn.Module):
    def forward(self, x):
        return weighted(x, 1) + weighted(x, k=2)


def windowed_mask(x, window: int, shift: int):
    """Swin's shifted-window attention in small: a branch on a shape (torch.fx cannot trace
    it) and a mask filled by assignments into slices of a fresh tensor, which is read after;
    the importer records its body with make_fx on the example values."""
    n = x.shape[1]
    if window >= n:  # one window covers everything: nothing to shift
        shift = 0
    mask = x.new_zeros((n, n))
    if shift > 0:
        count = 0
        for s in (slice(0, -window), slice(-window, -shift), slice(-shift, None)):
            mask[s, s] = count
            count += 1
        mask[0, :].add_(0.5)
    return torch.softmax(x @ x.transpose(-2, -1) + mask, dim=-1)


torch.fx.wrap("windowed_mask")


class ShapeBranch(torch.nn.Module):
    def forward(self, x):
        return windowed_mask(x, 2, 1) + windowed_mask(x, 8, 1)
