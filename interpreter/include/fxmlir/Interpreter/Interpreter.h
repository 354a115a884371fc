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

} // namespace mlir::fx

#endif
