// Ops written in generic form with missing or wrong attributes are rejected, never crash.
// RUN: fx-opt %s -split-input-file -verify-diagnostics

fx.graph_module @M {
  fx.graph @forward {
    // expected-error@+1 {{requires attribute 'args'}}
    %0 = "fx.call_module"() <{name = "a", target = "a", kwargs = #fx.dict<[], []>}> : () -> !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @M {
  fx.graph @forward {
    // expected-error@+1 {{'fx.call_module' op requires one result}}
    "fx.call_module"() : () -> ()
    fx.output None
  }
}

// -----

fx.graph_module @M {
  fx.graph @forward {
    // expected-error@+1 {{requires attribute 'args'}}
    %0 = "fx.call_module"() : () -> !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @M {
  fx.graph @forward {
    // expected-error@+1 {{Invalid attribute `target` in property conversion: 3 : i64}}
    %0 = "fx.get_attr"() <{name = "w", target = 3}> : () -> !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @M {
  // expected-error@+1 {{'fx.graph' op requires attribute 'sym_name'}}
  "fx.graph"() ({
    "fx.output"() <{args = [#fx.none]}> : () -> ()
  }) : () -> ()
}

// -----

// expected-error@+1 {{'fx.graph_module' op region #0 ('body') failed to verify constraint: region with 1 blocks}}
"fx.graph_module"() <{sym_name = "M"}> ({}) : () -> ()

// -----

fx.graph_module @M {
  // expected-error@+1 {{requires attribute 'hyperparameters'}}
  "fx.submodule"() <{sym_name = "s", module_type = "torch.nn.ReLU"}> ({}) : () -> ()
}

// -----

fx.graph_module @M {
  // expected-error@+1 {{needs a module type}}
  fx.submodule @s ""
}
