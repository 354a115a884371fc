//===- Interpreter.h - Run fx graphs with reference kernels -----*- C++ -*-===//
//
// torch.fx's Interpreter: executes a graph node by node on host tensors, with the registry's
// reference kernels (ops/). It is the oracle every lowering is checked against.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_INTERPRETER_INTERPRETER_H
#define FXMLIR_INTERPRETER_INTERPRETER_H

#include "fxmlir/Dialect/FX/FXOps.h"
#include "fxmlir/Runtime/PyValue.h"

namespace mlir::fx {

/// Runs the `forward` graph of `module` on `inputs` (one per placeholder; placeholders with a
/// default may be left out). On failure, emits a diagnostic at the failing node ("while
/// executing %name ...") and returns failure.
FailureOr<fxmlir::PyValue> interpretGraphModule(GraphModuleOp module,
                                                ArrayRef<fxmlir::PyValue> inputs);

/// The values of a parameter, buffer or constant declaration (dense or dense_resource).
FailureOr<fxmlir::Tensor> tensorFromDeclaration(Operation *decl);

/// Maps a tensor element type to a torch dtype; false for types the interpreter lacks.
bool dtypeFromElementType(Type type, fxmlir::DType &dtype);

/// Tensors of a (nested) result in pytree order, as torch.fx flattens outputs; Python numbers
/// become 0-d tensors, None and strings are skipped.
std::vector<fxmlir::Tensor> flattenTensors(const fxmlir::PyValue &value);

} // namespace mlir::fx

#endif
