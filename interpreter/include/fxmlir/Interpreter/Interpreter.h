//===- Interpreter.h - Run fx graphs with reference kernels -----*- C++ -*-===//
//
// torch.fx's Interpreter: executes a graph node by node on host tensors, with the registry's
// reference kernels (ops/). It is the oracle every lowering is checked against.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_INTERPRETER_INTERPRETER_H
#define FXMLIR_INTERPRETER_INTERPRETER_H

#include "fxmlir/Dialect/FX/FXOps.h"
#include "fxmlir/Ops/Registry.h"
#include "fxmlir/Runtime/PyValue.h"

namespace mlir::fx {

/// Called with every node of the top-level graph and the value it produced (ShapeProp's hook).
using NodeObserver = llvm::function_ref<void(Operation *node, const fxmlir::PyValue &value)>;

/// Runs the `forward` graph of `module` on `inputs` (one per placeholder; placeholders with a
/// default may be left out). On failure, emits a diagnostic at the failing node ("while
/// executing %name ...") and returns failure. With `zeroFillDeclarations`, parameters declared
/// without values read as zeros (enough for shape propagation).
FailureOr<fxmlir::PyValue> interpretGraphModule(GraphModuleOp module,
                                                ArrayRef<fxmlir::PyValue> inputs,
                                                NodeObserver observer = nullptr,
                                                bool zeroFillDeclarations = false);

/// Runs one registered function or method on Python values; throws fxmlir::OpError.
fxmlir::PyValue callTarget(StringRef opcode, StringRef target,
                           const std::vector<fxmlir::PyValue> &args,
                           const std::vector<std::pair<std::string, fxmlir::PyValue>> &kwargs);

/// Literal trees <-> Python values. `literalToPyValue` takes operand markers from `operands`
/// (advancing `next`) and throws fxmlir::OpError on what it cannot represent;
/// `pyValueToLiteral` returns null for tensors and other values without a literal form.
fxmlir::PyValue literalToPyValue(Attribute literal, ArrayRef<fxmlir::PyValue> operands,
                                 unsigned &next);
Attribute pyValueToLiteral(MLIRContext *context, const fxmlir::PyValue &value);

/// A submodule's hyper-parameters bound to its type's constructor signature (defaults filled in);
/// throws fxmlir::OpError naming an unknown or missing one.
fxmlir::BoundArgs bindHyperparameters(SubmoduleOp module, const fxmlir::ModuleInfo &info);

/// The fx dialect type of a runtime value: tensor<...> for tensors, !fx.int for ints, ...
Type typeOfPyValue(MLIRContext *context, const fxmlir::PyValue &value);
/// The MLIR element type of a dtype.
Type elementTypeOf(MLIRContext *context, fxmlir::DType dtype);
/// A tensor's values as a dense_resource attribute (blob named `key`).
ElementsAttr tensorToElementsAttr(MLIRContext *context, const fxmlir::Tensor &tensor,
                                  StringRef key);

/// The values of a parameter, buffer or constant declaration (dense or dense_resource).
FailureOr<fxmlir::Tensor> tensorFromDeclaration(Operation *decl);

/// Maps a tensor element type to a torch dtype; false for types the interpreter lacks.
bool dtypeFromElementType(Type type, fxmlir::DType &dtype);

/// Tensors of a (nested) result in pytree order, as torch.fx flattens outputs; Python numbers
/// become 0-d tensors, None and strings are skipped.
std::vector<fxmlir::Tensor> flattenTensors(const fxmlir::PyValue &value);

} // namespace mlir::fx

#endif
