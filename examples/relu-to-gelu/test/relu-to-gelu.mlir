// RUN: %fx_opt --load-pass-plugin=%plugin --pass-pipeline='builtin.module(fx.graph_module(fx.graph(relu-to-gelu)))' %s | FileCheck %s

// CHECK-LABEL: fx.graph_module @M
fx.graph_module @M {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<4xf32>
    // CHECK: %gelu = fx.call_function "torch.nn.functional.gelu"(%x) : (tensor<4xf32>) -> tensor<4xf32>
    %relu = fx.call_function "torch.relu"(%x) : (tensor<4xf32>) -> tensor<4xf32>
    // CHECK: %add = fx.call_function "operator.add"(%gelu, 1)
    %add = fx.call_function "operator.add"(%relu, 1) : (tensor<4xf32>) -> tensor<4xf32>
    // CHECK: %gelu_1 = fx.call_function "torch.nn.functional.gelu"(%add)
    %relu_1 = fx.call_method "relu"(%add) : (tensor<4xf32>) -> tensor<4xf32>
    // CHECK-NOT: relu
    // CHECK: fx.output %gelu_1
    fx.output %relu_1 : tensor<4xf32>
  }
}
