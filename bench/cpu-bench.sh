#!/usr/bin/env bash
# Benchmark (reported, not asserted): the CPU backend (fx-run --backend=cpu, JIT, one thread)
# against PyTorch eager (Debian's python3-torch, 2 threads and 1 thread, OpenBLAS/oneDNN) on
# the same models and inputs, measured in one run; plus a 512x512x512 matmul in GFLOP/s with
# the tiled and vectorized path, the naive loops, and torch.matmul.
# Usage: bench/cpu-bench.sh [build-dir] [repeat]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
repeat=${2:-10}
python=${FX_PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sed -n 's/.*median \([0-9.]*\) ms.*/\1/p'; }

echo "model                  input            fx cpu ms   eager 2t ms   eager 1t ms   eager2t/fx  eager1t/fx"
while read -r name spec input; do
  dir=$work/$name
  "$build/bin/fx-import-torch" "$spec" --input "$input" -o "$dir/model.mlirbc" --save-io "$dir/io" \
    > "$work/import.log" 2>&1 || { cat "$work/import.log"; exit 1; }
  fx=$("$build/bin/fx-run" "$dir/model.mlirbc" --backend=cpu --input "$dir/io/input0.npy" \
       --repeat "$repeat" | median)
  e2=$("$python" "$root/bench/eager_time.py" model "$spec" "$dir/io" "$repeat" 2)
  e1=$("$python" "$root/bench/eager_time.py" model "$spec" "$dir/io" "$repeat" 1)
  awk -v n="$name" -v i="$input" -v f="$fx" -v a="$e2" -v b="$e1" \
    'BEGIN { printf "%-22s %-16s %10.2f %13.2f %13.2f %11.3f %11.3f\n", n, i, f, a, b, a / f, b / f }'
done <<EOF_MODELS
mlp                    $root/frontend/python/fx_mlir/models/zoo.py:mlp 64x784xf32
lenet                  $root/frontend/python/fx_mlir/models/zoo.py:lenet 1x1x28x28xf32
gpt                    $root/frontend/python/fx_mlir/models/gpt.py:gpt 1x16xi64
resnet18               torchvision.models:resnet18 1x3x224x224xf32
mobilenet_v2           torchvision.models:mobilenet_v2 1x3x224x224xf32
squeezenet1_1          torchvision.models:squeezenet1_1 1x3x224x224xf32
EOF_MODELS

# 512^3 matmul: GFLOP/s = 2 n^3 / t.
cat > "$work/matmul.mlir" <<'MLIR'
fx.graph_module @Matmul {
  fx.graph @forward {
    %a = fx.placeholder "a" : tensor<512x512xf32>
    %b = fx.placeholder "b" : tensor<512x512xf32>
    %matmul = fx.call_function "torch.matmul"(%a, %b) : (tensor<512x512xf32>, tensor<512x512xf32>) -> tensor<512x512xf32>
    fx.output %matmul : tensor<512x512xf32>
  }
}
MLIR
gflops() { awk -v t="$1" 'BEGIN { printf "%.1f", 2 * 512^3 / (t * 1e-3) / 1e9 }'; }
vec=$("$build/bin/fx-run" "$work/matmul.mlir" --backend=cpu --input 512x512xf32 --input 512x512xf32 --repeat "$repeat" | median)
naive=$("$build/bin/fx-run" "$work/matmul.mlir" --backend=cpu --no-vectorize --input 512x512xf32 --input 512x512xf32 --repeat 3 | median)
t2=$("$python" "$root/bench/eager_time.py" matmul 512 "$repeat" 2)
t1=$("$python" "$root/bench/eager_time.py" matmul 512 "$repeat" 1)
echo
echo "matmul 512x512x512 (GFLOP/s): fx tiled+vectorized $(gflops "$vec") (1 thread)," \
     "fx naive loops $(gflops "$naive"), torch.matmul $(gflops "$t2") (2 threads)," \
     "$(gflops "$t1") (1 thread)"
