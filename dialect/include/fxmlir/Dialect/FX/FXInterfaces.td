#ifndef FXMLIR_DIALECT_FX_FXINTERFACES_TD
#define FXMLIR_DIALECT_FX_FXINTERFACES_TD

include "mlir/IR/OpBase.td"

def FX_NodeOpInterface : OpInterface<"NodeOpInterface"> {
  let cppNamespace = "::mlir::fx";
  let description = [{
    A torch.fx node: one of the six opcode ops. Gives passes the node's name, opcode and target
    without switching on the op class.
  }];
  let methods = [
    InterfaceMethod<"The node's name (its SSA name in the printed form).",
                    "::llvm::StringRef", "getNodeName">,
    InterfaceMethod<"The torch.fx opcode: placeholder, get_attr, call_function, ...",
                    "::llvm::StringRef", "getOpcode">,
    InterfaceMethod<"The node's target as torch.fx prints it ('output' for the output node).",
                    "::llvm::StringRef", "getTargetName">,
    InterfaceMethod<[{The node's `args` as torch.fx has them: a literal tree whose operand
                      markers stand for the op's operands in order. A placeholder's args are
                      `(default,)` or empty.}],
                    "::mlir::ArrayAttr", "getNodeArgs">,
    InterfaceMethod<"The node's `kwargs` (an fx DictAttr), or null when it has none.",
                    "::mlir::Attribute", "getNodeKwargs">,
  ];
}

#endif // FXMLIR_DIALECT_FX_FXINTERFACES_TD
