// Graph.lint(): the structure of a graph.
// RUN: fx-opt %s -split-input-file -verify-diagnostics

fx.graph_module @PlaceholderAfterNode {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-note@+1 {{first non-placeholder node is here}}
    %relu = fx.call_function "torch.relu"(%x) : (!fx.any) -> !fx.any
    // expected-error@+1 {{placeholder 'y' must come before all other nodes}}
    %y = fx.placeholder "y" : !fx.any
    fx.output %relu : !fx.any
  }
}

// -----

fx.graph_module @NoOutput {
  fx.graph @forward {
    // expected-error@+1 {{block with no terminator}}
    %x = fx.placeholder "x" : !fx.any
  }
}

// -----

fx.graph_module @TwoOutputs {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{must be the last operation in the parent block}}
    fx.output %x : !fx.any
    fx.output %x : !fx.any
  }
}

// -----

fx.graph_module @DuplicateName {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-note@+1 {{previous definition is here}}
    %0 = "fx.call_function"(%x) <{name = "relu", target = "torch.relu", args = [#fx.operand], kwargs = #fx.dict<[], []>}> : (!fx.any) -> !fx.any
    // expected-error@+1 {{Node redefined name relu!}}
    %1 = "fx.call_function"(%0) <{name = "relu", target = "torch.relu", args = [#fx.operand], kwargs = #fx.dict<[], []>}> : (!fx.any) -> !fx.any
    fx.output %1 : !fx.any
  }
}

// -----

fx.graph_module @UseBeforeDef {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{operand #0 does not dominate this use}}
    %a = fx.call_function "torch.relu"(%b) : (!fx.any) -> !fx.any
    // expected-note@+1 {{operand defined here}}
    %b = fx.call_function "torch.relu"(%x) : (!fx.any) -> !fx.any
    fx.output %a : !fx.any
  }
}

// -----

fx.graph_module @ForeignOp {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{is not an fx node}}
    %c = arith.constant 1 : i64
    fx.output %x : !fx.any
  }
}

// -----

// expected-error@+1 {{expects parent op 'fx.graph'}}
%x = fx.placeholder "x" : !fx.any

// -----

fx.graph_module @GraphOutsideModule {
}
// expected-error@+1 {{expects parent op to be one of 'fx.graph_module, fx.submodule'}}
fx.graph @forward {
  fx.output None
}

// -----

fx.graph_module @ParameterInGraph {
  fx.graph @forward {
    // expected-error@+1 {{expects parent op to be one of 'fx.graph_module, fx.submodule'}}
    fx.parameter @w : tensor<2xf32>
    fx.output None
  }
}

// -----

fx.graph_module @OutputArity {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{takes exactly one argument (the returned value), got 2}}
    "fx.output"(%x) <{args = [#fx.operand, 1]}> : (!fx.any) -> ()
  }
}

// -----

fx.graph_module @EmptyGraph {
  // expected-error@+1 {{expects a non-empty block}}
  "fx.graph"() <{sym_name = "forward"}> ({
  ^bb0:
  }) : () -> ()
}
