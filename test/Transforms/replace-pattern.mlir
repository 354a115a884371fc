// RUN: fx-opt %s --pass-pipeline='builtin.module(fx.graph_module(fx-replace-pattern{pattern-file=%S/Inputs/relu-to-gelu.mlir}))' 2>&1 | FileCheck %s
// RUN: fx-opt %s --pass-pipeline='builtin.module(fx.graph_module(fx-replace-pattern{pattern-file=%S/Inputs/add-relu.mlir}))' 2>&1 | FileCheck %s --check-prefix=ADD
// RUN: not fx-opt %s --pass-pipeline='builtin.module(fx.graph_module(fx-replace-pattern))' 2>&1 | FileCheck %s --check-prefix=NOFILE

// CHECK: remark: fx-replace-pattern: 3 matches replaced
// CHECK-LABEL: fx.graph_module @M
// CHECK-NOT: torch.relu
// CHECK: %gelu = fx.call_function "torch.nn.functional.gelu"(%add)
// CHECK: %gelu_1 = fx.call_function "torch.nn.functional.gelu"(%gelu)
// CHECK: %gelu_2 = fx.call_function "torch.nn.functional.gelu"(%x)
// CHECK: fx.output (%gelu_1, %add_1, %gelu_2)

// relu(add(x, y)) matches once; the replacement takes the anchor's type and its users.
// ADD: remark: fx-replace-pattern: 1 match replaced
// ADD: %add_2 = fx.call_function "torch.add"(%x, %y) : (tensor<4xf32>, tensor<4xf32>) -> !fx.any
// ADD-NEXT: %clamp = fx.call_method "clamp"(%add_2, min = 0.0) : (!fx.any) -> tensor<4xf32>
// ADD-NEXT: %relu_1 = fx.call_function "torch.relu"(%clamp)
// ADD-NEXT: %add_1 = fx.call_function "operator.add"(%clamp, %y)
// ADD-NEXT: %relu_2 = fx.call_function "torch.relu"(%x)

// NOFILE: error: fx-replace-pattern needs pattern-file=<file with @pattern and @replacement>

fx.graph_module @M {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<4xf32>
    %y = fx.placeholder "y" : tensor<4xf32>
    %add = fx.call_function "operator.add"(%x, %y) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    %relu = fx.call_function "torch.relu"(%add) : (tensor<4xf32>) -> tensor<4xf32>
    %relu_1 = fx.call_function "torch.relu"(%relu) : (tensor<4xf32>) -> tensor<4xf32>
    %add_1 = fx.call_function "operator.add"(%relu, %y) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    %relu_2 = fx.call_function "torch.relu"(%x) : (tensor<4xf32>) -> tensor<4xf32>
    fx.output (%relu_1, %add_1, %relu_2) : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
  }
}
