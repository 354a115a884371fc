"""Sample calls of registry entries (OpInfo::samples), as PyTorch eager sees them.

A sample is a Python argument list in which T(*shape, dtype="f32", low=None, high=None) stands for
a tensor drawn from a seeded generator: "T(2, 3), T(3)", "T(4, 5), dim=-1, keepdim=True",
"[T(2), T(2)], 0". `torch` is in scope (dtype=torch.float64). A spelling is a registry target:
"torch.add", "operator.add", "math.sqrt", or "method:add" for the Tensor method.
"""
import importlib
import math
import operator

import torch

DTYPES = {
    "f32": torch.float32, "f64": torch.float64, "f16": torch.float16, "bf16": torch.bfloat16,
    "i64": torch.int64, "i32": torch.int32, "i16": torch.int16, "i8": torch.int8,
    "ui8": torch.uint8, "i1": torch.bool, "bool": torch.bool,
}


class T:
    """A tensor argument of a sample: its shape, dtype and value range."""

    def __init__(self, *shape, dtype="f32", low=None, high=None):
        if dtype not in DTYPES:
            raise ValueError(f"T(): unknown dtype '{dtype}' (one of {', '.join(DTYPES)})")
        self.shape, self.dtype, self.low, self.high = tuple(shape), DTYPES[dtype], low, high

    def make(self, generator):
        if self.dtype == torch.bool:  # low=1: all True
            low = 0 if self.low is None else int(self.low)
            high = 2 if self.high is None else int(self.high)
            return torch.randint(low, high, self.shape, generator=generator).bool()
        if not self.dtype.is_floating_point:
            low = 0 if self.low is None else int(self.low)
            high = 10 if self.high is None else int(self.high)
            return torch.randint(low, high, self.shape, generator=generator, dtype=self.dtype)
        x = torch.randn(self.shape, generator=generator, dtype=torch.float64)
        if self.low is not None or self.high is not None:
            low = -1.0 if self.low is None else self.low
            high = 1.0 if self.high is None else self.high
            x = low + (high - low) * torch.rand(self.shape, generator=generator,
                                                dtype=torch.float64)
        return x.to(self.dtype)

    def __repr__(self):
        return f"T{self.shape}"


def parse(sample):
    """(args, kwargs) of a sample, tensors still as T specs."""
    env = {"T": T, "torch": torch, "math": math, "__builtins__": {"slice": slice, "list": list, "Ellipsis": Ellipsis}}
    return eval(f"(lambda *a, **k: (list(a), k))({sample})", env)  # noqa: S307 - our own strings


def map_specs(value, fn):
    """`value` with each T spec replaced by fn(spec), through tuples, lists and dicts."""
    if isinstance(value, T):
        return fn(value)
    if isinstance(value, (list, tuple)):
        return type(value)(map_specs(v, fn) for v in value)
    if isinstance(value, dict):
        return {k: map_specs(v, fn) for k, v in value.items()}
    return value


def resolve(spelling):
    """("method", name) for a Tensor method, else ("function", the Python callable); None where
    this PyTorch lacks the target."""
    if spelling.startswith("method:"):
        name = spelling[len("method:"):]
        return ("method", name) if hasattr(torch.Tensor, name) else None
    parts = spelling.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        try:
            for attr in parts[i:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return ("function", obj)
    return None


def call(spelling, args, kwargs):
    """Runs a spelling eagerly on concrete arguments."""
    kind, target = resolve(spelling)
    if kind == "method":
        return getattr(args[0], target)(*args[1:], **kwargs)
    return target(*args, **kwargs)


def map_specs_values(value, fn):
    """`value` with each leaf replaced by fn(leaf), through tuples, lists and dicts (tensors are
    leaves)."""
    if isinstance(value, (list, tuple)):
        return type(value)(map_specs_values(v, fn) for v in value)
    if isinstance(value, dict):
        return {k: map_specs_values(v, fn) for k, v in value.items()}
    return fn(value)
