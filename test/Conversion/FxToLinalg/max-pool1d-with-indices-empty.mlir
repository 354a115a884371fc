// max_pool1d_with_indices of a zero-length input (kernel 2) passes shape propagation, then
// crashed fx-to-linalg (maxPoolWithIndices reads an element of an empty vector; found by
// fuzz/fx_lowering_fuzzer). torch rejects it (output size below one), and so does the shape rule.
// RUN: not fx-opt %s --pass-pipeline='builtin.module(fx.graph_module(fx-shape-prop),fx-to-linalg)' 2>&1 | FileCheck %s
// CHECK: error: {{.*}}is too small
fx.graph_module @MaxPool1dEmpty {
  fx.graph @forward {
    %t0 = fx.placeholder "t0" : tensor<2x1x0xf32>
    %result = fx.call_function "torch.nn.functional.max_pool1d_with_indices"(%t0, 2) : (tensor<2x1x0xf32>) -> !fx.any
    fx.output %result : !fx.any
  }
}
