//===- FXOps.h - Ops of the fx dialect --------------------------*- C++ -*-===//
#ifndef FXMLIR_DIALECT_FX_FXOPS_H
#define FXMLIR_DIALECT_FX_FXOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "fxmlir/Dialect/FX/FXAttrs.h"
#include "fxmlir/Dialect/FX/FXDialect.h"
#include "fxmlir/Dialect/FX/FXTypes.h"
#include "fxmlir/Dialect/FX/NodeArgs.h"

#include "fxmlir/Dialect/FX/FXInterfaces.h.inc"

#define GET_OP_CLASSES
#include "fxmlir/Dialect/FX/FXOps.h.inc"

namespace mlir::fx {
/// Resolves a torch.fx qualified name (`layer1.0.conv1.weight`) through the nested symbol
/// tables of `owner` (a graph_module or submodule). Returns null if any atom is missing, and
/// then sets `missing` to "<atom> of <resolved prefix>" as torch.fx's lint words it.
Operation *lookupQualifiedName(Operation *owner, StringRef qualifiedName,
                               std::string *missing = nullptr);

/// The graph's placeholders, in order.
SmallVector<PlaceholderOp> getPlaceholders(GraphOp graph);

/// On a call_function of a `torch.fx.wrap`ped function: the symbol of the fx.graph recording
/// its body (its placeholders take the node's operands in order), or the reason the importer
/// could not record one.
inline constexpr llvm::StringLiteral kFunctionBodyAttrName = "fx.body";
inline constexpr llvm::StringLiteral kFunctionBodyErrorAttrName = "fx.body_error";

/// Whether `op` is a call_function of a wrapped function with a recorded body or the reason it
/// has none: what the interpreter runs as a body and fx-inline-functions inlines.
bool callsFunctionBody(Operation *op);

/// How deep bodies may call bodies (the interpreter's and fx-inline-functions' limit): deeper,
/// they call each other. The verifier rejects a body that calls itself directly.
inline constexpr unsigned kMaxFunctionBodyDepth = 64;

/// The recorded body that `call` names in `fx.body`, looked up in the symbol tables around the
/// node out to its graph module; null if it names none.
GraphOp getFunctionBody(CallFunctionOp call);

/// For a call whose body the importer could not record (`fx.body_error`): "the body of wrapped
/// function <target> could not be recorded: <reason>"; otherwise "".
std::string getUnrecordedBodyMessage(CallFunctionOp call);
} // namespace mlir::fx

#endif
