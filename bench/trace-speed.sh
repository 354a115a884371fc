#!/usr/bin/env bash
# Benchmark (reported, not asserted): the C++ tracer on the zoo's resnet50 against
# torch.fx.symbolic_trace on torchvision's resnet50, measured in the same run (fastest of N; the
# first C++ trace in a process is reported too, since later ones reuse the cached
# hyper-parameter attributes of the same modules).
# Usage: bench/trace-speed.sh [build-dir] [N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
n=${2:-30}
python=${FX_PYTHON:-/usr/bin/python3}

for model in resnet18 resnet50; do
  line=$("$build/bin/fx-trace" "$model" --no-weights -o /dev/null --repeat "$n" 2>&1)
  cpp=$(echo "$line" | sed -n 's/.*trace \([0-9.]*\) ms.*/\1/p')
  first=$(echo "$line" | sed -n 's/.*first \([0-9.]*\) ms.*/\1/p')
  py=$("$python" - "$model" "$n" <<'PY' 2>/dev/null
import sys, time
import torch, torch.fx, torchvision
m = getattr(torchvision.models, sys.argv[1])()
best = min((lambda t: (torch.fx.symbolic_trace(m), time.perf_counter() - t)[1])(time.perf_counter())
           for _ in range(int(sys.argv[2])))
print("%.3f" % (best * 1e3))
PY
  ) || py=""
  if [ -n "$py" ]; then
    ratio=$(awk -v a="$py" -v b="$cpp" 'BEGIN { printf "%.1f", a / b }')
    ratio1=$(awk -v a="$py" -v b="$first" 'BEGIN { printf "%.1f", a / b }')
    echo "$model: fx-trace ${cpp} ms (first trace in the process ${first} ms)," \
         "torch.fx.symbolic_trace ${py} ms: ${ratio}x faster (${ratio1}x for the first trace)"
  else
    echo "$model: fx-trace ${cpp} ms (PyTorch not available for the comparison)"
  fi
done
