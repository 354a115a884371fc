// RUN: fx-opt %s --fx-to-linalg --canonicalize | FileCheck %s

// A call folded at compile time into an empty tensor becomes a constant of no bytes (found by
// fuzz/fx_lowering_fuzzer: the sanitizer suite flagged the copy from a null buffer).
// CHECK-LABEL: func.func @Empty_forward
// CHECK-SAME: fx.signature = "->output0:f32[2,0]"
// CHECK: tensor.empty() : tensor<0xf32>
// CHECK: return
fx.graph_module @Empty {
  fx.graph @forward {
    %empty = fx.call_function "torch.empty"([2, 0]) : () -> tensor<2x0xf32>
    fx.output %empty : tensor<2x0xf32>
  }
}
