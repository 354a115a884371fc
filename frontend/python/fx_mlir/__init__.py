"""FX-MLIR's Python side: import torch.fx GraphModules into the fx dialect, compile them into
callables (docs/python-api.md).

    compiled = fx_mlir.compile(model, (x,))      # a callable: tensors in, the model's outputs out
    module = fx_mlir.import_module(model, (x,))  # the fx dialect: graph_text(), run_passes(), ...
"""
from .tools import CompileError, ToolError, find_tool  # noqa: F401 (no PyTorch needed)

# The rest needs PyTorch; loaded on first use so that `python -m fx_mlir.importer` can report a
# missing PyTorch itself.
_LAZY = {"compile": "api", "import_module": "api", "ImportedModule": "api",
         "CheckError": "api", "compare_outputs": "api", "CompiledFunction": "library"}


def __getattr__(name):
    if name in _LAZY:
        import importlib
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'fx_mlir' has no attribute '{name}'")


__all__ = ["compile", "import_module", "ImportedModule", "CompiledFunction", "CompileError",
           "ToolError", "CheckError", "compare_outputs", "find_tool"]
