#!/usr/bin/env bash
# The GPU check's models on a CPU machine: each imported with its weights (seed 1), run through
# the CUDA pipeline's kernels emulated as host loops (fx-run --backend=gpu-emulated) and
# compared with PyTorch eager on the CPU (normalised rtol 1e-4, atol 1e-5). Checks the GPU
# mapping where there is no GPU; one line per model; exits 1 on a mismatch. ~7 minutes.
# Usage: bench/gpu-emulated-check.sh [WORK_DIR] [build-dir]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
build=${2:-$root/build}
status=0
while read -r name spec input threads <&3; do
  case $name in ''|'#'*) continue ;; esac
  dir=$work/$name
  mkdir -p "$dir"
  src=${spec/#pymodels/$root/frontend/python/fx_mlir/models}
  if ! "$build/bin/fx-import-torch" "$src" --input "$input" --seed 1 -o "$dir/model.mlirbc" \
       --save-io "$dir" > "$dir/log" 2>&1; then
    echo "$name: import failed"; tail -3 "$dir/log"; status=1; continue
  fi
  run=$("$build/bin/fx-run" "$dir/model.mlirbc" --backend=gpu-emulated \
        ${threads:+--gpu-target-threads "$threads"} --input "$dir/input0.npy" \
        --compare "$dir/output0.npy" --normalize 2>&1) || status=1
  echo "$name: $(echo "$run" | grep -E '^backend|output0.npy' | sed 's/^ *//' | tr '\n' ' ')"
done 3< "$root/bench/gpu-models.txt"
exit $status
