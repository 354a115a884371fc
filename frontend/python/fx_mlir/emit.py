"""torch.fx GraphModule -> fx dialect text.

The module tree becomes nested `fx.submodule`s (type and constructor hyper-parameters), every
parameter, buffer and tensor constant an `fx.parameter`/`fx.buffer`/`fx.tensor_constant` (values
as `dense_resource` blobs, or declarations only), and each node one op named after it.
"""
import inspect
import re
import sys

import torch
import torch.fx

from .functions import Bodies, record_bodies
from .literals import (UnsupportedLiteral, format_literal, is_literal, mlir_string,
                       tensor_type, value_type)


class ImportError_(Exception):
    """An importer error with a message for the user."""


def module_type_name(module):
    cls = type(module)
    # Prefer the public name (torch.nn.Conv2d) over the defining module (torch.nn.modules.conv).
    for public in ("torch.nn", "torch.ao.nn"):
        ns = sys.modules.get(public)
        if ns is not None and getattr(ns, cls.__name__, None) is cls:
            return f"{public}.{cls.__name__}"
    return f"{cls.__module__}.{cls.__qualname__}"


# torch.nn modules that keep a constructor argument under another attribute name.
RENAMED_ATTRIBUTES = {("PairwiseDistance", "p"): "norm"}
# Attributes a module sets from its arguments beyond its constructor's named parameters
# (torch.nn.RNN takes *args and keeps `nonlinearity`).
EXTRA_ATTRIBUTES = {"RNN": ["nonlinearity"]}


def constructor_parameters(cls):
    """The named parameters of the first constructor in `cls`'s MRO that has some (torch.nn.RNN,
    LSTM and GRU forward *args, **kwargs to RNNBase's)."""
    for klass in cls.__mro__:
        try:
            params = inspect.signature(klass.__init__).parameters
        except (TypeError, ValueError):
            return {}
        named = {k: p for k, p in params.items()
                 if k != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
        if named:
            return named
    return {}


def hyperparameter_value(value):
    """A recordable form of an attribute, or None: literals as they are, torch.nn.functional's
    functions (a transformer layer's activation) by their qualified name."""
    if isinstance(value, (torch.Tensor, torch.nn.Module)):
        return None
    if is_literal(value):
        return value
    function = getattr(torch.nn.functional, getattr(value, "__name__", ""), None)
    if callable(value) and function is value:
        return f"torch.nn.functional.{value.__name__}"
    return None


def hyperparameters(module):
    """Constructor keyword arguments that the module keeps as attributes, in signature order."""
    kind = type(module).__name__
    names = list(constructor_parameters(type(module))) + EXTRA_ATTRIBUTES.get(kind, [])
    result = []
    for name in names:
        if name in ("device", "dtype"):
            continue
        if name == "bias" and hasattr(module, "bias") and not isinstance(module.bias, bool):
            result.append((name, module.bias is not None))
            continue
        attribute = RENAMED_ATTRIBUTES.get((kind, name), name)
        if not hasattr(module, attribute):
            continue
        value = hyperparameter_value(getattr(module, attribute))
        if value is not None or getattr(module, attribute) is None:
            result.append((name, value))
    return result


class WeightsFile:
    """Raw weights beside the IR text, for fx-opt's fx-attach-weights: each blob written once,
    straight from the tensor's memory, at a 64-byte aligned offset; then the index
    (`key<TAB>offset<TAB>size<TAB>alignment` lines) and a 32-byte trailer giving its offset.
    Hex text costs time to write and parse and several copies in memory; this is disk speed."""
    ALIGN = 64

    def __init__(self, f):
        self.f, self.index = f, []

    def add(self, key, align, array):
        position = self.f.tell()
        self.f.write(b"\0" * (-position % self.ALIGN))
        data = memoryview(array).cast("B") if array.size else b""
        self.index.append((key, position + (-position % self.ALIGN), len(data), align))
        self.f.write(data)

    def finish(self):
        start = self.f.tell()
        self.f.write("".join(f"{k}\t{o}\t{n}\t{a}\n" for k, o, n, a in self.index).encode())
        self.f.write(f"FXWEIGHTS1 {start:020d}\n".encode())


def resource_key(name):
    """A dense_resource key, bare where MLIR's lexer takes it as one word (as fx-opt prints it)."""
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.$]*", name) else mlir_string(name)


def symbol(name):
    return "@" + (name if name.isidentifier() else mlir_string(name))


class Emitter:
    def __init__(self, gm, root, with_weights=True, node_types=None, bodies=None,
                 weights_file=None):
        # The module tree comes from the traced root: a GraphModule keeps only plain
        # torch.nn.Module stand-ins for the containers on the paths it uses.
        self.gm = gm
        self.root = root
        self.with_weights = with_weights
        self.node_types = node_types or {}
        self.bodies = bodies or Bodies()
        self.blobs = []  # (key, alignment, bytes)
        self.weights_file = weights_file
        self.lines = []
        param_ids = {id(p) for p in gm.parameters()}
        buffer_ids = {id(b) for b in gm.buffers()}
        self.kind_of = lambda t: ("parameter" if id(t) in param_ids else
                                  "buffer" if id(t) in buffer_ids else "tensor_constant")

    def emit(self, name):
        self.lines.append(f"fx.graph_module {symbol(name)} {{")
        self.declare_body_constants()
        self.emit_module_body(self.root, "", 1)
        self.emit_graph(self.gm.graph, "forward", 1)
        for body in self.bodies.bodies:
            self.emit_graph(body.graph, body.symbol, 1)
        self.lines.append("}")
        if self.blobs:
            self.lines.append("")
            self.lines.append("{-#")
            self.lines.append("  dialect_resources: {")
            self.lines.append("    builtin: {")
            entries = [f"      {resource_key(k)}: \"0x{align.to_bytes(4, 'little').hex().upper()}{data.hex().upper()}\""
                       for k, align, data in self.blobs]
            self.lines.append(",\n".join(entries))
            self.lines.append("    }")
            self.lines.append("  }")
            self.lines.append("#-}")
        return "\n".join(self.lines) + "\n"

    # -- containers -------------------------------------------------------------------------

    def emit_tensor(self, kind, name, qualname, tensor, indent):
        pad = "  " * indent
        tensor = tensor.detach()
        ty = tensor_type(tuple(tensor.shape), tensor.dtype)
        line = f"{pad}fx.{kind} {symbol(name)} : {ty}"
        if self.with_weights:
            data = tensor.contiguous().cpu()
            array = (data.view(torch.int16) if data.dtype == torch.bfloat16 else data).numpy()
            align = max(data.element_size(), 1)
            if self.weights_file is not None:
                self.weights_file.add(qualname, align, array)
            else:
                self.blobs.append((qualname, align, array.tobytes()))
            line += f" = dense_resource<{resource_key(qualname)}>"
        self.lines.append(line)

    def emit_module_body(self, module, prefix, indent):
        pad = "  " * indent
        for name, p in module._parameters.items():
            if p is not None:
                self.emit_tensor("parameter", name, prefix + name, p, indent)
        for name, b in module._buffers.items():
            if b is not None:
                self.emit_tensor("buffer", name, prefix + name, b, indent)
        # Plain tensor attributes that the graph reads (torch.fx's _tensor_constantN).
        if prefix == "":
            for node in self.gm.graph.nodes:
                if node.op != "get_attr":
                    continue
                owner_path, _, attr = node.target.rpartition(".")
                owner = self.gm.get_submodule(owner_path) if owner_path else self.gm
                value = getattr(owner, attr, None)
                if not isinstance(value, torch.Tensor):
                    raise ImportError_(
                        f"get_attr {node.target} reads a {type(value).__qualname__}; only "
                        f"tensor attributes have a counterpart in the fx dialect")
                # Tensors the tracer met (torch.fx's _tensor_constantN) are attributes of the
                # GraphModule only; the root's own parameters and buffers come with its tree.
                root_owner = self.root.get_submodule(owner_path) if owner_path else self.root
                if attr not in root_owner._parameters and attr not in root_owner._buffers:
                    self.pending_constants.setdefault(owner_path, []).append((attr, value))
        for name, child in module._modules.items():
            if child is None:
                continue
            hp = hyperparameters(child)
            args = ""
            if hp:
                args = "(" + ", ".join(f"{k} = {format_literal(v, None)}" for k, v in hp) + ")"
            head = f"{pad}fx.submodule {symbol(name)} {mlir_string(module_type_name(child))}{args}"
            start = len(self.lines)
            self.lines.append(head + " {")
            self.emit_module_body(child, prefix + name + ".", indent + 1)
            if len(self.lines) == start + 1:
                self.lines[-1] = head
            else:
                self.lines.append(pad + "}")
        path = prefix[:-1]
        for attr, value in self.pending_constants.pop(path, []):
            self.emit_tensor("tensor_constant", attr, prefix + attr, value, indent)

    pending_constants = None

    def declare_body_constants(self):
        """Tensors a wrapped function's body reads (torch.fx's _tensor_constantN on the traced
        wrapper) become tensor constants of the root under fresh names."""
        taken = lambda n: hasattr(self.gm, n) or hasattr(self.root, n)
        count = 0
        for body in self.bodies.bodies:
            for node in body.graph.nodes:
                if node.op != "get_attr":
                    continue
                value = body.root
                for atom in node.target.split("."):
                    value = getattr(value, atom, None)
                if not isinstance(value, torch.Tensor):
                    raise ImportError_(
                        f"the body of {body.symbol} reads {node.target}, a "
                        f"{type(value).__qualname__}; only tensor attributes have a counterpart "
                        f"in the fx dialect")
                while taken(f"_function_constant{count}"):
                    count += 1
                node.target = f"_function_constant{count}"
                count += 1
                self.pending_constants.setdefault("", []).append((node.target, value))

    # -- the graph ----------------------------------------------------------------------------

    def type_of(self, node):
        return self.node_types.get(node, "!fx.any")

    def node_attributes(self, node):
        """The discardable attributes of a node: the Python annotation torch.fx recorded
        (node.type), the torch.fx.wrap mark, the recorded body of a wrapped function or why
        there is none."""
        attrs = []
        if node in self.bodies.body_of:
            attrs.append(f"fx.body = {symbol(self.bodies.body_of[node].symbol)}")
        if node in self.bodies.error_of:
            attrs.append(f"fx.body_error = {mlir_string(self.bodies.error_of[node])}")
        if node.type is not None:
            attrs.append("fx.type = " + mlir_string(torch.fx.node._type_repr(node.type)))
        is_call = node.op in ("call_function", "call_method", "call_module")
        if is_call and node.meta.get("is_wrapped"):
            attrs.append("fx.wrapped")
        return " {" + ", ".join(attrs) + "}" if attrs else ""

    def emit_graph(self, graph, graph_symbol, indent):
        pad = "  " * indent
        self.lines.append(f"{pad}fx.graph {symbol(graph_symbol)} {{")
        pad2 = pad + "  "
        name = lambda n: n.name
        for node in graph.nodes:
            ty = self.type_of(node)
            ann = self.node_attributes(node)
            if node.op == "placeholder":
                default = ""
                if node.args:
                    default = " default " + format_literal(node.args[0], name)
                self.lines.append(f"{pad2}%{node.name} = fx.placeholder "
                                  f"{mlir_string(node.target)}{default}{ann} : {ty}")
            elif node.op == "get_attr":
                self.lines.append(f"{pad2}%{node.name} = fx.get_attr {mlir_string(node.target)}{ann} : {ty}")
            elif node.op in ("call_function", "call_method", "call_module"):
                target = node._pretty_print_target(node.target)
                parts = [format_literal(a, name) for a in node.args]
                parts += [f"{k} = {format_literal(v, name)}" for k, v in node.kwargs.items()]
                operands = []
                torch.fx.node.map_arg((node.args, node.kwargs), lambda n: operands.append(n) or n)
                fn_type = "(" + ", ".join(self.type_of(o) for o in operands) + f") -> {ty}"
                self.lines.append(f"{pad2}%{node.name} = fx.{node.op} {mlir_string(target)}"
                                  f"({', '.join(parts)}){ann} : {fn_type}")
            elif node.op == "output":
                operands = []
                torch.fx.node.map_arg(node.args[0], lambda n: operands.append(n) or n)
                types = (" : " + ", ".join(self.type_of(o) for o in operands)) if operands else ""
                self.lines.append(f"{pad2}fx.output {format_literal(node.args[0], name)}{ann}{types}")
            else:
                raise ImportError_(f"unknown opcode {node.op}")
        self.lines.append(f"{pad}}}")


def emit_graph_module(gm, root, name, with_weights=True, node_types=None, call_values=None,
                      weights_file=None):
    """The module's text; with `weights_file` (a WeightsFile), the weights go there raw and the
    text references them without a dialect_resources section (fx-attach-weights joins them)."""
    e = Emitter(gm, root, with_weights, node_types, record_bodies(gm, call_values), weights_file)
    e.pending_constants = {}
    try:
        return e.emit(name)
    except UnsupportedLiteral as err:
        raise ImportError_(f"no counterpart in the fx dialect for {err}") from None
