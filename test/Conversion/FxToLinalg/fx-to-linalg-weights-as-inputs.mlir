// RUN: fx-opt %s --fx-to-linalg=weights-as-inputs=true | FileCheck %s

// Parameters and buffers, even declared without values, become arguments after the
// placeholders (in first-use order), named in the signature; tensor constants stay embedded.
// CHECK-LABEL: func.func @WeightsAsInputs_forward
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<2xf32>, %[[W:[a-z0-9]+]]: tensor<2xf32>, %[[M:[a-z0-9]+]]: tensor<2xf32>) -> tensor<2xf32>
// CHECK-SAME: fx.signature = "x:f32[2];w:f32[2];bn.mean:f32[2]->output0:f32[2]"
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[X]], %[[W]] : tensor<2xf32>, tensor<2xf32>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %[[M]] : tensor<2xf32>, tensor<2xf32>)
// CHECK: arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
fx.graph_module @WeightsAsInputs {
  fx.parameter @w : tensor<2xf32>
  fx.submodule @bn "torch.nn.Module"() {
    fx.buffer @mean : tensor<2xf32> = dense<0.5>
  }
  fx.tensor_constant @_tensor_constant0 : tensor<2xf32> = dense<[1.0, 2.0]>
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    %w = fx.get_attr "w" : tensor<2xf32>
    %add = fx.call_function "operator.add"(%x, %w) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    %mean = fx.get_attr "bn.mean" : tensor<2xf32>
    %sub = fx.call_function "operator.sub"(%add, %mean) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    %c = fx.get_attr "_tensor_constant0" : tensor<2xf32>
    %w_1 = fx.get_attr "w" : tensor<2xf32>
    %mul = fx.call_function "operator.mul"(%sub, %c) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    %mul_1 = fx.call_function "operator.mul"(%mul, %w_1) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    fx.output %mul_1 : tensor<2xf32>
  }
}
