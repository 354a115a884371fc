#!/usr/bin/env bash
# Prepares the GPU check on a CPU machine (the GPU machine has no LLVM/MLIR): imports each
# model without its weights, compiles it for CUDA with the weights as inputs (so libraries
# stay small), saves its input, and copies fx-exec and the scripts: one folder well under
# 64 MiB. On the GPU machine, DIR/gpu-check.sh builds each model there with the same seed,
# hands its weights to the library and compares with PyTorch on the same GPU.
# Usage: bench/gpu-prepare.sh OUT_DIR [build-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: gpu-prepare.sh OUT_DIR [build-dir]}
build=${2:-$root/build}
rm -rf "$out" && mkdir -p "$out/models"
cp "$build/bin/fx-exec" "$root/bench/gpu-check.sh" "$root/bench/gpu_eager.py" "$out/"
cp -r "$root/frontend/python/fx_mlir/models" "$out/pymodels"

while read -r name spec input threads <&3; do
  case $name in ''|'#'*) continue ;; esac
  dir=$out/models/$name
  mkdir -p "$dir"
  src=${spec/#pymodels/$root/frontend/python/fx_mlir/models}
  "$build/bin/fx-import-torch" "$src" --input "$input" --seed 1 --no-weights \
    -o "$dir/model.mlirbc" --save-io "$dir" > "$dir/log" 2>&1 || { cat "$dir/log"; exit 1; }
  "$build/bin/fx-compile" --target=cuda --weights-as-inputs ${threads:+--gpu-target-threads "$threads"} "$dir/model.mlirbc" \
    -o "$dir/libmodel.so" >> "$dir/log" 2>&1 || { cat "$dir/log"; exit 1; }
  echo "$spec" > "$dir/spec"
  rm -f "$dir/model.mlirbc" "$dir/log" "$dir/libmodel.h" "$dir/output0.npy"
done 3< "$root/bench/gpu-models.txt"
size=$(du -sm "$out" | cut -f1)
echo "prepared $(ls "$out/models" | wc -l) models in $out: ${size} MiB"
if [ "$size" -gt 64 ]; then echo "error: over the 64 MiB budget" >&2; exit 1; fi
