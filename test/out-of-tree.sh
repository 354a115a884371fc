#!/usr/bin/env bash
# Builds examples/relu-to-gelu against a staged install of this build tree (cmake --install)
# and runs its lit test with the installed fx-opt loading the plugin.
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
stage=$build/staged-install
rm -rf "$stage" "$build/example-relu-to-gelu"
cmake --install "$build" --prefix "$stage" >/dev/null
cmake -G Ninja -S "$src/examples/relu-to-gelu" -B "$build/example-relu-to-gelu" \
  -DCMAKE_PREFIX_PATH="$stage" -DCMAKE_BUILD_TYPE=Release \
  ${CMAKE_CXX_COMPILER:+-DCMAKE_CXX_COMPILER=$CMAKE_CXX_COMPILER} >/dev/null
cmake --build "$build/example-relu-to-gelu" >/dev/null
/usr/lib/llvm-22/bin/lit -sv "$src/examples/relu-to-gelu/test" \
  -Dfx_opt="$stage/bin/fx-opt" -Dplugin="$build/example-relu-to-gelu/ReluToGelu.so"
