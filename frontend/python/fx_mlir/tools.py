"""Finding and running FX-MLIR's command-line tools (fx-opt, fx-compile, fx-run, fx-translate)
from Python, with their diagnostics turned into exceptions."""
import os
import shutil
import subprocess

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


class ToolError(RuntimeError):
    """A tool failed. `diagnostics` holds its error output (node, target, location), `command`
    the command line and `returncode` its exit status."""

    def __init__(self, message, diagnostics="", command=(), returncode=None):
        super().__init__(message + (f":\n{diagnostics.rstrip()}" if diagnostics else ""))
        self.diagnostics = diagnostics
        self.command = list(command)
        self.returncode = returncode


class CompileError(ToolError):
    """Importing or compiling a model failed (torch.fx, the importer, fx-opt or fx-compile)."""


def tool_directories():
    """Where the tools are looked for, in order: FX_MLIR_TOOLS (alone, when set); beside the
    installed package (PREFIX/lib/python/fx_mlir -> PREFIX/bin); the build tree of the source
    checkout the package lives in (FX_BUILD_DIR, default build/)."""
    override = os.environ.get("FX_MLIR_TOOLS")
    if override:
        return [override]
    prefix = os.path.normpath(os.path.join(_PACKAGE_DIR, "..", "..", ".."))
    build = os.environ.get("FX_BUILD_DIR", "build")
    return [os.path.join(prefix, "bin"), os.path.join(prefix, build, "bin")]


def find_tool(name):
    """The path of the tool `name` (fx-compile, fx-opt, ...); then PATH. Raises ToolError."""
    for directory in tool_directories():
        path = os.path.join(directory, name)
        if os.access(path, os.X_OK):
            return path
    if not os.environ.get("FX_MLIR_TOOLS"):
        found = shutil.which(name)
        if found:
            return found
    raise ToolError(f"cannot find the FX-MLIR tool '{name}' (looked in "
                    f"{', '.join(tool_directories())}"
                    f"{'' if os.environ.get('FX_MLIR_TOOLS') else ' and PATH'}); "
                    f"set FX_MLIR_TOOLS to the directory that holds it")


def tool_identity(name):
    """What identifies the build of a tool for caching: its path, size and modification time,
    and those of the project's shared libraries beside it (a rebuilt code generator changes
    libFxMLIR*.so without relinking the tool)."""
    path = os.path.realpath(find_tool(name))
    lib_dir = os.path.join(os.path.dirname(os.path.dirname(path)), "lib")
    files = [path]
    if os.path.isdir(lib_dir):
        files += sorted(os.path.join(lib_dir, f) for f in os.listdir(lib_dir)
                        if f.startswith("libFxMLIR") and ".so" in f)
    parts = []
    for f in files:
        st = os.stat(f)
        parts.append(f"{f}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts)


def run_tool(name, args, error=ToolError, what=None, input=None):
    """Runs tool `name` with `args`; returns its stdout (bytes). On failure raises `error` with
    the tool's stderr as diagnostics."""
    command = [find_tool(name)] + [str(a) for a in args]
    result = subprocess.run(command, capture_output=True, input=input)
    if result.returncode != 0:
        raise error(f"{what or name} failed (exit code {result.returncode})",
                    result.stderr.decode(errors="replace"), command, result.returncode)
    return result.stdout
