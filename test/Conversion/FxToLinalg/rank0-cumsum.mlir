// torch.cumsum of a rank-0 tensor (dim=-1, which torch accepts and returns the tensor) crashed
// fx-to-linalg: SIGSEGV in AffineMap::compose (found by fuzz/fx_lowering_fuzzer).
// RUN: fx-opt %s --fx-to-linalg | FileCheck %s
// CHECK-LABEL: func.func @Rank0_forward(%arg0: tensor<f32>)
// CHECK-NEXT: return %arg0 : tensor<f32>
fx.graph_module @Rank0 {
  fx.graph @forward {
    %t0 = fx.placeholder "t0" : tensor<f32>
    %cumsum = fx.call_function "torch.cumsum"(%t0, dim = -1) : (tensor<f32>) -> tensor<f32>
    fx.output %cumsum : tensor<f32>
  }
}
