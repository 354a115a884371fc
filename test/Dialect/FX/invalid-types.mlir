// Types: nodes produce tensors or fx values; declarations hold tensors of their declared type.
// RUN: fx-opt %s -split-input-file -verify-diagnostics

fx.graph_module @BuiltinScalarResult {
  fx.graph @forward {
    // expected-error@+1 {{result #0 must be tensor or fx value, but got 'i32'}}
    %x = fx.placeholder "x" : i32
    fx.output None
  }
}

// -----

fx.graph_module @ValueTypeMismatch {
  // expected-error@+1 {{value of type 'tensor<3xf32>' does not match the declared type 'tensor<2xf32>'}}
  "fx.parameter"() <{sym_name = "w", type = tensor<2xf32>, value = dense<1.0> : tensor<3xf32>}> : () -> ()
}

// -----

fx.graph_module @NotATensor {
  // expected-error@+1 {{attribute 'type' failed to satisfy constraint: type attribute of tensor of any type values}}
  fx.parameter @w : i32
}

// -----

fx.graph_module @TwoResults {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{an fx node has exactly one result, got 2}}
    %y = fx.call_function "f"(%x) : (!fx.any) -> (!fx.any, !fx.any)
    fx.output None
  }
}

// -----

fx.graph_module @OperandTypeMismatch {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    // expected-error@+2 {{use of value '%x' expects different type than prior uses: 'tensor<3xf32>' vs 'tensor<2xf32>'}}
    // expected-note@-2 {{prior use here}}
    %y = fx.call_function "torch.relu"(%x) : (tensor<3xf32>) -> tensor<3xf32>
    fx.output None
  }
}

// -----

// expected-error@+1 {{unknown  type `tensr` in dialect `fx`}}
func.func private @f(!fx.tensr)
