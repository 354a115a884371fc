"""The Python API: `compile` a PyTorch model into a callable, `import_module` it into the fx
dialect and look at it, transform it and run it. Both trace and import in-process with the
importer's own code (importer.py, emit.py) and run the tools (fx-opt, fx-compile, fx-run,
fx-translate) for the rest; see docs/python-api.md."""
import contextlib
import hashlib
import os
import shutil
import tempfile
import weakref

import torch
import torch.fx

from . import compat
from .emit import ImportError_, WeightsFile, emit_graph_module
from .importer import clone_all, flatten_outputs, record_types, write_bytecode
from .library import CompiledFunction, Library, is_complete_library
from .tools import CompileError, ToolError, find_tool, run_tool, tool_identity

# Part of every cache key: bump it when what the API hands fx-compile changes meaning.
CACHE_FORMAT = "fx_mlir.compile/1"
TARGETS = ("cpu", "cuda")


class CheckError(AssertionError):
    """`check=True` found the compiled graph's outputs differ from PyTorch eager's."""


# ---------------------------------------------------------------------------------------------
# Tracing and importing


@contextlib.contextmanager
def _eval_mode(model):
    """Tracing, typing and checking see the model in eval mode (dropout off, batch norm on its
    running statistics), as fx-import-torch does; the model's own mode is restored after."""
    if not isinstance(model, torch.nn.Module):
        yield
        return
    # Each module's own flag: a traced GraphModule shares its submodules with the model.
    modes = [(m, m.training) for m in model.modules()]
    model.eval()
    try:
        yield
    finally:
        for m, training in modes:
            m.training = training


class _Traced:
    """A model traced with torch.fx and typed on example inputs: what the importer emits."""

    def __init__(self, model, example_inputs, name=None):
        self.model = model
        # One tensor is one input (tuple() would split it along its first dimension).
        self.example_inputs = (example_inputs,) if isinstance(
            example_inputs, torch.Tensor) else tuple(example_inputs)
        with _eval_mode(model):
            if isinstance(model, torch.fx.GraphModule):
                self.gm = model
            else:
                try:
                    self.gm = compat.symbolic_trace(model)
                except Exception as e:  # noqa: BLE001 - torch.fx's own message is the reason
                    raise CompileError(f"torch.fx could not trace {_describe(model)}: "
                                       f"{type(e).__name__}: {e}") from e
            self.root = model if isinstance(model, torch.nn.Module) else self.gm
            self.name = name or (type(model).__name__ if isinstance(model, torch.nn.Module)
                                 else getattr(model, "__name__", "Model"))
            self._check_input_count()
            self.call_values, results = {}, []
            try:
                self.node_types = record_types(self.gm, clone_all(self.example_inputs, torch),
                                               torch, self.call_values, results)
            except Exception as e:  # noqa: BLE001
                raise CompileError(f"running the traced graph on the example inputs failed: "
                                   f"{type(e).__name__}: {e}") from e
        self.example_output = results[0]

    def _check_input_count(self):
        placeholders = [n for n in self.gm.graph.nodes if n.op == "placeholder"]
        required = [p for p in placeholders if not p.args]
        if not len(required) <= len(self.example_inputs) <= len(placeholders):
            raise ValueError(f"{len(self.example_inputs)} example inputs given, but the traced "
                             f"graph takes {len(placeholders)} "
                             f"({', '.join(p.name for p in placeholders)})")

    def emit(self, with_weights=True, weights_sink=None):
        """The module's text; the weights go raw into `weights_sink` (a file-like object)."""
        weights = WeightsFile(weights_sink) if weights_sink is not None else None
        try:
            text = emit_graph_module(self.gm, self.root, self.name, with_weights=with_weights,
                                     node_types=self.node_types, call_values=self.call_values,
                                     weights_file=weights)
        except ImportError_ as e:
            raise CompileError(f"cannot import {_describe(self.model)}: {e}") from None
        if weights:
            weights.finish()
        return text

    def write_bytecode(self, path, with_weights=True):
        """Emits the module and writes it to `path` as bytecode (through fx-opt)."""
        weights_path = path + ".weights.tmp" if with_weights else None
        try:
            with open(weights_path, "wb") if weights_path else contextlib.nullcontext() as f:
                text = self.emit(with_weights, f)
            write_bytecode(text, path, weights_path, fx_opt=find_tool("fx-opt"))
        except RuntimeError as e:
            if isinstance(e, ToolError):
                raise
            raise CompileError(str(e)) from None
        finally:
            if weights_path and os.path.exists(weights_path):
                os.remove(weights_path)


def _describe(model):
    return type(model).__qualname__ if isinstance(model, torch.nn.Module) else repr(model)


class _HashingSink:
    """A write-only file that hashes what is written (the weights' bytes for a cache key)."""

    def __init__(self, digest):
        self.digest, self.position = digest, 0

    def write(self, data):
        self.digest.update(data)
        self.position += len(data)

    def tell(self):
        return self.position


# ---------------------------------------------------------------------------------------------
# Compiling, with a cache on disk


def _compile_flags(target, options):
    """fx-compile's flags for the API's options; TypeError for an unknown option."""
    if target not in TARGETS:
        raise ValueError(f"unknown target '{target}' (expected one of {', '.join(TARGETS)})")
    options = dict(options)
    flags = [f"--target={target}"]
    opt_level = options.pop("opt_level", None)
    if opt_level is not None:
        flags.append(f"-O{int(opt_level)}")
    if not options.pop("vectorize", True):
        flags.append("--no-vectorize")
    if options.pop("weights_as_inputs", False):
        flags.append("--weights-as-inputs")
    threads = options.pop("gpu_target_threads", None)
    if threads is not None:
        flags.append(f"--gpu-target-threads={int(threads)}")
    if options:
        raise TypeError(f"unknown compile option(s) {', '.join(sorted(options))} (known: "
                        f"opt_level, vectorize, weights_as_inputs, gpu_target_threads)")
    return flags


def default_cache_dir():
    """FX_MLIR_CACHE_DIR, else $XDG_CACHE_HOME/fx_mlir, else ~/.cache/fx_mlir."""
    if os.environ.get("FX_MLIR_CACHE_DIR"):
        return os.environ["FX_MLIR_CACHE_DIR"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "fx_mlir")


class _Compiled:
    """Where a compiled library lies and whether the cache held it."""

    def __init__(self, path, cache_hit, directory_to_remove=None):
        self.path, self.cache_hit = path, cache_hit
        self._remove = directory_to_remove

    def release(self):
        """Removes the library's private directory (without a cache): dlopen keeps it mapped."""
        if self._remove:
            shutil.rmtree(self._remove, ignore_errors=True)


def _compile_library(write_module, key_parts, flags, cache_dir):
    """Compiles the module `write_module(path)` writes with fx-compile `flags`, or takes the
    library from `cache_dir` under the hash of `key_parts` (bytes). cache_dir=False: no cache."""
    digest = hashlib.sha256()
    for part in [CACHE_FORMAT.encode(), "\0".join(flags).encode(),
                 tool_identity("fx-compile").encode()] + list(key_parts):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    key = digest.hexdigest()[:32]
    if cache_dir is False:
        work = tempfile.mkdtemp(prefix="fx_mlir_")
        library = os.path.join(work, "model.so")
        _run_compiler(write_module, flags, work, library)
        return _Compiled(library, False, directory_to_remove=work)
    cache_dir = cache_dir or default_cache_dir()
    library = os.path.join(cache_dir, f"{key}.so")
    if is_complete_library(library):
        return _Compiled(library, True)
    os.makedirs(cache_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix=f".{key}.", dir=cache_dir)
    try:
        built = os.path.join(work, "model.so")
        _run_compiler(write_module, flags, work, built)
        os.replace(built, library)  # atomic: other processes see no library or a whole one
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _Compiled(library, False)


def _run_compiler(write_module, flags, work, library):
    module = os.path.join(work, "model.mlirbc")
    write_module(module)
    run_tool("fx-compile", flags + [module, "-o", library, "--header",
                                    os.path.join(work, "model.h")],
             error=CompileError, what="fx-compile")


def _resolve_weights(root, specs):
    """The tensors of `root` (parameters, buffers, tensor constants) that the library's extra
    inputs (weights_as_inputs) name by their qualified names."""
    weights = []
    for spec in specs:
        value = root
        try:
            for part in spec.name.split("."):
                value = getattr(value, part)
        except AttributeError:
            raise ValueError(f"the compiled graph takes weight '{spec.name}', which the "
                             f"model does not have") from None
        weights.append(value.detach())
    return weights


def _make_function(library_path, traced, flags):
    """The callable for a library compiled from `traced` with fx-compile `flags`."""
    library = Library(library_path)
    weights = []
    if "--weights-as-inputs" in flags:  # parameters and buffers follow the placeholders
        placeholders = sum(1 for n in traced.gm.graph.nodes if n.op == "placeholder")
        weights = _resolve_weights(traced.gm, library.inputs[placeholders:])
    return CompiledFunction(library, traced.example_output, weights)


def compile(model, example_inputs, target="cpu", *, check=False, cache_dir=None,
            **options):
    """Traces `model` (a torch.nn.Module, GraphModule or function) with torch.fx on
    `example_inputs`, imports it with its weights, compiles it with fx-compile and returns a
    callable taking tensors (or numpy arrays) of the example inputs' shapes and dtypes and
    returning the model's output structure. The library is cached in `cache_dir` (default
    FX_MLIR_CACHE_DIR or ~/.cache/fx_mlir; False: no cache) under a hash of the graph, its
    weights, the options and the compiler's build. Options: opt_level (LLVM -O, default 2),
    vectorize (default True), weights_as_inputs (the callable passes the model's current
    parameters and buffers on each call), gpu_target_threads. `check=True` runs eager once on
    the example inputs and raises CheckError on a mismatch."""
    flags = _compile_flags(target, options)
    traced = _Traced(model, example_inputs)
    with_weights = "--weights-as-inputs" not in flags
    digest = hashlib.sha256()
    text = traced.emit(with_weights, _HashingSink(digest) if with_weights else None)
    compiled = _compile_library(lambda path: traced.write_bytecode(path, with_weights),
                                [text.encode(), digest.digest()], flags, cache_dir)
    try:
        function = _make_function(compiled.path, traced, flags)
    finally:
        compiled.release()
    function.cache_hit = compiled.cache_hit
    function.library_path = None if cache_dir is False else compiled.path
    if check:
        check_against_eager(function, model, traced.example_inputs)
    return function


# ---------------------------------------------------------------------------------------------
# Checking against eager, as fx-run --compare --normalize does


def compare_outputs(actual, expected, rtol=1e-4, atol=1e-5):
    """A list of mismatch descriptions (empty when they match): each output divided by the
    largest finite magnitude of its reference, then |a - b| <= atol + rtol * |b|; integers and
    bools exactly."""
    actual, expected = flatten_outputs(actual, torch), flatten_outputs(expected, torch)
    if len(actual) != len(expected):
        return [f"{len(actual)} outputs, expected {len(expected)}"]
    problems = []
    for i, (a, b) in enumerate(zip(actual, expected)):
        if a.dtype != b.dtype or a.shape != b.shape:
            problems.append(f"output {i}: {list(a.shape)} {a.dtype}, expected "
                            f"{list(b.shape)} {b.dtype}")
            continue
        exact = not b.dtype.is_floating_point
        a, b = a.detach().double(), b.detach().double()
        finite = b[torch.isfinite(b)].abs()
        scale = finite.max().item() if finite.numel() and finite.max().item() > 0 else 1.0
        a, b = a / scale, b / scale
        error = torch.where(a == b, torch.zeros_like(a), (a - b).abs())
        bound = 0.0 if exact else atol + rtol * b.abs()
        bad = ~((error <= bound) | (torch.isnan(a) & torch.isnan(b)))
        if bad.any():
            problems.append(f"output {i}: {int(bad.sum())} of {a.numel()} elements differ, max "
                            f"error {error[bad].max().item():.3g} (normalised by {scale:g}; "
                            + ("compared exactly)" if exact else f"rtol {rtol}, atol {atol})"))
    return problems


def check_against_eager(function, model, example_inputs):
    """Runs `model` eagerly (eval mode) and `function` on the example inputs; raises CheckError
    if they differ."""
    with _eval_mode(model), torch.no_grad():
        expected = model(*clone_all(example_inputs, torch))
    problems = compare_outputs(function(*example_inputs), expected)
    if problems:
        raise CheckError("the compiled graph differs from PyTorch eager:\n  "
                         + "\n  ".join(problems))


# ---------------------------------------------------------------------------------------------
# An imported module


# The passes anchored on fx.graph (transforms/include/fxmlir/Transforms/Passes.td); the others
# run on fx.graph_module.
GRAPH_PASSES = ("fx-functionalize", "fx-dce", "fx-cse", "fx-normalize-args")


def _split_top_level(text):
    """'a{x=1,y=2},b(c,d)' -> ['a{x=1,y=2}', 'b(c,d)']."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        depth += c in "({[" and 1 or (c in ")}]" and -1 or 0)
        if c == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def nest_pipeline(pipeline):
    """fx-opt's --pass-pipeline for a list of fx passes: on each fx.graph_module, with each run
    of graph-level passes nested in fx.graph(...). A pipeline that starts with builtin.module(
    is kept as it is."""
    if pipeline.strip().startswith("builtin.module("):
        return pipeline.strip()
    nested, graph_run = [], []
    for p in _split_top_level(pipeline) + [None]:
        if p is not None and p.split("{")[0] in GRAPH_PASSES:
            graph_run.append(p)
            continue
        if graph_run:
            nested.append(f"fx.graph({','.join(graph_run)})")
            graph_run = []
        if p is not None:
            nested.append(p)
    return f"builtin.module(fx.graph_module({','.join(nested)}))"


def _graph_text_style():
    return "1" if torch.__version__.split(".")[0] in ("0", "1") else "2"


class ImportedModule:
    """An fx dialect module (kept as bytecode in a private temporary directory), with the
    example inputs and result it was imported with."""

    def __init__(self, traced):
        directory = tempfile.mkdtemp(prefix="fx_mlir_")
        weakref.finalize(self, shutil.rmtree, directory, True)  # removed with this object
        self.path = os.path.join(directory, "module.mlirbc")
        self._traced = traced
        self.example_inputs, self.example_output = traced.example_inputs, traced.example_output

    def _derived(self):
        return ImportedModule(self._traced)

    def _translate(self, flag, *extra):
        return run_tool("fx-translate", [flag, *extra, self.path]).decode()

    def graph_text(self, style=None):
        """print(gm.graph)'s text; `style` 1 or 2 (PyTorch 1.13 or 2.x; default: the
        installed PyTorch's)."""
        return self._translate("--fx-to-graph-text",
                               f"--fx-graph-text-style={style or _graph_text_style()}")

    def code(self):
        """GraphModule.code's Python source."""
        return self._translate("--fx-to-python")

    def mlir(self):
        """The module as MLIR text (weights as hex blobs)."""
        return run_tool("fx-opt", [self.path]).decode()

    def save(self, path):
        """Writes the module to `path`: bytecode if it ends with .mlirbc, else text."""
        if path.endswith(".mlirbc"):
            shutil.copyfile(self.path, path)
        else:
            run_tool("fx-opt", [self.path, "-o", path])

    def run_passes(self, pipeline):
        """A new module: this one after fx-opt's `pipeline`, either a list of fx passes run on
        each fx.graph_module ("fx-decompose-modules,fx-cse": graph-level passes are nested on
        its graphs) or a whole pipeline ("builtin.module(...)")."""
        pipeline = nest_pipeline(pipeline)
        result = self._derived()
        run_tool("fx-opt", [self.path, f"--pass-pipeline={pipeline}", "--emit-bytecode",
                            "-o", result.path], what=f"fx-opt --pass-pipeline='{pipeline}'")
        return result

    def run(self, *inputs, backend="interp"):
        """Runs the module with fx-run (default: the reference interpreter) on `inputs`
        (default: the example inputs); returns the result in the model's output structure."""
        import numpy as np
        inputs = inputs or self.example_inputs
        with tempfile.TemporaryDirectory(prefix="fx_mlir_run_") as work:
            args = [self.path, f"--backend={backend}", "--output-dir", work]
            for i, value in enumerate(inputs):
                path = os.path.join(work, f"input{i}.npy")
                np.save(path, value.detach().cpu().numpy() if isinstance(value, torch.Tensor)
                        else np.asarray(value))
                args.append(f"--input={path}")
            run_tool("fx-run", args, what="fx-run")
            outputs = []
            while os.path.exists(os.path.join(work, f"output{len(outputs)}.npy")):
                outputs.append(torch.from_numpy(
                    np.load(os.path.join(work, f"output{len(outputs)}.npy"))))
        if self.example_output is None:
            return outputs
        from .library import output_structure
        count, rebuild = output_structure(self.example_output)
        if count != len(outputs):
            raise ToolError(f"fx-run gave {len(outputs)} outputs; the model's result holds "
                            f"{count} tensors and numbers")
        return rebuild(outputs)

    def compile(self, target="cpu", *, check=False, cache_dir=None, **options):
        """Compiles this module (after whatever passes) as fx_mlir.compile does."""
        flags = _compile_flags(target, options)
        with open(self.path, "rb") as f:
            module_bytes = f.read()
        compiled = _compile_library(lambda path: shutil.copyfile(self.path, path),
                                    [module_bytes], flags, cache_dir)
        try:
            function = _make_function(compiled.path, self._traced, flags)
        finally:
            compiled.release()
        function.cache_hit = compiled.cache_hit
        function.library_path = None if cache_dir is False else compiled.path
        if check:
            check_against_eager(function, self._traced.model, self.example_inputs)
        return function


def import_module(model, example_inputs, name=None, weights=True):
    """Traces `model` (a torch.nn.Module, GraphModule or function) with torch.fx, types it on
    `example_inputs` and imports it (with its weights unless weights=False) into the fx
    dialect: an ImportedModule."""
    traced = _Traced(model, example_inputs, name)
    module = ImportedModule(traced)
    traced.write_bytecode(module.path, with_weights=weights)
    return module
