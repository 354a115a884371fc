// RUN: fx-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(fx.graph_module(fx-shape-prop))' | FileCheck %s

// Types flow from the placeholders through modules, methods and functions; sizes fold.
// CHECK-LABEL: fx.graph_module @Shapes
fx.graph_module @Shapes {
  fx.submodule @fc "torch.nn.Linear"(in_features = 8, out_features = 3, bias = True) {
    fx.parameter @weight : tensor<3x8xf32>
    fx.parameter @bias : tensor<3xf32>
  }
  fx.graph @forward {
    // CHECK: %x = fx.placeholder "x" : tensor<2x4x2xf32>
    %x = fx.placeholder "x" : tensor<2x4x2xf32>
    // CHECK-NOT: fx.call_method "size"
    %size = fx.call_method "size"(%x, 0) : (tensor<2x4x2xf32>) -> !fx.any
    %shape = fx.call_function "builtins.getattr"(%x, "shape") : (tensor<2x4x2xf32>) -> !fx.any
    %getitem = fx.call_function "operator.getitem"(%shape, -1) : (!fx.any) -> !fx.any
    %mul = fx.call_function "operator.mul"(%getitem, 4) : (!fx.any) -> !fx.any
    // CHECK: %view = fx.call_method "view"(%x, 2, 8) : (tensor<2x4x2xf32>) -> tensor<2x8xf32>
    %view = fx.call_method "view"(%x, %size, %mul) : (tensor<2x4x2xf32>, !fx.any, !fx.any) -> !fx.any
    // CHECK: %fc = fx.call_module "fc"(%view) : (tensor<2x8xf32>) -> tensor<2x3xf32>
    %fc = fx.call_module "fc"(%view) : (!fx.any) -> !fx.any
    %floordiv = fx.call_function "operator.floordiv"(%mul, 3) : (!fx.any) -> !fx.any
    %sqrt = fx.call_function "math.sqrt"(%floordiv) : (!fx.any) -> !fx.any
    // CHECK: %truediv = fx.call_function "operator.truediv"(%fc, 1.4142135623730951) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    %truediv = fx.call_function "operator.truediv"(%fc, %sqrt) : (!fx.any, !fx.any) -> !fx.any
    // CHECK: %split = fx.call_method "split"(%truediv, 1, dim = 1) : (tensor<2x3xf32>) -> !fx.tuple<tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>>
    %split = fx.call_method "split"(%truediv, 1, dim = 1) : (!fx.any) -> !fx.any
    // CHECK: %eq = fx.call_function "operator.eq"(%x, 0) : (tensor<2x4x2xf32>) -> tensor<2x4x2xi1>
    %eq = fx.call_function "operator.eq"(%x, 0) : (tensor<2x4x2xf32>) -> !fx.any
    // CHECK: fx.output (%split, %eq, 8) : !fx.tuple<tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>>, tensor<2x4x2xi1>
    fx.output (%split, %eq, %mul) : !fx.any, !fx.any, !fx.any
  }
}

// -----

// Without input-types, a placeholder of unknown type is an error.
fx.graph_module @Untyped {
  fx.graph @forward {
    // expected-error@+1 {{fx-shape-prop needs a static tensor type for placeholder 'x', got '!fx.any' (give it in the IR or with input-types=...)}}
    %x = fx.placeholder "x" : !fx.any
    %relu = fx.call_function "torch.relu"(%x) : (!fx.any) -> !fx.any
    fx.output %relu : !fx.any
  }
}

// -----

fx.graph_module @UnknownTarget {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    // expected-error@+1 {{while executing %frob = call_function[target=my_lib.frob]: no reference kernel for call_function target 'my_lib.frob'}}
    %frob = fx.call_function "my_lib.frob"(%x) : (tensor<2xf32>) -> !fx.any
    fx.output %frob : !fx.any
  }
}
