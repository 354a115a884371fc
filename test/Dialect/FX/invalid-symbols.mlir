// get_attr and call_module name things their module declares.
// RUN: fx-opt %s -split-input-file -verify-diagnostics

fx.graph_module @MissingParameter {
  fx.submodule @layer1 "torch.nn.Linear" {
    fx.parameter @weight : tensor<2x2xf32>
  }
  fx.graph @forward {
    // expected-error@+1 {{node layer1_bias target layer1.bias references nonexistent attribute bias of layer1}}
    %layer1_bias = fx.get_attr "layer1.bias" : tensor<2xf32>
    fx.output None
  }
}

// -----

fx.graph_module @MissingSubmodule {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{node layer2_0 target layer2.0 references nonexistent attribute layer2 of the root module}}
    %layer2_0 = fx.call_module "layer2.0"(%x) : (!fx.any) -> !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @GetAttrOfModule {
  fx.submodule @fc "torch.nn.Linear"
  fx.graph @forward {
    // expected-error@+1 {{target 'fc' names a 'fx.submodule', not a parameter, buffer or tensor constant}}
    %fc = fx.get_attr "fc" : !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @CallParameter {
  fx.parameter @w : tensor<2xf32>
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    // expected-error@+1 {{target 'w' names a 'fx.parameter', not a submodule}}
    %w = fx.call_module "w"(%x) : (!fx.any) -> !fx.any
    fx.output None
  }
}

// -----

fx.graph_module @ThroughAParameter {
  fx.parameter @w : tensor<2xf32>
  fx.graph @forward {
    // expected-error@+1 {{references nonexistent attribute w of the root module}}
    %w_x = fx.get_attr "w.x" : tensor<2xf32>
    fx.output None
  }
}

// -----

fx.graph_module @TypeMismatch {
  fx.parameter @w : tensor<2xf32>
  fx.graph @forward {
    // expected-error@+1 {{result type 'tensor<3xf32>' differs from the declared type 'tensor<2xf32>' of 'w'}}
    %w = fx.get_attr "w" : tensor<3xf32>
    fx.output None
  }
}

// -----

fx.graph_module @DuplicateSymbol {
  // expected-note@+1 {{see existing symbol definition here}}
  fx.parameter @w : tensor<2xf32>
  // expected-error@+1 {{redefinition of symbol named 'w'}}
  fx.buffer @w : tensor<2xf32>
}
