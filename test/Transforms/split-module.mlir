// split_module by the fx.partition of each node; the split module computes the same.
// RUN: fx-opt %s --pass-pipeline='builtin.module(fx.graph_module(fx-split-module))' | FileCheck %s
// RUN: fx-opt %s --pass-pipeline='builtin.module(fx.graph_module(fx-split-module))' -o %t.split.mlir
// RUN: rm -rf %t.ref && mkdir -p %t.ref
// RUN: fx-run %s --input 2x3xf32 --output-dir %t.ref
// RUN: fx-run %t.split.mlir --input 2x3xf32 --compare %t.ref/output0.npy --compare %t.ref/output1.npy | FileCheck %s --check-prefix=SAME
// RUN: not fx-opt %S/Inputs/split-no-partition.mlir --pass-pipeline='builtin.module(fx.graph_module(fx-split-module))' 2>&1 | FileCheck %s --check-prefix=NOPART

// CHECK-LABEL: fx.graph_module @M
// CHECK: fx.submodule @submod_0 "torch.fx.graph_module.GraphModule" {
// CHECK:   fx.parameter @w
// CHECK:   fx.graph @forward {
// CHECK:     %x = fx.placeholder "x" : tensor<2x3xf32>
// CHECK:     %w = fx.get_attr "w"
// CHECK:     %add = fx.call_function "operator.add"(%x, %w)
// CHECK:     %relu = fx.call_function "torch.relu"(%add)
// CHECK:     fx.output (%relu, %add)
// CHECK: fx.submodule @submod_1 "torch.fx.graph_module.GraphModule" {
// CHECK:   fx.submodule @lin "torch.nn.Linear"
// CHECK:     %relu = fx.placeholder "relu"
// CHECK:     %lin = fx.call_module "lin"(%relu)
// CHECK:     fx.output %lin
// CHECK: fx.graph @forward {
// CHECK:   %x = fx.placeholder "x"
// CHECK:   %submod_0 = fx.call_module "submod_0"(%x) : (tensor<2x3xf32>) -> !fx.tuple<tensor<2x3xf32>, tensor<2x3xf32>>
// CHECK:   %getitem = fx.call_function "operator.getitem"(%submod_0, 0)
// CHECK:   %getitem_1 = fx.call_function "operator.getitem"(%submod_0, 1)
// CHECK:   %submod_1 = fx.call_module "submod_1"(%getitem)
// CHECK:   fx.output (%submod_1, %getitem_1)
// SAME: output0:
// SAME-NEXT: output0.npy: max abs error 0, max rel error 0, ok
// SAME: output1:
// SAME-NEXT: output1.npy: max abs error 0, max rel error 0, ok
// NOPART: error: node %relu has no integer fx.partition attribute

fx.graph_module @M {
  fx.parameter @w : tensor<2x3xf32> = dense<0.5>
  fx.submodule @lin "torch.nn.Linear"(in_features = 3, out_features = 2) {
    fx.parameter @weight : tensor<2x3xf32> = dense<[[1.0, 2.0, 3.0], [-1.0, 0.5, 0.25]]>
    fx.parameter @bias : tensor<2xf32> = dense<[0.1, 0.2]>
  }
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x3xf32>
    %w = fx.get_attr "w" {fx.partition = 0} : tensor<2x3xf32>
    %add = fx.call_function "operator.add"(%x, %w) {fx.partition = 0} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    %relu = fx.call_function "torch.relu"(%add) {fx.partition = 0} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    %lin = fx.call_module "lin"(%relu) {fx.partition = 1} : (tensor<2x3xf32>) -> tensor<2x2xf32>
    fx.output (%lin, %add) : tensor<2x2xf32>, tensor<2x3xf32>
  }
}
