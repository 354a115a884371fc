#!/usr/bin/env bash
# Prepares the GPU check on a CPU machine (the GPU machine has no LLVM/MLIR): compiles each
# model for CUDA (fx-compile --target=cuda), saves its input, PyTorch's CPU eager output and
# its weights (for PyTorch on the GPU), and copies fx-exec, all into one folder of at most
# 64 MiB. Run bench/gpu-check.sh from that folder on the GPU machine.
# Usage: bench/gpu-prepare.sh OUT_DIR [build-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: gpu-prepare.sh OUT_DIR [build-dir]}
build=${2:-$root/build}
python=${FX_PYTHON:-/usr/bin/python3}
rm -rf "$out" && mkdir -p "$out/models"
cp "$build/bin/fx-exec" "$root/bench/gpu-check.sh" "$root/bench/gpu_eager.py" "$out/"
cp -r "$root/frontend/python/fx_mlir/models" "$out/pymodels"

# name, importer spec, input: small enough that libraries and weights fit the 64 MiB budget
# (weights are embedded in each library; see docs/gpu-backend.md for the plan to pass them in).
while read -r name spec input; do
  dir=$out/models/$name
  mkdir -p "$dir"
  src=${spec/#pymodels/$root/frontend/python/fx_mlir/models}
  "$build/bin/fx-import-torch" "$src" --input "$input" --seed 1 -o "$dir/model.mlirbc" \
    --save-io "$dir" > "$dir/import.log" 2>&1 || { cat "$dir/import.log"; exit 1; }
  "$build/bin/fx-compile" --target=cuda "$dir/model.mlirbc" -o "$dir/libmodel.so" > /dev/null
  "$python" "$root/bench/gpu_eager.py" save-weights "$src" "$dir/weights.pt" 1
  echo "$spec" > "$dir/spec"
  rm -f "$dir/model.mlirbc" "$dir/import.log" "$dir/libmodel.h"
done <<EOF_MODELS
mlp            pymodels/zoo.py:mlp               64x784xf32
lenet          pymodels/zoo.py:lenet             8x1x28x28xf32
gpt            pymodels/gpt.py:gpt               4x16xi64
squeezenet1_1  torchvision.models:squeezenet1_1  1x3x64x64xf32
mobilenet_v2   torchvision.models:mobilenet_v2   1x3x64x64xf32
EOF_MODELS
size=$(du -sm "$out" | cut -f1)
echo "prepared $(ls "$out/models" | wc -l) models in $out: ${size} MiB"
if [ "$size" -gt 64 ]; then echo "error: over the 64 MiB budget" >&2; exit 1; fi
