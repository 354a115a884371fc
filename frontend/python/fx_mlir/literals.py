"""Python values -> the fx dialect's custom syntax for node arguments and types."""
import math

import torch
import torch.fx

# torch dtype -> (MLIR element type, torch.fx name)
DTYPES = {
    torch.float32: ("f32", "float32"),
    torch.float64: ("f64", "float64"),
    torch.float16: ("f16", "float16"),
    torch.bfloat16: ("bf16", "bfloat16"),
    torch.int64: ("i64", "int64"),
    torch.int32: ("i32", "int32"),
    torch.int16: ("i16", "int16"),
    torch.int8: ("i8", "int8"),
    torch.uint8: ("ui8", "uint8"),
    torch.bool: ("i1", "bool"),
    torch.complex64: ("complex<f32>", "complex64"),
    torch.complex128: ("complex<f64>", "complex128"),
}


class UnsupportedLiteral(Exception):
    pass


def mlir_string(s):
    """A string literal as MLIR's lexer reads it (escapes as \\XX hex)."""
    out = ['"']
    for ch in s.encode("utf-8"):
        c = chr(ch)
        if c in '"\\' or ch < 0x20 or ch >= 0x7F:
            out.append("\\%02X" % ch)
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def mlir_float(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    r = repr(float(v))
    # MLIR's lexer needs a '.' in the mantissa: 1e-05 -> 1.0e-05.
    if "e" in r and "." not in r.split("e")[0]:
        m, e = r.split("e")
        r = m + ".0e" + e
    return r


def format_literal(value, node_name):
    """Formats a torch.fx argument; `node_name(node)` gives the SSA name of a Node."""
    if isinstance(value, torch.fx.Node):
        return "%" + node_name(value)
    if value is None:
        return "None"
    if value is Ellipsis:
        return "..."
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return mlir_float(value)
    if isinstance(value, str):
        return mlir_string(value)
    if isinstance(value, torch.dtype):
        if value not in DTYPES:
            raise UnsupportedLiteral(f"dtype {value}")
        return "torch." + DTYPES[value][1]
    if isinstance(value, torch.device):
        return "device(" + mlir_string(str(value)) + ")"
    if isinstance(value, (torch.memory_format, torch.layout)):
        return str(value)
    if isinstance(value, slice):
        parts = (value.start, value.stop, value.step)
        return "slice(" + ", ".join(format_literal(p, node_name) for p in parts) + ")"
    if isinstance(value, tuple):
        items = [format_literal(v, node_name) for v in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(format_literal(v, node_name) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(
            format_literal(k, node_name) + ": " + format_literal(v, node_name)
            for k, v in value.items()) + "}"
    raise UnsupportedLiteral(f"argument of type {type(value).__qualname__}: {value!r}")


def is_literal(value):
    try:
        format_literal(value, lambda n: n.name)
        return not _contains_node(value)
    except UnsupportedLiteral:
        return False


def _contains_node(value):
    found = []
    torch.fx.node.map_arg(value, lambda n: found.append(n) or n)
    return bool(found)


def tensor_type(shape, dtype):
    if dtype not in DTYPES:
        raise UnsupportedLiteral(f"tensors of dtype {dtype}")
    dims = "".join(f"{d}x" for d in shape)
    return f"tensor<{dims}{DTYPES[dtype][0]}>"


def value_type(value):
    """The fx dialect type of a runtime value (what ShapeProp found for a node)."""
    if isinstance(value, torch.Tensor):
        return tensor_type(tuple(value.shape), value.dtype)
    if isinstance(value, bool):
        return "!fx.bool"
    if isinstance(value, int):
        return "!fx.int"
    if isinstance(value, float):
        return "!fx.float"
    if value is None:
        return "!fx.none"
    if isinstance(value, str):
        return "!fx.str"
    if isinstance(value, torch.dtype):
        return "!fx.dtype"
    if isinstance(value, torch.device):
        return "!fx.device"
    if isinstance(value, tuple):  # includes torch.Size
        return "!fx.tuple<" + ", ".join(value_type(v) for v in value) + ">"
    if isinstance(value, list):
        types = {value_type(v) for v in value}
        return "!fx.list<" + (types.pop() if len(types) == 1 else "!fx.any") + ">"
    return "!fx.any"
