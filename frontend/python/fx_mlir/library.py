"""Calling a shared library from fx-compile with ctypes.

The library exports `fx_entries` ("name1,name2"), and per graph `<name>_signature`
("x:f32[1,3,8,8];y:i64[]->output0:f32[1,10]") and `void <name>_packed(void **buffers)`: one
pointer per input, then one per output, each a dense row-major buffer of the signature's
element type (i1 is one byte per element, as torch.bool). The graph reads the inputs and
writes the outputs; it keeps no pointer after it returns (runtime/lib/Entry.cpp).
"""
import ctypes
import os
import struct
import threading

import torch

ELEMENT_TYPES = {
    "f32": torch.float32, "f64": torch.float64, "f16": torch.float16, "i64": torch.int64,
    "i32": torch.int32, "i16": torch.int16, "i8": torch.int8, "ui8": torch.uint8,
    "i1": torch.bool,
}
TRAILER_MAGIC = b"FXLIB\0\0\1"
TRAILER_SIZE = 24


class TensorSpec:
    __slots__ = ("name", "dtype", "shape", "numel")

    def __init__(self, name, dtype, shape):
        self.name, self.dtype, self.shape = name, dtype, shape
        self.numel = 1
        for d in shape:
            self.numel *= d

    def describe(self):
        return f"{list(self.shape)} {str(self.dtype).replace('torch.', '')}"


def parse_spec(text):
    """'x:f32[1,3]' -> TensorSpec (the name may itself hold ':' and '.')."""
    colon = text.rfind(":")
    open_ = text.find("[", colon)
    if colon < 0 or open_ < 0 or not text.endswith("]"):
        raise ValueError(f"malformed tensor in a compiled signature: '{text}'")
    element = text[colon + 1:open_]
    if element not in ELEMENT_TYPES:
        raise ValueError(f"compiled entries do not support element type '{element}' yet")
    dims = text[open_ + 1:-1]
    shape = tuple(int(d) for d in dims.split(",")) if dims else ()
    return TensorSpec(text[:colon], ELEMENT_TYPES[element], shape)


def parse_signature(text):
    """'inputs->outputs', each a ';'-separated list of specs -> (input specs, output specs)."""
    inputs, arrow, outputs = text.partition("->")
    if not arrow:
        raise ValueError(f"malformed compiled signature: '{text}'")
    return ([parse_spec(s) for s in inputs.split(";") if s],
            [parse_spec(s) for s in outputs.split(";") if s])


def is_complete_library(path):
    """Whether `path` ends with fx-compile's trailer and is as long as the trailer says (a
    library cut short would be mapped by dlopen and crash on a page past its end)."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            f.seek(max(size - TRAILER_SIZE, 0))
            trailer = f.read(TRAILER_SIZE)
    except OSError:
        return False
    if len(trailer) != TRAILER_SIZE or trailer[:8] != TRAILER_MAGIC:
        return False
    (image_size,) = struct.unpack("<Q", trailer[8:16])
    return image_size + TRAILER_SIZE == size


_malloc_tuned = threading.Lock()
_malloc_done = []


def keep_freed_memory():
    """As fx-run does: compiled graphs malloc their intermediate buffers on each call, and
    glibc would otherwise hand blocks above 128 KiB back to the system on free, faulting every
    page in again on the next call (resnet18 ran 4x slower). Process-wide, done once."""
    with _malloc_tuned:
        if _malloc_done:
            return
        _malloc_done.append(True)
        try:
            libc = ctypes.CDLL(None)
            libc.mallopt(-3, 256 << 20)  # M_MMAP_THRESHOLD
            libc.mallopt(-1, 512 << 20)  # M_TRIM_THRESHOLD
        except (OSError, AttributeError):
            pass  # not glibc: only slower


class Library:
    """A loaded library and its first graph's entry and signature."""

    def __init__(self, path):
        if not is_complete_library(path):
            raise ValueError(f"'{path}' is not a complete library from fx-compile")
        keep_freed_memory()
        self.path = path
        self.handle = ctypes.CDLL(os.path.abspath(path), mode=os.RTLD_NOW | os.RTLD_LOCAL)
        self.name = self._string("fx_entries").split(",")[0]
        self.signature = self._string(self.name + "_signature")
        self.inputs, self.outputs = parse_signature(self.signature)
        self.entry = getattr(self.handle, self.name + "_packed")
        self.entry.argtypes = [ctypes.c_void_p]
        self.entry.restype = None

    def _string(self, symbol):
        """A `const char symbol[]` of the library (an array, not a pointer)."""
        try:
            start = ctypes.c_char.in_dll(self.handle, symbol)
        except ValueError:
            raise ValueError(f"'{self.path}' lacks {symbol}: not a library from fx-compile?") \
                from None
        return ctypes.string_at(ctypes.addressof(start)).decode()


def _structure_builder(example, leaf_index):
    """A function rebuilding the structure of `example` (a graph's result: tensors, numbers,
    tuples, lists, dicts, None, strings) from the list of compiled outputs. Tensors and numbers
    take the next output in order, as the compiler flattens them (importer.flatten_outputs):
    numbers come back as Python numbers; other leaves are constants."""
    if isinstance(example, torch.Tensor):
        i = next(leaf_index)
        return lambda outs: outs[i]
    if isinstance(example, (bool, int, float)):
        i, kind = next(leaf_index), type(example)
        return lambda outs: kind(outs[i].item())
    if isinstance(example, (tuple, list)):
        parts = [_structure_builder(v, leaf_index) for v in example]
        kind = type(example)  # tuple, list, torch.Size, a namedtuple
        if hasattr(example, "_fields"):
            return lambda outs: kind(*(p(outs) for p in parts))
        return lambda outs: kind([p(outs) for p in parts])
    if isinstance(example, dict):
        parts = [(k, _structure_builder(v, leaf_index)) for k, v in example.items()]
        return lambda outs: {k: p(outs) for k, p in parts}
    return lambda outs: example


def count_leaves(example):
    if isinstance(example, (torch.Tensor, bool, int, float)):
        return 1
    if isinstance(example, (tuple, list)):
        return sum(count_leaves(v) for v in example)
    if isinstance(example, dict):
        return sum(count_leaves(v) for v in example.values())
    return 0


def output_structure(example):
    """(number of compiled outputs, function from those outputs to the model's structure)."""
    count = count_leaves(example)
    return count, _structure_builder(example, iter(range(count)))


def _as_input_tensor(value, spec, position):
    """`value` as a contiguous CPU tensor matching `spec`, or a ValueError saying what was
    expected. numpy arrays are wrapped without a copy; Python numbers fill 0-d inputs."""
    if not isinstance(value, torch.Tensor):
        if hasattr(value, "__array_interface__"):
            import numpy as np
            value = torch.from_numpy(np.ascontiguousarray(value))
        elif isinstance(value, (bool, int, float)) and spec.shape == ():
            value = torch.tensor(value, dtype=spec.dtype)
        else:
            raise ValueError(f"input {position} ('{spec.name}') must be a tensor of "
                             f"{spec.describe()}, got a {type(value).__qualname__}")
    if value.dtype != spec.dtype or tuple(value.shape) != spec.shape:
        raise ValueError(f"input {position} ('{spec.name}') is {list(value.shape)} "
                         f"{str(value.dtype).replace('torch.', '')}; the graph was compiled "
                         f"for {spec.describe()}")
    if value.device.type != "cpu":
        raise ValueError(f"input {position} ('{spec.name}') is on {value.device}; the "
                         f"compiled graph takes CPU tensors")
    return value if value.is_contiguous() else value.contiguous()


class CompiledFunction:
    """A compiled graph as a callable: tensors (or numpy arrays) in, the model's output
    structure out. Contiguous CPU inputs of the compiled shape and dtype are passed without a
    copy (others are copied contiguous); outputs are fresh tensors the graph writes into.
    `weights` (with weights_as_inputs) are tensors passed after the inputs on every call:
    their current values are used. Not differentiable."""

    def __init__(self, library, example_output, weights=()):
        self.library = library
        self.signature = library.signature
        self._weights = list(weights)
        n_inputs = len(library.inputs) - len(self._weights)
        self._inputs = library.inputs[:n_inputs]
        count, self._rebuild = output_structure(example_output)
        if count != len(library.outputs):
            raise ValueError(f"the compiled graph returns {len(library.outputs)} tensors, but "
                             f"the model's result holds {count} tensors and numbers")
        self._single_tensor = isinstance(example_output, torch.Tensor)
        self._outputs = [(s.shape, s.dtype) for s in library.outputs]
        self._buffers_type = ctypes.c_void_p * (len(library.inputs) + len(library.outputs))
        self._entry = library.entry
        self._check_weights()

    def _check_weights(self):
        for spec, w in zip(self.library.inputs[len(self._inputs):], self._weights):
            if w.dtype != spec.dtype or tuple(w.shape) != spec.shape or not w.is_contiguous():
                raise ValueError(f"weight '{spec.name}' is {list(w.shape)} {w.dtype}; the "
                                 f"graph was compiled for {spec.describe()} (contiguous)")

    def __repr__(self):
        return f"<fx_mlir compiled {self.library.name}: {self.signature}>"

    @property
    def input_specs(self):
        """(name, shape, dtype) of each input the callable takes."""
        return [(s.name, s.shape, s.dtype) for s in self._inputs]

    def __call__(self, *args):
        if len(args) != len(self._inputs):
            raise ValueError(f"the compiled graph takes {len(self._inputs)} inputs ("
                             + ", ".join(f"{s.name}: {s.describe()}" for s in self._inputs)
                             + f"), got {len(args)}")
        inputs = []
        for i, (value, spec) in enumerate(zip(args, self._inputs)):
            if (type(value) is torch.Tensor and value.dtype is spec.dtype
                    and value.shape == spec.shape and value.is_contiguous()
                    and not value.is_cuda):
                inputs.append(value)  # the fast path: no copy, no further checks
            else:
                inputs.append(_as_input_tensor(value, spec, i))
        outputs = [torch.empty(shape, dtype=dtype) for shape, dtype in self._outputs]
        # Zero-element tensors may have no storage; the graph gets a one-byte buffer instead.
        spare = ctypes.c_int64()
        pointers = [t.data_ptr() or ctypes.addressof(spare)
                    for group in (inputs, self._weights, outputs) for t in group]
        self._entry(self._buffers_type(*pointers))
        if self._single_tensor:
            return outputs[0]
        return self._rebuild(outputs)
