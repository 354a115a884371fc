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
} // namespace mlir::fx

#endif
