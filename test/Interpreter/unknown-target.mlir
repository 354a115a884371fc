// A target without a reference kernel, and a module type without one, are named.
// RUN: not fx-run %s --input 2xf32 2>&1 | FileCheck %s
// CHECK: error: while executing %frobnicate = call_function[target=my_lib.frobnicate]: no reference kernel for call_function target 'my_lib.frobnicate'

fx.graph_module @M {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    %frobnicate = fx.call_function "my_lib.frobnicate"(%x) : (tensor<2xf32>) -> tensor<2xf32>
    fx.output %frobnicate : tensor<2xf32>
  }
}

// RUN: not fx-run %S/Inputs/unknown-module.mlir --input 2xf32 2>&1 | FileCheck %s --check-prefix=MODULE
// MODULE: error: while executing %block = call_module[target=block]: no reference implementation for module type 'my_lib.Block'
