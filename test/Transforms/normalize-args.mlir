// RUN: fx-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(fx.graph_module(fx.graph(fx-normalize-args)))' | FileCheck %s

// CHECK-LABEL: fx.graph_module @Aliases
fx.graph_module @Aliases {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x3xf32>
    // All three spellings of relu become the most general one, F.relu; nodes keep their names.
    // CHECK: %relu = fx.call_function "torch.nn.functional.relu"(%x, False) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    %relu = fx.call_function "torch.relu"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    // CHECK: %relu_1 = fx.call_function "torch.nn.functional.relu"(%relu, False)
    %relu_1 = fx.call_method "relu"(%relu) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    // CHECK: %gelu = fx.call_function "torch.nn.functional.gelu"(%relu_1, approximate = "none")
    %gelu = fx.call_function "torch._C._nn.gelu"(%relu_1) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    // Defaults filled in, keyword arguments to positions, keyword-only stay keywords.
    // CHECK: %flatten = fx.call_function "torch.flatten"(%gelu, 0, -1)
    %flatten = fx.call_method "flatten"(%gelu) : (tensor<2x3xf32>) -> tensor<6xf32>
    // CHECK: %sum_1 = fx.call_function "torch.sum"(%x, [1], True, dtype = None)
    %sum_1 = fx.call_function "torch.sum"(%x, keepdim = True, dim = [1]) : (tensor<2x3xf32>) -> tensor<2x1xf32>
    // CHECK: %add = fx.call_function "operator.add"(%x, 1.5, alpha = 1)
    %add = fx.call_function "torch.add"(%x, 1.5) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    // A method without a function form stays a method; varargs stay positional.
    // CHECK: %view = fx.call_method "view"(%x, 3, 2)
    %view = fx.call_method "view"(%x, 3, 2) : (tensor<2x3xf32>) -> tensor<3x2xf32>
    // Unknown targets are left alone.
    // CHECK: %frob = fx.call_function "my_lib.frob"(%x, k = 1)
    %frob = fx.call_function "my_lib.frob"(%x, k = 1) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    fx.output (%flatten, %sum_1, %add, %view, %frob) : tensor<6xf32>, tensor<2x1xf32>, tensor<2x3xf32>, tensor<3x2xf32>, tensor<2x3xf32>
  }
}

// -----

fx.graph_module @BadCall {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x3xf32>
    // expected-error@+1 {{cannot normalize %flatten = call_function[target=torch.flatten]: torch.flatten() got an unexpected keyword argument 'dims'}}
    %flatten = fx.call_function "torch.flatten"(%x, dims = 1) : (tensor<2x3xf32>) -> tensor<6xf32>
    fx.output %flatten : tensor<6xf32>
  }
}
