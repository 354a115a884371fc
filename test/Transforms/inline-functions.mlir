// fx-inline-functions: calls of recorded bodies become copies of the bodies' nodes, with names
// unique in the caller, nested calls inlined too, and the bodies erased.
// RUN: fx-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(fx.graph_module(fx-inline-functions))' | FileCheck %s

// CHECK-LABEL: fx.graph_module @Net
fx.graph_module @Net {
  fx.parameter @weight : tensor<6x4xf32>
  // CHECK: fx.graph @forward {
  fx.graph @forward {
    // CHECK-NEXT: %x = fx.placeholder "x" : tensor<3x4xf32>
    %x = fx.placeholder "x" : tensor<3x4xf32>
    // CHECK-NEXT: %weight = fx.get_attr "weight"
    %weight = fx.get_attr "weight" : tensor<6x4xf32>
    // The copy's names avoid the caller's (%mul is taken); its last node takes the call's type.
    // CHECK-NEXT: %linear = fx.call_function "torch._C._nn.linear"(%x, %weight) : (tensor<3x4xf32>, tensor<6x4xf32>) -> !fx.any
    // CHECK-NEXT: %mul_1 = fx.call_function "operator.mul"(%linear, 2.0) : (!fx.any) -> !fx.any
    // The nested call, inlined in turn.
    // CHECK-NEXT: %add = fx.call_function "operator.add"(%mul_1, -1.0) : (!fx.any) -> tensor<3x6xf32>
    %gated = fx.call_function "m.gated"(%x, %weight, 2.0, shift = -1.0) {fx.body = @"m.gated", fx.wrapped} : (tensor<3x4xf32>, tensor<6x4xf32>) -> tensor<3x6xf32>
    // A tuple result: getitem takes the elements.
    // CHECK-NEXT: %chunk = fx.call_method "chunk"(%add, 2, dim = -1) : (tensor<3x6xf32>) -> !fx.any
    // CHECK-NEXT: %getitem_1 = fx.call_function "operator.getitem"(%chunk, 0) : (!fx.any) -> !fx.any
    // CHECK-NEXT: %getitem_2 = fx.call_function "operator.getitem"(%chunk, 1) : (!fx.any) -> !fx.any
    %halves = fx.call_function "m.halves"(%gated) {fx.body = @"m.halves", fx.wrapped} : (tensor<3x6xf32>) -> !fx.tuple<tensor<3x3xf32>, tensor<3x3xf32>>
    // CHECK-NEXT: %getitem = fx.call_function "operator.getitem"((%getitem_1, %getitem_2), 0)
    %getitem = fx.call_function "operator.getitem"(%halves, 0) : (!fx.tuple<tensor<3x3xf32>, tensor<3x3xf32>>) -> tensor<3x3xf32>
    // CHECK-NEXT: %mul = fx.call_function "operator.mul"(%getitem, %getitem)
    %mul = fx.call_function "operator.mul"(%getitem, %getitem) : (tensor<3x3xf32>, tensor<3x3xf32>) -> tensor<3x3xf32>
    // A body that returns its argument: the call's users read the argument.
    // CHECK-NOT: m.identity
    %same = fx.call_function "m.identity"(%mul, 0.1) {fx.body = @"m.identity", fx.wrapped} : (tensor<3x3xf32>) -> tensor<3x3xf32>
    // CHECK: fx.output %mul : tensor<3x3xf32>
    fx.output %same : tensor<3x3xf32>
  }
  // CHECK-NOT: fx.graph
  fx.graph @"m.offset" {
    %x = fx.placeholder "x" : !fx.any
    %add = fx.call_function "operator.add"(%x, -1.0) : (!fx.any) -> !fx.any
    fx.output %add : !fx.any
  }
  fx.graph @"m.gated" {
    %x = fx.placeholder "x" : !fx.any
    %weight = fx.placeholder "weight" : !fx.any
    %linear = fx.call_function "torch._C._nn.linear"(%x, %weight) : (!fx.any, !fx.any) -> !fx.any
    %mul = fx.call_function "operator.mul"(%linear, 2.0) : (!fx.any) -> !fx.any
    %offset = fx.call_function "m.offset"(%mul, -1.0) {fx.body = @"m.offset", fx.wrapped} : (!fx.any) -> !fx.any
    fx.output %offset : !fx.any
  }
  fx.graph @"m.halves" {
    %x = fx.placeholder "x" : !fx.any
    %chunk = fx.call_method "chunk"(%x, 2, dim = -1) : (!fx.any) -> !fx.any
    %getitem = fx.call_function "operator.getitem"(%chunk, 0) : (!fx.any) -> !fx.any
    %getitem_1 = fx.call_function "operator.getitem"(%chunk, 1) : (!fx.any) -> !fx.any
    fx.output (%getitem, %getitem_1) : !fx.any, !fx.any
  }
  fx.graph @"m.identity" {
    %input = fx.placeholder "input" : !fx.any
    fx.output %input : !fx.any
  }
}

// -----

fx.graph_module @Unrecorded {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    // expected-error@+1 {{the body of wrapped function m.flip could not be recorded: TraceError: symbolically traced variables cannot be used as inputs to control flow}}
    %flip = fx.call_function "m.flip"(%x) {fx.body_error = "TraceError: symbolically traced variables cannot be used as inputs to control flow", fx.wrapped} : (tensor<2xf32>) -> tensor<2xf32>
    fx.output %flip : tensor<2xf32>
  }
}

// -----

// Bodies that call each other are rejected rather than inlined forever; the error points at
// the body's node (called from the copies above it).
fx.graph_module @Mutual {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    %f = fx.call_function "m.f"(%x) {fx.body = @"m.f"} : (tensor<2xf32>) -> tensor<2xf32>
    fx.output %f : tensor<2xf32>
  }
  fx.graph @"m.f" {
    %x = fx.placeholder "x" : !fx.any
    %g = fx.call_function "m.g"(%x) {fx.body = @"m.g"} : (!fx.any) -> !fx.any
    fx.output %g : !fx.any
  }
  fx.graph @"m.g" {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{bodies of wrapped functions nest more than 64 deep (do they call each other?)}}
    %f = fx.call_function "m.f"(%x) {fx.body = @"m.f"} : (!fx.any) -> !fx.any
    fx.output %f : !fx.any
  }
}
