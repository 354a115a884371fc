//===- Values.h - Runtime values <-> IR --------------------------*- C++ -*-===//
//
// The bridge between the runtime's values (fxmlir::PyValue, fxmlir::Tensor: what kernels
// compute on) and the IR (literal trees, element types, elements attributes): the interpreter
// reads node arguments and weights through it, the tracer and the passes write values back as
// IR. It is its own library so that none of them needs another for it.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_BRIDGE_VALUES_H
#define FXMLIR_BRIDGE_VALUES_H

#include "fxmlir/Dialect/FX/FXOps.h"
#include "fxmlir/Ops/Registry.h"
#include "fxmlir/Runtime/PyValue.h"

namespace mlir::fx {

/// Literal trees <-> Python values. `literalToPyValue` takes operand markers from `operands`
/// (advancing `next`) and throws fxmlir::OpError on what it cannot represent;
/// `pyValueToLiteral` returns null for tensors and other values without a literal form.
fxmlir::PyValue literalToPyValue(Attribute literal, ArrayRef<fxmlir::PyValue> operands,
                                 unsigned &next);
Attribute pyValueToLiteral(MLIRContext *context, const fxmlir::PyValue &value);

/// A call node's positional and keyword arguments as Python values, operand markers taken from
/// `operands` (the values of the node's operands, in order).
struct CallArguments {
  std::vector<fxmlir::PyValue> args;
  std::vector<std::pair<std::string, fxmlir::PyValue>> kwargs;
};
CallArguments callArguments(NodeOpInterface node, ArrayRef<fxmlir::PyValue> operands);

/// A submodule's hyper-parameters bound to its type's constructor signature (defaults filled in);
/// throws fxmlir::OpError naming an unknown or missing one.
fxmlir::BoundArgs bindHyperparameters(SubmoduleOp module, const fxmlir::ModuleInfo &info);

/// The fx dialect type of a runtime value: tensor<...> for tensors, !fx.int for ints, ...
Type typeOfPyValue(MLIRContext *context, const fxmlir::PyValue &value);
/// The MLIR element type of a dtype.
Type elementTypeOf(MLIRContext *context, fxmlir::DType dtype);
/// Maps a tensor element type to a torch dtype; false for types the runtime lacks.
bool dtypeFromElementType(Type type, fxmlir::DType &dtype);

/// A tensor's values as a dense_resource attribute (blob named `key`).
ElementsAttr tensorToElementsAttr(MLIRContext *context, const fxmlir::Tensor &tensor,
                                  StringRef key);
/// The values of a parameter, buffer or constant declaration (dense or dense_resource).
FailureOr<fxmlir::Tensor> tensorFromDeclaration(Operation *decl);

} // namespace mlir::fx

#endif
