"""The bodies of torch.fx.wrap'ped functions, traced so that every backend can run them.

torch.fx keeps a call of a wrapped function (`torch.fx.wrap("fn")`, `@torch.fx.wrap`) as one
call_function node whose target is the Python function itself. For each such call of a plain
Python function (one defined outside torch, operator, math and builtins) that the op registry
does not know, `record_bodies` traces the function's body with torch.fx, as it was called: a
wrapper module whose forward takes one parameter per node among the call's arguments (named
after the function's parameter it is passed to) and calls the function with those and the
call's literal arguments in place. Bodies that call wrapped functions are recorded in turn. One
body serves all calls of the same function with the same argument structure (which arguments
are nodes, the literals' values).

A body torch.fx cannot trace (a branch on a shape, an assignment into a slice) is traced
again with make_fx on the values the call's arguments had when the importer ran the graph on
the example inputs (`call_values`, from its typing run): an aten-level graph in which shapes,
branches on them and Python numbers computed from them are those of the example, so that it
only serves calls of exactly those types (one such body per function, argument structure and
argument types). Control flow on tensor data still fails there.

The emitter writes each body as an `fx.graph` named after the function, next to `@forward`, and
links the calls to it with `fx.body`; a body neither tracer records is recorded as the reasons,
`fx.body_error`.
"""
import functools
import inspect
import json
import keyword
import os
import shutil
import subprocess
import types

import torch
import torch.fx

from . import compat

# Modules whose functions are ops (the registry's business) rather than user code to trace.
LIBRARY_MODULES = ("torch", "operator", "_operator", "math", "builtins")


@functools.lru_cache(maxsize=None)
def registered_targets():
    """The call_function spellings of FX-MLIR's op registry, from `fx-ops`: $FX_OPS, else the
    one next to the fx-opt that fx-import-torch uses ($FX_OPT), else on PATH; empty where there
    is no fx-ops to ask (wrapped functions the registry knows then get bodies too)."""
    fx_opt = os.environ.get("FX_OPT", "")
    fx_ops = os.environ.get("FX_OPS") or (
        os.path.join(os.path.dirname(fx_opt), "fx-ops") if os.path.dirname(fx_opt) else "")
    fx_ops = fx_ops if os.path.exists(fx_ops) else shutil.which("fx-ops")
    if not fx_ops:
        return frozenset()
    try:
        out = subprocess.run([fx_ops], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return frozenset()
    return frozenset(spelling for line in out.splitlines() if line.strip()
                     for spelling in json.loads(line)["spellings"])


def needs_body(node):
    """A call_function of a plain Python function outside torch/operator/math/builtins that the
    registry does not know (torchvision's stochastic_depth has a kernel): a wrapped user
    function, whose body the backends need."""
    target = node.target
    if node.op != "call_function" or not isinstance(target, types.FunctionType):
        return False
    module = getattr(target, "__module__", None) or ""
    if module.split(".")[0] in LIBRARY_MODULES:
        return False
    return node._pretty_print_target(target) not in registered_targets()


class Body:
    """One recorded body: its symbol in the graph module, the traced graph, and the module
    the tracer put tensor constants on (get_attr targets of the graph)."""

    def __init__(self, symbol, graph, root):
        self.symbol = symbol
        self.graph = graph
        self.root = root


class Bodies:
    """What `record_bodies` found: for each wrapped call node, its Body or the reason there is
    none (`body_of`, `error_of`), and every Body in the order they were recorded."""

    def __init__(self, call_values=None):
        self.call_values = call_values or {}  # Node -> the values of its operands, in order
        self.bodies = []
        self.body_of = {}  # Node -> Body
        self.error_of = {}  # Node -> str
        self._by_key = {}  # (function, argument structure) -> Body or error string
        self._in_progress = set()
        self._symbols = {"forward"}

    def record(self, node):
        """Traces the body of the wrapped function `node` calls (once per argument structure)
        and records the result for the node."""
        key = (node.target, structure_key(node.args, node.kwargs))
        result = self._once(key, lambda: self._trace(node))
        values = self.call_values.get(node)
        if not isinstance(result, Body) and values is not None:
            specialised = self._once(key + (types_key(values),),
                                     lambda: self._trace_specialised(node, values))
            result = specialised if isinstance(specialised, Body) else (
                f"{result}; traced with the example inputs' values: {specialised}")
        if isinstance(result, Body):
            self.body_of[node] = result
        else:
            self.error_of[node] = result

    def _once(self, key, trace):
        """The Body or error `trace()` gives, once per key."""
        if key in self._in_progress:
            return "the function calls itself with the same argument structure"
        if key not in self._by_key:
            self._in_progress.add(key)
            try:
                self._by_key[key] = trace()
            finally:
                self._in_progress.discard(key)
        return self._by_key[key]

    def record_graph(self, graph):
        for node in graph.nodes:
            if needs_body(node):
                self.record(node)

    def _trace(self, node):
        try:
            graph, root = trace_call(node.target, node.args, node.kwargs)
        except Exception as e:  # noqa: BLE001 - torch.fx's own reason is what the user needs
            return f"{type(e).__name__}: {e}".strip()
        body = Body(self._new_symbol(node._pretty_print_target(node.target)), graph, root)
        # The bodies of wrapped functions the body calls print before it.
        self.record_graph(graph)
        self.bodies.append(body)
        return body

    def _trace_specialised(self, node, values):
        try:
            graph, root = trace_specialised(node.target, node.args, node.kwargs, values)
        except Exception as e:  # noqa: BLE001 - make_fx's own reason, first line
            first_line = (str(e).strip().splitlines() or [""])[0]
            return f"{type(e).__name__}: {first_line}".strip()
        # All aten: no wrapped functions left to record inside.
        body = Body(self._new_symbol(node._pretty_print_target(node.target)), graph, root)
        self.bodies.append(body)
        return body

    def _new_symbol(self, name):
        symbol, n = name, 0
        while symbol in self._symbols:
            n += 1
            symbol = f"{name}#{n}"
        self._symbols.add(symbol)
        return symbol


def record_bodies(gm, call_values=None):
    """Records the bodies of the wrapped user functions that `gm`'s graph calls; `call_values`
    (Node -> its operands' values on the example inputs) lets bodies torch.fx cannot trace be
    traced specialised to those values."""
    bodies = Bodies(call_values)
    bodies.record_graph(gm.graph)
    return bodies


class _NodeMarker:
    def __repr__(self):
        return "<node>"


_NODE = _NodeMarker()


def structure_key(args, kwargs):
    """What a body depends on besides the node values: the arguments with nodes blanked out."""
    return repr(torch.fx.node.map_arg((args, kwargs), lambda _: _NODE))


def operand_values(node, env):
    """The values of `node`'s operands (the nodes among its arguments, in map_arg order) in
    `env` (Node -> value), tensors copied: later in-place updates must not change them."""
    operands = []
    torch.fx.node.map_arg((node.args, node.kwargs), lambda n: operands.append(n) or n)
    return [_copy_tensors(env[n]) for n in operands]


def _copy_tensors(value):
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, (tuple, list)):
        items = [_copy_tensors(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
    if isinstance(value, dict):
        return {k: _copy_tensors(v) for k, v in value.items()}
    return value


def types_key(values):
    """What a specialised body depends on besides the argument structure: the operands' types
    (shape and dtype of a tensor, the value of anything else)."""
    def key(v):
        if isinstance(v, torch.Tensor):
            return ("tensor", tuple(v.shape), v.dtype)
        if isinstance(v, (tuple, list)):
            return (type(v).__name__,) + tuple(key(x) for x in v)
        if isinstance(v, dict):
            return ("dict",) + tuple((k, key(x)) for k, x in v.items())
        return repr(v)
    return tuple(key(v) for v in values)


def _substitute(value, take):
    """`value` with each node replaced by take(), in map_arg order, as plain Python containers
    (torch.fx's immutable lists and dicts would refuse the function's own mutations)."""
    if isinstance(value, torch.fx.Node):
        return take()
    if isinstance(value, tuple):
        items = tuple(_substitute(v, take) for v in value)
        return type(value)(*items) if hasattr(value, "_fields") else items
    if isinstance(value, list):
        return [_substitute(v, take) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, take) for k, v in value.items()}
    if isinstance(value, slice):
        return slice(*(_substitute(v, take) for v in (value.start, value.stop, value.step)))
    return value


def placeholder_names(fn, args, kwargs):
    """One name per node among the arguments, in operand order: the parameter it is passed to,
    `<parameter>_<i>` for nodes inside a list, tuple or dict argument."""
    try:
        positional = [p.name for p in inspect.signature(fn).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        positional = []
    per_argument = [(positional[i] if i < len(positional) else f"arg{i}", a)
                    for i, a in enumerate(args)] + list(kwargs.items())
    names = []
    for parameter, value in per_argument:
        found = []
        torch.fx.node.map_arg(value, lambda n: found.append(n) or n)
        if isinstance(value, torch.fx.Node):
            names.append(parameter)
        else:
            names += [f"{parameter}_{i}" for i in range(len(found))]
    return _unique_identifiers(names)


def _unique_identifiers(names):
    taken, result = {"self"}, []
    for name in names:
        base = name if name.isidentifier() and not keyword.iskeyword(name) else "arg"
        candidate, n = base, 0
        while candidate in taken:
            n += 1
            candidate = f"{base}_{n}"
        taken.add(candidate)
        result.append(candidate)
    return result


def _named_caller(fn, args, kwargs, names, first=""):
    """A function `(first, *names)` calling fn(*args, **kwargs) with its parameters in place of
    the nodes among the arguments: both tracers name placeholders after its parameters."""
    def call(values):
        supply = iter(values)
        a, kw = _substitute((args, kwargs), lambda: next(supply))
        return fn(*a, **kw)

    params = ", ".join(names)
    signature = ", ".join(p for p in (first, params) if p)
    source = f"def body({signature}):\n    return call(({params}{',' if names else ''}))\n"
    namespace = {"call": call}
    exec(compile(source, f"<body of {fn.__qualname__}>", "exec"), namespace)
    return namespace["body"]


def trace_call(fn, args, kwargs):
    """torch.fx's graph of `fn(*args, **kwargs)` with the nodes among the arguments as
    placeholders and the literals as they are; returns (graph, the traced root module)."""
    forward = _named_caller(fn, args, kwargs, placeholder_names(fn, args, kwargs), "self")
    wrapper = type(fn.__name__, (torch.nn.Module,), {"forward": forward})()
    tracer = torch.fx.Tracer()
    with compat.tracing():
        graph = tracer.trace(wrapper)
    return graph, tracer.root


def _reshape_alias_as_view(self, size, stride):
    """aten._reshape_alias, which reshape makes of a tensor it can view: the view itself (its
    strides are the contiguous ones of `size` wherever the values are concerned)."""
    del stride
    return torch.ops.aten.view.default(self, size)


def trace_specialised(fn, args, kwargs, values):
    """make_fx's aten graph of `fn(*args, **kwargs)` run on `values` in place of the nodes
    among the arguments (one placeholder each, named as trace_call names them): branches on
    shapes and numbers computed from them are resolved for these values; an in-place update
    stays one (fx-functionalize rewrites them). Returns (graph, the module holding its tensor
    constants)."""
    from torch.fx.experimental.proxy_tensor import make_fx

    names = placeholder_names(fn, args, kwargs)
    decompositions = {torch.ops.aten._reshape_alias.default: _reshape_alias_as_view}
    with torch.no_grad():
        gm = make_fx(_named_caller(fn, args, kwargs, names),
                     decomposition_table=decompositions)(*values)
    # make_fx names placeholders `<parameter>_1`; what they stand for is the parameter.
    placeholders = [n for n in gm.graph.nodes if n.op == "placeholder"]
    for node, name in zip(placeholders, names):
        node.target = name
    return gm.graph, gm
