// RUN: fx-opt %s --pass-pipeline='builtin.module(fx.graph_module(fx.graph(fx-dce)))' | FileCheck %s
// Upstream canonicalization removes the same nodes, through the side-effect interface.
// RUN: fx-opt %s --canonicalize | FileCheck %s
// Parameters are public symbols named by strings: upstream symbol DCE keeps them.
// RUN: fx-opt %s --symbol-dce | FileCheck %s --check-prefix=SYMBOLS
// SYMBOLS: fx.parameter @w

// CHECK-LABEL: fx.graph_module @M
fx.graph_module @M {
  fx.parameter @w : tensor<2xf32>
  fx.graph @forward {
    // Placeholders stay even when unused.
    // CHECK: %x = fx.placeholder "x"
    // CHECK-NEXT: %unused = fx.placeholder "unused"
    %x = fx.placeholder "x" : tensor<2xf32>
    %unused = fx.placeholder "unused" : tensor<2xf32>
    // A dead chain of pure nodes goes, get_attr included.
    // CHECK-NOT: %w =
    // CHECK-NOT: %add =
    // CHECK-NOT: %relu =
    %w = fx.get_attr "w" : tensor<2xf32>
    %add = fx.call_function "operator.add"(%x, %w) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    %relu = fx.call_method "relu"(%add) : (tensor<2xf32>) -> tensor<2xf32>
    // Side effects stay: torch._assert, in-place methods, print.
    // CHECK: %_assert = fx.call_function "torch._assert"
    %_assert = fx.call_function "torch._assert"(True, "ok") : () -> !fx.none
    // CHECK: %add_ = fx.call_method "add_"
    %add_ = fx.call_method "add_"(%x, 1) : (tensor<2xf32>) -> tensor<2xf32>
    // CHECK: %print = fx.call_function "builtins.print"
    %print = fx.call_function "builtins.print"(%x) : (tensor<2xf32>) -> !fx.none
    // CHECK: %neg = fx.call_function "operator.neg"
    %neg = fx.call_function "operator.neg"(%x) : (tensor<2xf32>) -> tensor<2xf32>
    // CHECK: fx.output %neg
    fx.output %neg : tensor<2xf32>
  }
}
