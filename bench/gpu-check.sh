#!/usr/bin/env bash
# The GPU check, on the GPU machine, from the folder bench/gpu-prepare.sh wrote: for each
# model, PyTorch builds it with the importer's seed, writes its weights and runs it on the
# GPU; fx-exec runs the CUDA library on the same input and weights, compares (normalised
# rtol 1e-4, atol 1e-5) and times it: "fx ms" with inputs, weights and outputs in device
# memory (--device-buffers, as PyTorch's tensors are), "fx+copies ms" through the host-buffer
# entry (copies in and out on every call). Prints one table; exits 1 on a mismatch.
# A model not reached after FX_GPU_CHECK_SECONDS (default 270) is listed as skipped, so that
# the whole check stays within a device call's budget even if a library hangs (each command
# also has a 60 s timeout).
# Usage: ./gpu-check.sh [repeat]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repeat=${1:-20}
python=${FX_PYTHON:-python3}
nvidia-smi -L || true
printf "%-15s %-10s %10s %14s %14s %10s\n" model vs-torch "fx ms" "fx+copies ms" "torch gpu ms" "torch/fx"
status=0
deadline=${FX_GPU_CHECK_SECONDS:-270}
for dir in "$here"/models/*/; do
  name=$(basename "$dir")
  if [ "$SECONDS" -ge "$deadline" ]; then
    printf "%-15s %-10s\n" "$name" "skipped (past ${deadline} s)"; status=1; continue
  fi
  spec=$(cat "$dir/spec"); spec=${spec/#pymodels/$here/pymodels}
  torch_ms=$(cd "$here" && timeout 60 "$python" "$here/gpu_eager.py" "$spec" 1 "$dir" "$repeat" \
             2> "$dir/torch.err") || { torch_ms=nan; tail -3 "$dir/torch.err"; }
  run=$(timeout 60 "$here/fx-exec" "$dir/libmodel.so" --input "$dir/input0.npy" \
        --weights "$dir/weights" --compare "$dir/torch_gpu_output0.npy" --normalize \
        --repeat "$repeat" --device-buffers 2>&1)
  rc=$?
  fx_ms=$(echo "$run" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')
  copies_ms=$(timeout 60 "$here/fx-exec" "$dir/libmodel.so" --input "$dir/input0.npy" \
              --weights "$dir/weights" --repeat "$repeat" 2>&1 |
              sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')
  [ $rc -eq 0 ] && c=ok || { c=MISMATCH; status=1; echo "$run" | tail -4; }
  ratio=$(awk -v a="$torch_ms" -v b="${fx_ms:-0}" 'BEGIN { if (b > 0 && a == a + 0) printf "%.3f", a / b; else print "n/a" }')
  printf "%-15s %-10s %10s %14s %14s %10s\n" "$name" "$c" "${fx_ms:-n/a}" "${copies_ms:-n/a}" \
    "$torch_ms" "$ratio"
done
exit $status
