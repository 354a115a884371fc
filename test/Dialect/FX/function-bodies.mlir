// The recorded bodies of torch.fx.wrap'ped functions: fx.graphs next to @forward, named by
// the calls' `fx.body`; `fx.body_error` says why a body could not be recorded.
// RUN: fx-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: fx.graph_module @Recorded
fx.graph_module @Recorded {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    // CHECK: fx.call_function "m.scale"(%x, 2.0) {fx.body = @m.scale, fx.wrapped}
    %scale = fx.call_function "m.scale"(%x, 2.0) {fx.body = @"m.scale", fx.wrapped} : (tensor<2xf32>) -> tensor<2xf32>
    // CHECK: fx.call_function "m.flip"(%scale) {fx.body_error = "TraceError: no", fx.wrapped}
    %flip = fx.call_function "m.flip"(%scale) {fx.body_error = "TraceError: no", fx.wrapped} : (tensor<2xf32>) -> tensor<2xf32>
    fx.output %flip : tensor<2xf32>
  }
  // CHECK: fx.graph @m.scale {
  fx.graph @"m.scale" {
    %x = fx.placeholder "x" : !fx.any
    %mul = fx.call_function "operator.mul"(%x, 2.0) : (!fx.any) -> !fx.any
    fx.output %mul : !fx.any
  }
}

// -----

fx.graph_module @MissingBody {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    // expected-error@+1 {{node scale names the body @m.scale of m.scale, but its graph module has no such fx.graph}}
    %scale = fx.call_function "m.scale"(%x, 2.0) {fx.body = @"m.scale"} : (tensor<2xf32>) -> tensor<2xf32>
    fx.output %scale : tensor<2xf32>
  }
}

// -----

fx.graph_module @ArityMismatch {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    // expected-error@+1 {{node scale passes 2 values to the body @m.scale, which has 1 placeholders (one per value argument, in order)}}
    %scale = fx.call_function "m.scale"(%x, %x) {fx.body = @"m.scale"} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    fx.output %scale : tensor<2xf32>
  }
  fx.graph @"m.scale" {
    %x = fx.placeholder "x" : !fx.any
    fx.output %x : !fx.any
  }
}

// -----

fx.graph_module @Recursive {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    %f = fx.call_function "m.f"(%x) {fx.body = @"m.f"} : (tensor<2xf32>) -> tensor<2xf32>
    fx.output %f : tensor<2xf32>
  }
  fx.graph @"m.f" {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{node f calls the body @m.f it is part of; recursive bodies cannot be run or inlined}}
    %f = fx.call_function "m.f"(%x) {fx.body = @"m.f"} : (!fx.any) -> !fx.any
    fx.output %f : !fx.any
  }
}

// -----

fx.graph_module @NotASymbol {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    // expected-error@+1 {{'fx.body' must name an fx.graph (@symbol), got "m.scale"}}
    %scale = fx.call_function "m.scale"(%x) {fx.body = "m.scale"} : (tensor<2xf32>) -> tensor<2xf32>
    fx.output %scale : tensor<2xf32>
  }
}

// -----

fx.graph_module @Both {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    // expected-error@+1 {{a call has a recorded body ('fx.body') or the reason it has none ('fx.body_error'), not both}}
    %scale = fx.call_function "m.scale"(%x) {fx.body = @"m.scale", fx.body_error = "no"} : (tensor<2xf32>) -> tensor<2xf32>
    fx.output %scale : tensor<2xf32>
  }
  fx.graph @"m.scale" {
    %x = fx.placeholder "x" : !fx.any
    fx.output %x : !fx.any
  }
}

// -----

fx.graph_module @OnAMethod {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    // expected-error@+1 {{'fx.body_error' belongs on fx.call_function nodes only}}
    %relu = fx.call_method "relu"(%x) {fx.body_error = "no"} : (tensor<2xf32>) -> tensor<2xf32>
    fx.output %relu : tensor<2xf32>
  }
}
