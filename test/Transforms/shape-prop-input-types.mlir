// RUN: fx-opt %s --pass-pipeline='builtin.module(fx.graph_module(fx-shape-prop{input-types=3x5xf32,i64}))' | FileCheck %s
// RUN: fx-opt %s --pass-pipeline='builtin.module(fx.graph_module(fx-shape-prop{input-types=3x5xf32 fold-shapes=false}))' | FileCheck %s --check-prefix=NOFOLD

// CHECK-LABEL: fx.graph_module @M
fx.graph_module @M {
  fx.graph @forward {
    // CHECK: %x = fx.placeholder "x" : tensor<3x5xf32>
    %x = fx.placeholder "x" : !fx.any
    // CHECK: %n = fx.placeholder "n" default 2 : tensor<i64>
    %n = fx.placeholder "n" default 2 : !fx.any
    // CHECK: %sum = fx.call_function "torch.sum"(%x, 1) : (tensor<3x5xf32>) -> tensor<3xf32>
    %sum = fx.call_function "torch.sum"(%x, 1) : (!fx.any) -> !fx.any
    // NOFOLD: %dim = fx.call_method "dim"(%x) : (tensor<3x5xf32>) -> !fx.int
    %dim = fx.call_method "dim"(%x) : (!fx.any) -> !fx.any
    // CHECK: fx.output (%sum, 2) : tensor<3xf32>
    fx.output (%sum, %dim) : !fx.any, !fx.any
  }
}
