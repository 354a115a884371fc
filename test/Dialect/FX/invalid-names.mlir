// Node names are the SSA names and must be Python identifiers.
// RUN: fx-opt %s -split-input-file -verify-diagnostics

fx.graph_module @NumericName {
  fx.graph @forward {
    // expected-error@+1 {{node name '0' is not a valid Python identifier}}
    %0 = fx.placeholder "x" : !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @KeywordName {
  fx.graph @forward {
    // expected-error@+1 {{node name 'lambda' is not a valid Python identifier}}
    %lambda = fx.placeholder "x" : !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @GenericBadName {
  fx.graph @forward {
    // expected-error@+1 {{node name 'a.b' is not a valid Python identifier}}
    %0 = "fx.placeholder"() <{name = "a.b", target = "x"}> : () -> !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @EmptyTarget {
  fx.graph @forward {
    // expected-error@+1 {{has an empty target}}
    %x = fx.placeholder "" : !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @BadKwargName {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{keyword argument names must be Python identifiers, got 3}}
    %0 = "fx.call_function"(%x) <{name = "relu", target = "torch.relu", args = [#fx.operand], kwargs = #fx.dict<[3], [1]>}> : (!fx.any) -> !fx.any
    fx.output None
  }
}
