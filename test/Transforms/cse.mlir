// RUN: fx-opt %s --pass-pipeline='builtin.module(fx.graph_module(fx.graph(fx-cse)))' | FileCheck %s
// Upstream -cse compares node names too, so it merges nothing here.
// RUN: fx-opt %s --cse | FileCheck %s --check-prefix=UPSTREAM

// CHECK-LABEL: fx.graph_module @M
fx.graph_module @M {
  fx.parameter @w : tensor<2xf32>
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    // CHECK: %w = fx.get_attr "w"
    // CHECK-NOT: %w_1 =
    %w = fx.get_attr "w" : tensor<2xf32>
    %w_1 = fx.get_attr "w" : tensor<2xf32>
    // CHECK: %add = fx.call_function "operator.add"(%x, %w)
    // CHECK-NOT: %add_1 =
    %add = fx.call_function "operator.add"(%x, %w) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    %add_1 = fx.call_function "operator.add"(%x, %w_1) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    // Different literal arguments: both stay.
    // CHECK: %mul = fx.call_function "operator.mul"(%add, 2)
    // CHECK: %mul_1 = fx.call_function "operator.mul"(%add, 3)
    %mul = fx.call_function "operator.mul"(%add, 2) : (tensor<2xf32>) -> tensor<2xf32>
    %mul_1 = fx.call_function "operator.mul"(%add_1, 3) : (tensor<2xf32>) -> tensor<2xf32>
    // Impure nodes are never merged.
    // CHECK: %add_ = fx.call_method "add_"(%x, 1)
    // CHECK: %add__1 = fx.call_method "add_"(%x, 1)
    %add_ = fx.call_method "add_"(%x, 1) : (tensor<2xf32>) -> tensor<2xf32>
    %add__1 = fx.call_method "add_"(%x, 1) : (tensor<2xf32>) -> tensor<2xf32>
    // CHECK: fx.output (%mul, %mul_1, %add, %add_, %add__1)
    fx.output (%mul, %mul_1, %add_1, %add_, %add__1) : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  }
}
// UPSTREAM: %add_1 = fx.call_function "operator.add"
