// RUN: fx-opt %s -split-input-file -verify-diagnostics --fx-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @Small_forward
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<3x2xf32>)
// CHECK-SAME: fx.signature = "x:f32[2,3]->output0:f32[2,3];output1:f32[3,2]"
// CHECK: %[[RELU:.*]] = linalg.generic
// CHECK-SAME: ins(%[[X]] : tensor<2x3xf32>)
// CHECK: arith.maximumf
// Python-level arithmetic is evaluated at compile time: 2 * 3 + 1 is a literal 7.0.
// CHECK: %[[SCALED:.*]] = linalg.generic
// CHECK-SAME: ins(%[[RELU]] : tensor<2x3xf32>)
// CHECK: %[[CST:.*]] = arith.constant 7.000000e+00 : f32
// CHECK: arith.mulf %{{.*}}, %[[CST]]
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[SCALED]] : tensor<2x3xf32>) outs(%{{.*}} : tensor<3x2xf32>) permutation = [1, 0]
// CHECK: return %[[SCALED]], %[[T]] : tensor<2x3xf32>, tensor<3x2xf32>
// CHECK-NOT: fx.graph_module
fx.graph_module @Small {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x3xf32>
    %relu = fx.call_function "torch.relu"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    %mul = fx.call_function "operator.mul"(2, 3) : () -> !fx.int
    %add = fx.call_function "operator.add"(%mul, 1.0) : (!fx.int) -> !fx.float
    %scaled = fx.call_function "operator.mul"(%relu, %add) : (tensor<2x3xf32>, !fx.float) -> tensor<2x3xf32>
    %t = fx.call_method "t"(%scaled) : (tensor<2x3xf32>) -> tensor<3x2xf32>
    fx.output (%scaled, %t) : tensor<2x3xf32>, tensor<3x2xf32>
  }
}

// -----

// Parameters become constants, shared by every get_attr of the same target.
// CHECK-LABEL: func.func @Params_forward
// CHECK-COUNT-1: arith.constant dense<5.000000e-01> : tensor<4xf32>
// CHECK-NOT: arith.constant dense<5.000000e-01>
fx.graph_module @Params {
  fx.parameter @w : tensor<4xf32> = dense<0.5>
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<4xf32>
    %w = fx.get_attr "w" : tensor<4xf32>
    %w_1 = fx.get_attr "w" : tensor<4xf32>
    %add = fx.call_function "operator.add"(%x, %w) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    %add_1 = fx.call_function "operator.add"(%add, %w_1) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    fx.output %add_1 : tensor<4xf32>
  }
}

// -----

// Dense convolutions are im2col (patches as columns) and a matmul per image; grouped ones are
// linalg's grouped convolution.
// CHECK-LABEL: func.func @Conv_forward
// CHECK: tensor.pad
// CHECK: %[[PATCHES:.*]] = linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<3x3x3x4x4xf32>)
// CHECK: tensor.collapse_shape %[[PATCHES]]
// CHECK: %[[COLUMNS:.*]] = tensor.expand_shape {{.*}} into tensor<27x16xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %[[COLUMNS]] : tensor<4x27xf32>, tensor<27x16xf32>)
// CHECK: linalg.pooling_nchw_max
// CHECK: linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
fx.graph_module @Conv {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<1x3x8x8xf32>
    %w = fx.placeholder "w" : tensor<4x3x3x3xf32>
    %wg = fx.placeholder "wg" : tensor<4x1x3x3xf32>
    %conv2d = fx.call_function "torch.conv2d"(%x, %w, None, 2, 1) : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32>
    %pool = fx.call_function "torch.nn.functional.max_pool2d"(%conv2d, 2) : (tensor<1x4x4x4xf32>) -> tensor<1x4x2x2xf32>
    %conv2d_1 = fx.call_function "torch.conv2d"(%pool, %wg, None, 1, 1, 1, 4) : (tensor<1x4x2x2xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x2x2xf32>
    fx.output %conv2d_1 : tensor<1x4x2x2xf32>
  }
}

// -----

fx.graph_module @Untyped {
  fx.graph @forward {
    // expected-error@+1 {{placeholder 'x' has type '!fx.any'; lowering needs a statically shaped tensor (import with --input, or run fx-shape-prop with input-types)}}
    %x = fx.placeholder "x" : !fx.any
    fx.output %x : !fx.any
  }
}

// -----

fx.graph_module @UnknownTarget {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    // expected-error@+1 {{fx-to-linalg: unknown call_function target 'my_lib.frob' (node %frob)}}
    %frob = fx.call_function "my_lib.frob"(%x) : (tensor<2xf32>) -> tensor<2xf32>
    fx.output %frob : tensor<2xf32>
  }
}

// -----

fx.graph_module @Training {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    // expected-error@+1 {{cannot lower %dropout = call_function[target=torch.nn.functional.dropout]: dropout with training=True is random and cannot be compiled; lower the model in eval mode}}
    %dropout = fx.call_function "torch.nn.functional.dropout"(%x) : (tensor<2xf32>) -> tensor<2xf32>
    fx.output %dropout : tensor<2xf32>
  }
}

// -----

fx.graph_module @NoWeights {
  fx.parameter @w : tensor<2xf32>
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    // expected-error@+1 {{'w' is declared without a value; compiling needs the weights (import without --no-weights, or compile with weights as inputs)}}
    %w = fx.get_attr "w" : tensor<2xf32>
    %add = fx.call_function "operator.add"(%x, %w) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    fx.output %add : tensor<2xf32>
  }
}

// -----

fx.graph_module @ModuleCall {
  fx.submodule @relu "torch.nn.ReLU"(inplace = False)
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    // expected-error@+1 {{call_module 'relu' must be decomposed into function calls first (run fx-decompose-modules)}}
    %relu = fx.call_module "relu"(%x) : (tensor<2xf32>) -> tensor<2xf32>
    fx.output %relu : tensor<2xf32>
  }
}

// -----

// A bool mask selects a number of elements known only at run time: static shapes cannot hold
// it (the interpreter runs it).
fx.graph_module @BoolMaskIndexing {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<4xf32>
    %m = fx.placeholder "m" : tensor<4xi1>
    // expected-error@+1 {{cannot lower %getitem = call_function[target=operator.getitem]: indexing with a bool mask gives a shape known only at run time; it cannot be compiled (the interpreter runs it)}}
    %getitem = fx.call_function "operator.getitem"(%x, %m) : (tensor<4xf32>, tensor<4xi1>) -> tensor<2xf32>
    fx.output %getitem : tensor<2xf32>
  }
}

// -----

// Python numbers the graph returns are 0-d tensors (int: i64, bool: i1, float: f64), as the
// interpreter's outputs are flattened. A bool constant is stored as bytes (LLVM has no global
// of i1 elements) and converted.
// CHECK-LABEL: func.func @ReturnsNumbers_forward
// CHECK-SAME: fx.signature = "x:f32[4]->output0:i64[];output1:i1[];output2:f64[]"
// CHECK: arith.constant dense<4> : tensor<1xi64>
// CHECK: arith.constant dense<1> : tensor<1xi8>
// CHECK: arith.cmpi ne
// CHECK: arith.constant dense<2.500000e+00> : tensor<1xf64>
fx.graph_module @ReturnsNumbers {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<4xf32>
    fx.output (4, True, 2.5)
  }
}

// -----

fx.graph_module @ReturnsText {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<4xf32>
    // expected-error@+1 {{cannot lower %output = output[target=output]: the graph returns str 'text'; compiled graphs return tensors, numbers and sequences of them}}
    fx.output "text"
  }
}

