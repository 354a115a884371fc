# lit configuration for FX-MLIR's IR tests.
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "FX-MLIR"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "check_corpus.py",
                   "check_torch_models.py", "check_trace.py", "check_compile.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.fx_obj_root, "test")

llvm_config.use_default_substitutions()
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%fx_src_root", config.fx_src_root))
config.substitutions.append(("%fx_tools_dir", config.fx_tools_dir))
config.substitutions.append(("%fx_obj_root", config.fx_obj_root))
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["fx-opt", "fx-translate", "fx-import-torch", "fx-run", "fx-trace", "fx-compile", "fx-exec",
     "fx-ops"],
    [config.fx_tools_dir])

# PyTorch (Debian's python3-torch is for /usr/bin/python3): tests that need it say so with
# `REQUIRES: torch`, and lit reports them UNSUPPORTED (skipped) where it is absent.
import subprocess
torch_python = os.environ.get("FX_PYTHON", "/usr/bin/python3")
try:
    has_torch = subprocess.run([torch_python, "-c", "import torch, torchvision"],
                               capture_output=True, timeout=120).returncode == 0
except (OSError, subprocess.TimeoutExpired):
    has_torch = False
if has_torch:
    config.available_features.add("torch")
else:
    lit_config.note(f"PyTorch not found for {torch_python}: import tests are skipped")
config.substitutions.append(("%torch_python", torch_python))

# CUDA: `cuda` where the build found the toolkit (fx-compile --target=cuda works, no GPU
# needed); `gpu` where an NVIDIA GPU is present to run the result.
if config.fx_have_cuda.upper() in ("ON", "1", "TRUE", "YES"):
    config.available_features.add("cuda")
    config.substitutions.append(("%cuda_include", config.fx_cuda_include_dir))
try:
    if subprocess.run(["nvidia-smi", "-L"], capture_output=True, timeout=60).returncode == 0:
        config.available_features.add("gpu")
except (OSError, subprocess.TimeoutExpired):
    pass
if "gpu" not in config.available_features:
    lit_config.note("no NVIDIA GPU: tests that run CUDA libraries are skipped")
