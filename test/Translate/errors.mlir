// fx-translate's own errors.
// RUN: not fx-translate --fx-to-graph-text %s --split-input-file 2>&1 | FileCheck %s

// CHECK: error: no fx.graph_module to translate
module {
}

// -----

// CHECK: error: fx.graph_module @NoForward has no @forward graph
fx.graph_module @NoForward {
  fx.graph @other {
    fx.output None
  }
}
