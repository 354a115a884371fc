#!/usr/bin/env bash
# The GPU check, run on the GPU machine from the folder bench/gpu-prepare.sh wrote: each
# model's CUDA library (run by fx-exec) against PyTorch eager on the CPU (saved) and on the
# same GPU (torch with CUDA, same weights), and timed against PyTorch eager on the GPU.
# Prints one table. Usage: ./gpu-check.sh [repeat]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repeat=${1:-20}
python=${FX_PYTHON:-python3}
nvidia-smi -L || true
printf "%-15s %-10s %-10s %12s %14s %10s\n" model vs-cpu vs-gpu "fx ms" "torch gpu ms" "torch/fx"
status=0
for dir in "$here"/models/*/; do
  name=$(basename "$dir")
  spec=$(cat "$dir/spec"); spec=${spec/#pymodels/$here/pymodels}
  torch_ms=$("$python" "$here/gpu_eager.py" run "$spec" "$dir/weights.pt" "$dir" "$repeat" 2>"$dir/torch.err") \
    || { torch_ms=nan; cat "$dir/torch.err"; }
  cpu=$("$here/fx-exec" "$dir/libmodel.so" --input "$dir/input0.npy" --compare "$dir/output0.npy" \
        --normalize --repeat "$repeat" 2>&1)
  cpu_rc=$?
  gpu=$("$here/fx-exec" "$dir/libmodel.so" --input "$dir/input0.npy" \
        --compare "$dir/torch_gpu_output0.npy" --normalize 2>&1)
  gpu_rc=$?
  fx_ms=$(echo "$cpu" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')
  [ $cpu_rc -eq 0 ] && c=ok || { c=MISMATCH; status=1; echo "$cpu" | tail -3; }
  [ $gpu_rc -eq 0 ] && g=ok || { g=MISMATCH; status=1; echo "$gpu" | tail -3; }
  ratio=$(awk -v a="$torch_ms" -v b="${fx_ms:-nan}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
  printf "%-15s %-10s %-10s %12s %14s %10s\n" "$name" "$c" "$g" "${fx_ms:-n/a}" "$torch_ms" "$ratio"
done
exit $status
