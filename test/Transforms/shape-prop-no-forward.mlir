// fx-shape-prop on a graph module without a forward graph is an error that says so, not a
// silent failure (found by fuzz/fx_passes_fuzzer).
// RUN: not fx-opt %s --pass-pipeline='builtin.module(fx.graph_module(fx-shape-prop))' 2>&1 | FileCheck %s
// CHECK: error: fx.graph_module @NoForward has no @forward graph
fx.graph_module @NoForward {
  fx.graph @other {
    fx.output None
  }
}
