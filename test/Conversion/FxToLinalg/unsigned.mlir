// RUN: fx-opt %s --fx-to-linalg --canonicalize | FileCheck %s

// torch.uint8 (`ui8`) becomes signless i8 (arith takes signless integers only) with unsigned
// ops where signedness matters; the signature keeps ui8 for the runtime.
// CHECK-LABEL: func.func @U8_forward
// CHECK-SAME: (%{{.*}}: tensor<4xi8>, %{{.*}}: tensor<4xi8>) -> (tensor<4xi1>, tensor<4xi8>, tensor<4xf32>, tensor<4xi64>, tensor<4xi8>)
// CHECK-SAME: fx.signature = "a:ui8[4];b:ui8[4]->output0:i1[4];output1:ui8[4];output2:f32[4];output3:i64[4];output4:ui8[4]"
// CHECK: arith.cmpi ult
// CHECK: arith.divui
// CHECK: arith.uitofp
// CHECK: arith.extui
// CHECK: arith.maxui
// CHECK-NOT: ui8
fx.graph_module @U8 {
  fx.graph @forward {
    %a = fx.placeholder "a" : tensor<4xui8>
    %b = fx.placeholder "b" : tensor<4xui8>
    %lt = fx.call_function "operator.lt"(%a, %b) : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
    %div = fx.call_function "operator.floordiv"(%a, %b) : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
    %f = fx.call_method "float"(%a) : (tensor<4xui8>) -> tensor<4xf32>
    %l = fx.call_method "long"(%a) : (tensor<4xui8>) -> tensor<4xi64>
    %max = fx.call_function "torch.maximum"(%a, %b) : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
    fx.output (%lt, %div, %f, %l, %max) : tensor<4xi1>, tensor<4xui8>, tensor<4xf32>, tensor<4xi64>, tensor<4xui8>
  }
}
