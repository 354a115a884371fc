// Subgraphs of parameters fold into constants, and the folded module computes the same.
// RUN: fx-opt %s --pass-pipeline='builtin.module(fx.graph_module(fx-const-fold))' | FileCheck %s
// RUN: fx-opt %s --pass-pipeline='builtin.module(fx.graph_module(fx-const-fold))' -o %t.folded.mlir
// RUN: fx-run %s --input 2x2xf32 --seed 3 --output-dir %t.dir.orig
// RUN: fx-run %t.folded.mlir --input 2x2xf32 --seed 3 --compare %t.dir.orig/output0.npy | FileCheck %s --check-prefix=SAME

// CHECK-LABEL: fx.graph_module @M
// CHECK: fx.tensor_constant @_folded_0 : tensor<2x2xf32> = dense_resource<_folded_0>
fx.graph_module @M {
  fx.parameter @w : tensor<2x2xf32> = dense<[[1.0, 2.0], [3.0, 4.0]]>
  fx.parameter @b : tensor<2xf32> = dense<[0.5, -0.5]>
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x2xf32>
    // w.t() * 2 + b depends only on parameters: one constant replaces it.
    // CHECK-NOT: "w"
    // CHECK-NOT: fx.call_method "t"
    %w = fx.get_attr "w" : tensor<2x2xf32>
    %t = fx.call_method "t"(%w) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %mul = fx.call_function "operator.mul"(%t, 2) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %b = fx.get_attr "b" : tensor<2xf32>
    %add = fx.call_function "operator.add"(%mul, %b) : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
    // CHECK: %_folded_0 = fx.get_attr "_folded_0" : tensor<2x2xf32>
    // CHECK: %matmul = fx.call_function "torch.matmul"(%x, %_folded_0)
    %matmul = fx.call_function "torch.matmul"(%x, %add) : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
    fx.output %matmul : tensor<2x2xf32>
  }
}
// SAME: max abs error 0, max rel error 0, ok
