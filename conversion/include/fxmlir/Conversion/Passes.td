//===- Passes.td - Conversions out of the fx dialect -------*- tablegen -*-===//
#ifndef FXMLIR_CONVERSION_PASSES_TD
#define FXMLIR_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def FxToLinalg : Pass<"fx-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower fx graphs to linalg/tensor/arith/math on tensors in func.func";
  let description = [{
    Each `fx.graph` of a top-level `fx.graph_module` becomes `func.func @<module>_<graph>`
    taking the placeholders and returning the output's tensors, flattened in order; the
    graph module is erased. Parameters, buffers and constants become `arith.constant`s of
    their (dense or dense_resource) values. Each `call_function`/`call_method` is lowered by
    the lowering its registry entry names (`.lowerWith("name")` in ops/lib/<Family>.cpp; the
    lowering in conversion/lib/FxToLinalg/<Family>.cpp), with its arguments bound to the
    entry's schema; a call whose arguments are all known at compile time runs the reference
    kernel instead. Needs static types (fx-shape-prop) and no `call_module` nodes
    (fx-decompose-modules). A target without a lowering, or a configuration its lowering does
    not handle, fails the pass with the node and the target named; the lowered type is checked
    against the type shape propagation gave the node.

    The func carries `fx.signature`, e.g. `"x:f32[1,4]->output0:f32[1,5]"`, which the
    runners use to check inputs and allocate outputs. With `weights-as-inputs`, parameters
    and buffers are not embedded: they become arguments after the placeholders, named by
    their qualified names in the signature (`"x:f32[1,4];linear.weight:f32[5,4]->..."`), and
    may be declared without values.

    ```mlir
    fx.graph_module @M {
      fx.graph @forward {
        %x = fx.placeholder "x" : tensor<2x3xf32>
        %relu = fx.call_function "torch.relu"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
        fx.output %relu : tensor<2x3xf32>
      }
    }
    // becomes
    func.func @M_forward(%arg0: tensor<2x3xf32>) -> tensor<2x3xf32>
        attributes {fx.signature = "x:f32[2,3]->output0:f32[2,3]"} {
      %0 = tensor.empty() : tensor<2x3xf32>
      %1 = linalg.generic ... ins(%arg0 : tensor<2x3xf32>) outs(%0 : tensor<2x3xf32>) {
        ^bb0(%in: f32, %out: f32):
          %2 = arith.maximumf %in, %cst : f32
          linalg.yield %2 : f32
      } -> tensor<2x3xf32>
      return %1 : tensor<2x3xf32>
    }
    ```
  }];
  let options = [
    Option<"weightsAsInputs", "weights-as-inputs", "bool", "false",
           "parameters and buffers become inputs after the placeholders, not constants">,
  ];
  let dependentDialects = ["::mlir::func::FuncDialect", "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect", "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

#endif // FXMLIR_CONVERSION_PASSES_TD
