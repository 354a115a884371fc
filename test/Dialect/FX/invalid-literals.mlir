// Literal arguments must be well formed and match the operands.
// RUN: fx-opt %s -split-input-file -verify-diagnostics

fx.graph_module @I32Literal {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{argument 1 is malformed: integer literals must be i64 (or i1 for bool)}}
    %0 = "fx.call_function"(%x) <{name = "add", target = "operator.add", args = [#fx.operand, 1 : i32], kwargs = #fx.dict<[], []>}> : (!fx.any) -> !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @NotALiteral {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{argument 1 is malformed: 'affine_map<(d0) -> (d0)>' is not a literal argument}}
    %0 = "fx.call_function"(%x) <{name = "add", target = "operator.add", args = [#fx.operand, affine_map<(d0) -> (d0)>], kwargs = #fx.dict<[], []>}> : (!fx.any) -> !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @TooFewMarkers {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{arguments refer to 1 SSA values but the op has 2 operands}}
    %0 = "fx.call_function"(%x, %x) <{name = "add", target = "operator.add", args = [#fx.operand, 1], kwargs = #fx.dict<[], []>}> : (!fx.any, !fx.any) -> !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @TooManyMarkers {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{arguments refer to 2 SSA values but the op has 1 operands}}
    %0 = "fx.call_function"(%x) <{name = "add", target = "operator.add", args = [#fx.operand], kwargs = #fx.dict<["alpha"], [#fx.operand]>}> : (!fx.any) -> !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @NodeInDictKey {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{Keys for dictionaries used as an argument cannot contain a Node}}
    %f = fx.call_function "f"({%x: 1}) : (!fx.any) -> !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @UnknownDType {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{unknown torch dtype 'torch.float31'}}
    %0 = "fx.call_method"(%x) <{name = "to", target = "to", args = [#fx.operand, #fx.dtype<"float31">], kwargs = #fx.dict<[], []>}> : (!fx.any) -> !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @BareWord {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{unexpected 'foo' in a node argument}}
    %f = fx.call_function "f"(%x, foo) : (!fx.any) -> !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @PositionalAfterKeyword {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{positional argument follows keyword argument}}
    %f = fx.call_function "f"(dim = 1, %x) : (!fx.any) -> !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @DefaultWithValue {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{a placeholder's default must be a literal}}
    %y = fx.placeholder "y" default %x : !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @IntOverflow {
  fx.graph @forward {
    // expected-error@+1 {{integer literal out of range}}
    %f = fx.call_function "f"(99999999999999999999) : () -> !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @DictArity {
  fx.graph @forward {
    // expected-error@+1 {{dict has 2 keys but 1 values}}
    %0 = "fx.call_function"() <{name = "f", target = "f", args = [], kwargs = #fx.dict<["a", "b"], [1]>}> : () -> !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @HyperparameterValue {
  // expected-error@+1 {{hyper-parameters are literals and may not refer to SSA values}}
  fx.submodule @conv "torch.nn.Conv2d"(in_channels = %x)
}
