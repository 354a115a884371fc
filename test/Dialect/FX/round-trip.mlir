// Every op and every literal kind prints and parses back to the same text, through the custom
// syntax, the generic form, and bytecode.
// RUN: fx-opt %s > %t.custom
// RUN: fx-opt %t.custom > %t.again
// RUN: diff %t.custom %t.again
// RUN: fx-opt --mlir-print-op-generic %s | fx-opt > %t.generic
// RUN: diff %t.custom %t.generic
// RUN: fx-opt --emit-bytecode %s | fx-opt > %t.bytecode
// RUN: diff %t.custom %t.bytecode
// RUN: FileCheck %s < %t.custom

// CHECK-LABEL: fx.graph_module @Containers
fx.graph_module @Containers {
  // CHECK: fx.parameter @param : tensor<2x2xf32> = dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]>
  fx.parameter @param : tensor<2x2xf32> = dense<[[1.0, 2.0], [3.0, 4.0]]>
  // CHECK: fx.parameter @declared : tensor<?x4xf32>{{$}}
  fx.parameter @declared : tensor<?x4xf32>
  // CHECK: fx.buffer @running_mean : tensor<4xf32> = dense_resource<running_mean>
  fx.buffer @running_mean : tensor<4xf32> = dense_resource<running_mean>
  // CHECK: fx.tensor_constant @_tensor_constant0 : tensor<3xi64> = dense<[1, 2, 3]>
  fx.tensor_constant @_tensor_constant0 : tensor<3xi64> = dense<[1, 2, 3]>
  // CHECK: fx.submodule @layer1 "torch.nn.Sequential" {
  fx.submodule @layer1 "torch.nn.Sequential" {
    // CHECK: fx.submodule @"0" "torch.nn.Conv2d"(in_channels = 3, out_channels = 8, kernel_size = (3, 3), padding_mode = "zeros", bias = False) {
    fx.submodule @"0" "torch.nn.Conv2d"(in_channels = 3, out_channels = 8, kernel_size = (3, 3), padding_mode = "zeros", bias = False) {
      fx.parameter @weight : tensor<8x3x3x3xf32>
    }
    // CHECK: fx.submodule @"1" "torch.nn.ReLU"(inplace = True){{$}}
    fx.submodule @"1" "torch.nn.ReLU"(inplace = True)
  }
  // CHECK: fx.submodule @relu "torch.nn.ReLU"{{$}}
  fx.submodule @relu "torch.nn.ReLU"
  // CHECK: fx.graph @forward
  fx.graph @forward {
    // CHECK-NEXT: %x = fx.placeholder "x" : tensor<1x3x8x8xf32>
    %x = fx.placeholder "x" : tensor<1x3x8x8xf32>
    // CHECK-NEXT: %scale = fx.placeholder "scale" default 2.5 : !fx.float
    %scale = fx.placeholder "scale" default 2.5 : !fx.float
    // CHECK-NEXT: %args = fx.placeholder "*args" : !fx.tuple<>
    %args = fx.placeholder "*args" : !fx.tuple<>
    // CHECK-NEXT: %param = fx.get_attr "param" : tensor<2x2xf32>
    %param = fx.get_attr "param" : tensor<2x2xf32>
    // CHECK-NEXT: %layer1_0_weight = fx.get_attr "layer1.0.weight" : tensor<8x3x3x3xf32>
    %layer1_0_weight = fx.get_attr "layer1.0.weight" : tensor<8x3x3x3xf32>
    // CHECK-NEXT: %layer1_0 = fx.call_module "layer1.0"(%x) : (tensor<1x3x8x8xf32>) -> tensor<1x8x6x6xf32>
    %layer1_0 = fx.call_module "layer1.0"(%x) : (tensor<1x3x8x8xf32>) -> tensor<1x8x6x6xf32>
    // CHECK-NEXT: %relu = fx.call_module "relu"(%layer1_0) : (tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
    %relu = fx.call_module "relu"(%layer1_0) : (tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
    // CHECK-NEXT: %size = fx.call_method "size"(%relu, 1) : (tensor<1x8x6x6xf32>) -> !fx.int
    %size = fx.call_method "size"(%relu, 1) : (tensor<1x8x6x6xf32>) -> !fx.int
    // CHECK-NEXT: %view = fx.call_method "view"(%relu, -1, %size) : (tensor<1x8x6x6xf32>, !fx.int) -> tensor<36x8xf32>
    %view = fx.call_method "view"(%relu, -1, %size) : (tensor<1x8x6x6xf32>, !fx.int) -> tensor<36x8xf32>
    // Floats: plain, exponent, inf, -inf, nan, negative zero.
    // CHECK-NEXT: %clamp = fx.call_function "torch.clamp"(%view, min = 1.0e-05, max = inf) : (tensor<36x8xf32>) -> tensor<36x8xf32>
    %clamp = fx.call_function "torch.clamp"(%view, min = 1.0e-05, max = inf) : (tensor<36x8xf32>) -> tensor<36x8xf32>
    // CHECK-NEXT: %clamp_1 = fx.call_function "torch.clamp"(%clamp, -inf, nan) : (tensor<36x8xf32>) -> tensor<36x8xf32>
    %clamp_1 = fx.call_function "torch.clamp"(%clamp, -inf, nan) : (tensor<36x8xf32>) -> tensor<36x8xf32>
    // CHECK-NEXT: %mul = fx.call_function "operator.mul"(%clamp_1, -0.0) : (tensor<36x8xf32>) -> tensor<36x8xf32>
    %mul = fx.call_function "operator.mul"(%clamp_1, -0.0) : (tensor<36x8xf32>) -> tensor<36x8xf32>
    // Reflected operator: literal on the left.
    // CHECK-NEXT: %truediv = fx.call_function "operator.truediv"(1.0, %mul) : (tensor<36x8xf32>) -> tensor<36x8xf32>
    %truediv = fx.call_function "operator.truediv"(1.0, %mul) : (tensor<36x8xf32>) -> tensor<36x8xf32>
    // Slices, Ellipsis, None and values inside an indexing tuple.
    // CHECK-NEXT: %getitem = fx.call_function "operator.getitem"(%truediv, (slice(None, %size, 2), ..., None)) : (tensor<36x8xf32>, !fx.int) -> tensor<18x1x8xf32>
    %getitem = fx.call_function "operator.getitem"(%truediv, (slice(None, %size, 2), ..., None)) : (tensor<36x8xf32>, !fx.int) -> tensor<18x1x8xf32>
    // dtype, device, strings with escapes, bools, qualified names, empty and one-element tuples.
    // CHECK-NEXT: %to = fx.call_method "to"(%getitem, torch.float16, device = device("cuda:0"), non_blocking = False, memory_format = torch.contiguous_format) : (tensor<18x1x8xf32>) -> tensor<18x1x8xf16>
    %to = fx.call_method "to"(%getitem, torch.float16, device = device("cuda:0"), non_blocking = False, memory_format = torch.contiguous_format) : (tensor<18x1x8xf32>) -> tensor<18x1x8xf16>
    // CHECK-NEXT: %einsum = fx.call_function "torch.functional.einsum"("ij,jk->ik \22q\22\0A", [%param, %param], (), (1,), qualname("my module.f")) : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
    %einsum = fx.call_function "torch.functional.einsum"("ij,jk->ik \"q\"\n", [%param, %param], (), (1,), qualname("my module.f")) : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
    // Nested dicts with non-string keys, lists of lists, an int-keyed dict.
    // CHECK-NEXT: %wrapped = fx.call_function "my_lib.wrapped_fn"({"a": {{\[}}[1, 2], [3]], 3: {"b": %scale}}, True) : (!fx.float) -> !fx.any
    %wrapped = fx.call_function "my_lib.wrapped_fn"({"a": [[1, 2], [3]], 3: {"b": %scale}}, True) : (!fx.float) -> !fx.any
    // CHECK-NEXT: %assert_1 = fx.call_function "torch._assert"(True, "msg") : () -> !fx.none
    %assert_1 = fx.call_function "torch._assert"(True, "msg") : () -> !fx.none
    // CHECK-NEXT: %shape = fx.call_function "getattr"(%x, "shape") : (tensor<1x3x8x8xf32>) -> !fx.tuple<!fx.int, !fx.int, !fx.int, !fx.int>
    %shape = fx.call_function "getattr"(%x, "shape") : (tensor<1x3x8x8xf32>) -> !fx.tuple<!fx.int, !fx.int, !fx.int, !fx.int>
    // CHECK-NEXT: %split = fx.call_function "torch.split"(%param, 1) : (tensor<2x2xf32>) -> !fx.tuple<tensor<2x1xf32>, tensor<2x1xf32>>
    %split = fx.call_function "torch.split"(%param, 1) : (tensor<2x2xf32>) -> !fx.tuple<tensor<2x1xf32>, tensor<2x1xf32>>
    // CHECK-NEXT: %lst = fx.call_function "builtins.list"(%split) : (!fx.tuple<tensor<2x1xf32>, tensor<2x1xf32>>) -> !fx.list<tensor<2x1xf32>>
    %lst = fx.call_function "builtins.list"(%split) : (!fx.tuple<tensor<2x1xf32>, tensor<2x1xf32>>) -> !fx.list<tensor<2x1xf32>>
    // CHECK-NEXT: %misc = fx.call_function "f"(%args, %lst) : (!fx.tuple<>, !fx.list<tensor<2x1xf32>>) -> !fx.tuple<!fx.bool, !fx.str, !fx.dtype, !fx.device, !fx.none>
    %misc = fx.call_function "f"(%args, %lst) : (!fx.tuple<>, !fx.list<tensor<2x1xf32>>) -> !fx.tuple<!fx.bool, !fx.str, !fx.dtype, !fx.device, !fx.none>
    // CHECK-NEXT: %big = fx.call_function "operator.add"(9223372036854775807, -9223372036854775807) : () -> !fx.int
    %big = fx.call_function "operator.add"(9223372036854775807, -9223372036854775807) : () -> !fx.int
    // CHECK-NEXT: fx.output (%to, [%getitem, None], {"w": %layer1_0_weight, "s": %shape}) : tensor<18x1x8xf16>, tensor<18x1x8xf32>, tensor<8x3x3x3xf32>, !fx.tuple<!fx.int, !fx.int, !fx.int, !fx.int>
    fx.output (%to, [%getitem, None], {"w": %layer1_0_weight, "s": %shape}) : tensor<18x1x8xf16>, tensor<18x1x8xf32>, tensor<8x3x3x3xf32>, !fx.tuple<!fx.int, !fx.int, !fx.int, !fx.int>
  }
}

// A second module and a graph returning a plain literal; sibling graphs reuse node names.
// CHECK-LABEL: fx.graph_module @Second
fx.graph_module @Second {
  fx.graph @forward {
    // CHECK: %x = fx.placeholder "x" : !fx.any
    %x = fx.placeholder "x" : !fx.any
    // CHECK-NEXT: fx.output None
    fx.output None
  }
  // CHECK: fx.graph @helper
  fx.graph @helper {
    // CHECK-NEXT: %x = fx.placeholder "x" : !fx.any
    %x = fx.placeholder "x" : !fx.any
    // CHECK-NEXT: fx.output %x : !fx.any
    fx.output %x : !fx.any
  }
}

{-#
  dialect_resources: {
    builtin: {
      running_mean: "0x040000000000803F0000004000004040000080C0"
    }
  }
#-}
