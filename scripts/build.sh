#!/usr/bin/env bash
# Installs what is missing, configures and builds FX-MLIR into build/ (or $FX_BUILD_DIR).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FX_BUILD_DIR:-$root/build}

bash "$root/scripts/install-deps.sh"

compilers=()
if command -v clang++-22 >/dev/null; then
  compilers=(-DCMAKE_CXX_COMPILER=clang++-22 -DCMAKE_C_COMPILER=clang-22)
fi
if [ ! -f "$build/build.ninja" ]; then
  # shellcheck disable=SC2086 # FX_CMAKE_ARGS: extra -D flags (scripts/test.sh --sanitize)
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release "${compilers[@]}" \
    ${FX_CMAKE_ARGS:-}
fi
# Two cores and ~0.5 GB per MLIR translation unit: -j2 is what these machines take.
cmake --build "$build" -j "${FX_JOBS:-2}"
