#!/usr/bin/env bash
# What fx-linalg-to-gpu makes of each model of the GPU check (bench/gpu-models.txt), without a
# GPU: the kernels a call launches, and how many of them are split reductions, thread tiles,
# fused epilogues, folded fills and window copies (fx-linalg-to-gpu{report}). A static measure
# to compare mappings by; only a GPU run times them.
# Usage: bench/gpu-kernel-stats.sh [build-dir] [target-threads]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
target=${2:-131072}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The CUDA pipeline up to the kernels' outlining, fx-linalg-to-gpu reporting (the pipeline is
# the same for every model: printed once, compiling the small elementwise chain). The printed
# form lists every option of every pass, report=false included.
"$build/bin/fx-import-torch" "$root/frontend/python/fx_mlir/models/zoo.py:chain" --input 4x4xf32 \
  --no-weights -o "$work/chain.mlirbc" > "$work/log" 2>&1 || { cat "$work/log"; exit 1; }
pipeline=$("$build/bin/fx-compile" --target=cuda --weights-as-inputs --gpu-target-threads "$target" \
           --print-pipeline "$work/chain.mlirbc" -o "$work/chain.so" | head -1)
pipeline="${pipeline%%,gpu-launch-sink-index-computations*})"
pipeline=${pipeline/report=false/report=true}
printf "%-15s %8s %8s %8s %10s %8s %8s\n" model kernels split tiled epilogues fills windows
while read -r name spec input threads <&3; do
  case $name in ''|'#'*) continue ;; esac
  src=${spec/#pymodels/$root/frontend/python/fx_mlir/models}
  "$build/bin/fx-import-torch" "$src" --input "$input" --seed 1 --no-weights \
    -o "$work/$name.mlirbc" > "$work/log" 2>&1 || { cat "$work/log"; exit 1; }
  remark=$("$build/bin/fx-opt" "$work/$name.mlirbc" 2>&1 -o /dev/null \
           --pass-pipeline="${pipeline/target-threads=$target/target-threads=${threads:-$target}}" |
           grep "remark: fx-linalg-to-gpu") || { echo "$name: no report" >&2; exit 1; }
  read -r kernels split tiled epilogues fills windows < <(echo "$remark" |
    sed 's/.*: \([0-9]*\) kernels; \([0-9]*\) split reductions, \([0-9]*\) tiled ops, \([0-9]*\) fused epilogues, \([0-9]*\) folded fills, \([0-9]*\) window-copy kernels/\1 \2 \3 \4 \5 \6/')
  printf "%-15s %8s %8s %8s %10s %8s %8s\n" "$name" "$kernels" "$split" "$tiled" "$epilogues" "$fills" "$windows"
done 3< "$root/bench/gpu-models.txt"
