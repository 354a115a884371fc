// RUN: fx-opt %s --fx-to-linalg --canonicalize | FileCheck %s

// A zero-element tensor crosses the function boundary as tensor<0xT> (a 3x0 memref has no
// strides the bare-pointer convention accepts); the signature keeps its shape. Inside, every
// zero-element value is a tensor.empty, and a contraction over K = 0 is its zero-filled init.
// CHECK-LABEL: func.func @Zero_forward
// CHECK-SAME: (%{{.*}}: tensor<0xf32>, %{{.*}}: tensor<0xf32>) -> (tensor<2x3xf32>, tensor<0xf32>)
// CHECK-SAME: fx.signature = "a:f32[2,0];b:f32[0,3]->output0:f32[2,3];output1:f32[0,3]"
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[FILLED:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[INIT]] : tensor<2x3xf32>)
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<0xf32>
// CHECK: return %[[FILLED]], %[[EMPTY]] : tensor<2x3xf32>, tensor<0xf32>
fx.graph_module @Zero {
  fx.graph @forward {
    %a = fx.placeholder "a" : tensor<2x0xf32>
    %b = fx.placeholder "b" : tensor<0x3xf32>
    %mm = fx.call_function "torch.matmul"(%a, %b) : (tensor<2x0xf32>, tensor<0x3xf32>) -> tensor<2x3xf32>
    %e = fx.call_function "torch.exp"(%b) : (tensor<0x3xf32>) -> tensor<0x3xf32>
    fx.output (%mm, %e) : tensor<2x3xf32>, tensor<0x3xf32>
  }
}
