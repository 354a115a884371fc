"""Works around torch.fx 1.13 bugs on newer Pythons, for the importer and the tests that trace.

`Proxy.__iter__` in torch 1.13 decides whether `a, b = proxy` may be traced by looking at the
instruction that called it: `list(dis.get_instructions(code))[frame.f_lasti // 2]`. That index
is only right while every instruction is one 2-byte code unit. Python 3.11 puts inline CACHE
entries after many instructions; `get_instructions` hides them, so the list index drifts from
the byte offset and torch.fx raises "Proxy object cannot be iterated" (wrong instruction) or
IndexError (past the end) on `b, c, h, w = x.shape` or `h, _ = self.lstm(x)`. torch 2.0 fixed
it by searching the instruction list for the offset; `tracing()` does the same for 1.13.

Use `with tracing(): gm = torch.fx.symbolic_trace(model)`. On Python < 3.11, or with a torch
whose `Proxy.__iter__` is not 1.13's, it changes nothing, so the graph is exactly what torch.fx
produces wherever torch.fx already works.
"""
import contextlib
import dis
import inspect
import sys


def _needs_iter_fix(proxy_cls, torch_version):
    """True on Python >= 3.11 with torch 1.x's own Proxy.__iter__ (the f_lasti // 2 lookup)."""
    if sys.version_info < (3, 11) or int(torch_version.split(".")[0]) >= 2:
        return False
    # Only replace torch's definition: not one someone else (or an enclosing tracing()) put there.
    return proxy_cls.__iter__.__module__ == "torch.fx.proxy"


def _calling_instruction(frame):
    """The instruction `frame` is executing: f_lasti is its byte offset from Python 3.11 on
    (CACHE entries included), which is what dis reports as Instruction.offset."""
    return next((inst for inst in dis.get_instructions(frame.f_code)
                 if inst.offset == frame.f_lasti), None)


def _proxy_iter(self):
    """Proxy.__iter__ as torch 1.13 defines it, with the calling instruction found by offset."""
    frame = inspect.currentframe()
    calling_frame = frame.f_back if frame is not None else None
    inst = _calling_instruction(calling_frame) if calling_frame is not None else None
    if inst is not None and inst.opname == "UNPACK_SEQUENCE":
        return (self[i] for i in range(inst.argval))
    return self.tracer.iter(self)


@contextlib.contextmanager
def tracing():
    """Context for torch.fx tracing: fixes Proxy.__iter__ for its duration where it is broken
    (see the module docstring) and restores torch's own afterwards."""
    import torch
    from torch.fx.proxy import Proxy

    if not _needs_iter_fix(Proxy, torch.__version__):
        yield
        return
    original = Proxy.__dict__["__iter__"]
    Proxy.__iter__ = _proxy_iter
    try:
        yield
    finally:
        Proxy.__iter__ = original


def symbolic_trace(root, *args, **kwargs):
    """torch.fx.symbolic_trace inside `tracing()`."""
    import torch.fx

    with tracing():
        return torch.fx.symbolic_trace(root, *args, **kwargs)
