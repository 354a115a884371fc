#!/usr/bin/env bash
# Issue 15's torchvision models at full size (reported, not asserted; not run in CI, where
# test/Codegen/CPU/models.test runs them small): each imported with its weights (seed 1), run
# on each backend against PyTorch eager (normalised rtol 1e-4, atol 1e-5), one row per model
# with wall-clock seconds per step. The reference interpreter takes minutes on the larger ones.
# Usage: bench/models-full.sh [WORK_DIR] [build-dir]
#   BACKENDS="interp cpu gpu-emulated" (default "interp cpu"), FX_TIMEOUT=seconds per step
#   (default 3600), MODELS="vit_b_16 swin_t" (default all).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
build=${2:-$root/build}
backends=${BACKENDS:-interp cpu}
limit=${FX_TIMEOUT:-3600}
pymodels=$root/frontend/python/fx_mlir/models
status=0

# Seconds a command took (its output in $log), or "-" when it failed.
timed() {
  local start end
  start=$(date +%s.%N)
  timeout "$limit" "$@" > "$log" 2>&1 || return 1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }'
}

header="| model | input | nodes | import s"
for b in $backends; do header+=" | $b s"; done
echo "$header | result |"
echo "|$(printf -- ' --- |%.0s' $(seq 1 $((4 + $(wc -w <<< "$backends") + 1))))"
while read -r name spec input; do
  case $name in ''|'#'*) continue ;; esac
  if [ -n "${MODELS:-}" ] && ! grep -qw -- "$name" <<< "$MODELS"; then continue; fi
  dir=$work/$name
  mkdir -p "$dir"
  log=$dir/import.log
  if ! t=$(timed "$build/bin/fx-import-torch" "${spec/#pymodels/$pymodels}" --input "$input" \
           --seed 1 -o "$dir/model.mlirbc" --save-io "$dir"); then
    echo "| $name | $input | | - | import failed: $(grep -v Warning "$log" | tail -1) |"
    status=1
    continue
  fi
  nodes=$(sed -n 's/^imported [^:]*: \([0-9]*\) nodes.*/\1/p' "$log")
  row="| $name | $input | $nodes | $t"
  compare=()
  for o in $(cd "$dir" && ls output*.npy | sort -V); do compare+=(--compare "$dir/$o"); done
  result=ok
  for b in $backends; do
    log=$dir/$b.log
    if t=$(timed "$build/bin/fx-run" "$dir/model.mlirbc" --backend="$b" --normalize \
             --input "$dir/input0.npy" "${compare[@]}"); then
      row+=" | $t"
    else
      row+=" | -"
      # The first failure says most (the later backends usually fail the same way).
      [ "$result" = ok ] && result="$b: $(grep -m1 -E 'error|MISMATCH' "$log" | cut -c1-160)"
      status=1
    fi
  done
  echo "$row | $result |"
done <<EOF_MODELS
vit_b_16                      pymodels/vision.py:vit_b_16                      1x3x224x224xf32
swin_t                        torchvision.models:swin_t                        1x3x224x224xf32
maxvit_t                      torchvision.models:maxvit_t                      1x3x224x224xf32
shufflenet_v2_x0_5            torchvision.models:shufflenet_v2_x0_5            1x3x224x224xf32
convnext_small                torchvision.models:convnext_small                1x3x224x224xf32
efficientnet_v2_s             torchvision.models:efficientnet_v2_s             1x3x224x224xf32
deeplabv3_mobilenet_v3_large  pymodels/vision.py:deeplabv3_mobilenet_v3_large  1x3x224x224xf32
fcn_resnet50                  pymodels/vision.py:fcn_resnet50                  1x3x224x224xf32
mc3_18                        torchvision.models.video:mc3_18                  1x3x16x112x112xf32
r2plus1d_18                   torchvision.models.video:r2plus1d_18             1x3x16x112x112xf32
EOF_MODELS
exit $status
