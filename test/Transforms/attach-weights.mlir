// fx-attach-weights: the importer's raw weights file gives the module's dense_resource blobs
// their bytes (the blob 1.0f at offset 0, its index line at 4, the 32-byte trailer).
// RUN: printf '\000\000\200\077w\t0\t4\t4\nFXWEIGHTS1 00000000000000000004\n' > %t.weights
// RUN: fx-opt %s --fx-attach-weights=file=%t.weights | FileCheck %s
// RUN: printf 'not a weights file' > %t.bad
// RUN: not fx-opt %s --fx-attach-weights=file=%t.bad 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not fx-opt %s --fx-attach-weights=file=%t.missing 2>&1 | FileCheck %s --check-prefix=MISSING

// CHECK-LABEL: fx.graph_module @M
// CHECK: fx.parameter @w : tensor<1xf32> = dense_resource<w>
// CHECK: w: "0x040000000000803F"
// BAD: error: weights file '{{.*}}.bad': not a weights file written by fx-import-torch (no FXWEIGHTS1 trailer)
// MISSING: error: cannot read weights file '{{.*}}.missing'
fx.graph_module @M {
  fx.parameter @w : tensor<1xf32> = dense_resource<w>
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<1xf32>
    %w = fx.get_attr "w" : tensor<1xf32>
    %add = fx.call_function "operator.add"(%x, %w) : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
    fx.output %add : tensor<1xf32>
  }
}
