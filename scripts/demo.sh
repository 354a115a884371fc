#!/usr/bin/env bash
# README command 1: set up, build, and run the main job on the built-in example.
# Today the chain is: read a traced module (torch.fx's MyModule example) -> verify and
# round-trip it through fx-opt (text and bytecode) -> print it as torch.fx prints its graph and
# its generated code. Tracing, passes, lowering and execution join as they land.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FX_BUILD_DIR:-$root/build}
bin=$build/bin
example=${1:-$root/examples/my_module.mlir}

bash "$root/scripts/build.sh" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== fx graph ($example) through fx-opt"
"$bin/fx-opt" "$example" -o "$work/model.mlir"
cat "$work/model.mlir"
echo "== round trip: text and bytecode give back the same module"
"$bin/fx-opt" --emit-bytecode "$work/model.mlir" -o "$work/model.mlirbc"
"$bin/fx-opt" "$work/model.mlirbc" | diff -q - "$work/model.mlir" >/dev/null
echo "ok ($(stat -c %s "$work/model.mlir") bytes of text, $(stat -c %s "$work/model.mlirbc") bytes of bytecode)"
echo "== print(gm.graph)"
"$bin/fx-translate" --fx-to-graph-text "$work/model.mlir"
echo "== gm.code"
"$bin/fx-translate" --fx-to-python "$work/model.mlir"
echo
echo "== not yet available: tracing (fx-trace), passes, lowering and execution (fx-run)"
