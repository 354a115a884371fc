#!/usr/bin/env bash
# README command 1: set up, build, and run the main job on a built-in example.
#
# The chain today: trace torchvision's resnet18 with real torch.fx (fx-import-torch, weights
# included) -> print its graph as torch.fx does -> run the graph passes (decompose modules,
# normalize arguments, CSE, DCE, shape propagation, constant folding) -> execute it with the
# reference interpreter -> JIT-compile it for this CPU and compile it ahead of time into a
# shared library -> check every result against PyTorch eager. Without PyTorch it runs the
# same chain on examples/my_module.mlir, checked against values computed by hand.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FX_BUILD_DIR:-$root/build}
bin=$build/bin

# The build speaks for itself: install-deps names what it installs, ninja counts [n/N].
echo "== 0. install what is missing and build into $build (a first build takes minutes)"
bash "$root/scripts/build.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passes='builtin.module(fx.graph_module(fx-decompose-modules,fx.graph(fx-normalize-args,fx-cse,fx-dce),fx-shape-prop,fx-const-fold))'

if "${FX_PYTHON:-/usr/bin/python3}" -c "import torch, torchvision" 2>/dev/null; then
  echo "== 1. trace torchvision.models.resnet18 with torch.fx, import it with its weights"
  "$bin/fx-import-torch" torchvision.models:resnet18 --input 1x3x64x64xf32 --seed 1 \
    -o "$work/model.mlirbc" --save-io "$work/io"
  inputs=(--input "$work/io/input0.npy")
  compare=(--compare "$work/io/output0.npy")
  model=$work/model.mlirbc
else
  echo "== PyTorch is not installed: running the chain on examples/my_module.mlir"
  model=$root/examples/my_module.mlir
  /usr/bin/python3 -c "import numpy as np; np.save('$work/x.npy', np.zeros((3, 4), np.float32)); np.save('$work/ref.npy', np.tile(np.array([0.5, 1, 1, 1, 1], np.float32), (3, 1)))"
  inputs=(--input "$work/x.npy")
  compare=(--compare "$work/ref.npy")
fi

echo "== 2. print(gm.graph) (first lines)"
"$bin/fx-translate" --fx-to-graph-text "$model" -o "$work/graph.txt"
head -12 "$work/graph.txt"
echo "    ..."
echo "== 3. graph passes: $passes"
"$bin/fx-opt" "$model" --pass-pipeline="$passes" --emit-bytecode -o "$work/optimized.mlirbc"
"$bin/fx-translate" --fx-to-graph-text "$work/optimized.mlirbc" -o "$work/optimized.txt"
head -8 "$work/optimized.txt"
echo "    ..."
echo "== 4. execute with the reference interpreter, check against the reference"
"$bin/fx-run" "$work/optimized.mlirbc" "${inputs[@]}" "${compare[@]}"
echo "== 5. JIT-compile for this CPU (fx-lower-to-cpu), run 10 times, check"
"$bin/fx-run" "$model" --backend=cpu --repeat 10 "${inputs[@]}" "${compare[@]}" --normalize
echo "== 6. compile ahead of time into a shared library + C header, run the library, check"
"$bin/fx-compile" --target=cpu "$model" -o "$work/libmodel.so"
grep -E '^void [A-Za-z_]+\(' "$work/libmodel.h"
"$bin/fx-run" "$work/libmodel.so" "${inputs[@]}" "${compare[@]}" --normalize
echo "== not yet available: the NVIDIA GPU backend (fx-compile --target=cuda)"
