#!/usr/bin/env bash
# README command 2: set up, build, and run the whole test suite (lit + GoogleTest under ctest).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FX_BUILD_DIR:-$root/build}

bash "$root/scripts/build.sh"
ctest --test-dir "$build" --output-on-failure -j "${FX_JOBS:-2}"
