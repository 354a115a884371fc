// torch.ops.aten.nll_loss2d_backward with a floating target of the wrong shape passes shape
// propagation, then crashed fx-to-linalg (null operation in lowerNllLossBackward's
// linalg.generic; found by fuzz/fx_lowering_fuzzer). torch rejects the call (class indices are
// Long), and so do the kernel and the lowering.
// RUN: not fx-opt %s --pass-pipeline='builtin.module(fx.graph_module(fx-shape-prop),fx-to-linalg)' 2>&1 | FileCheck %s
// CHECK: error: {{.*}}expected scalar type Long but found float64
fx.graph_module @NllLoss2dBackward {
  fx.graph @forward {
    %t0 = fx.placeholder "t0" : tensor<2x2x2xf32>
    %t1 = fx.placeholder "t1" : tensor<2x3x2x2xf32>
    %t2 = fx.placeholder "t2" : tensor<2x2x2xf64>
    %t3 = fx.placeholder "t3" : tensor<f32>
    %result = fx.call_function "torch.ops.aten.nll_loss2d_backward.default"(%t0, %t1, %t2, None, 0, 1, %t3) : (tensor<2x2x2xf32>, tensor<2x3x2x2xf32>, tensor<2x2x2xf64>, tensor<f32>) -> !fx.any
    fx.output %result : !fx.any
  }
}
