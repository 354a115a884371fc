//===- FXAttrs.h - Literal attributes of the fx dialect ---------*- C++ -*-===//
#ifndef FXMLIR_DIALECT_FX_FXATTRS_H
#define FXMLIR_DIALECT_FX_FXATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"

#define GET_ATTRDEF_CLASSES
#include "fxmlir/Dialect/FX/FXOpsAttrs.h.inc"

namespace mlir::fx {
/// True if `attr` is a well-formed literal argument: an int, float, bool, str, None, Ellipsis,
/// dtype, device, qualified name, operand marker, or a slice/tuple/list/dict of literals.
/// On failure, `why` (if given) receives a description of the offending element.
bool isLiteral(Attribute attr, std::string *why = nullptr);

/// True for a torch dtype name without the `torch.` prefix (`float32`, `int64`, ...).
bool isKnownDType(StringRef name);

/// Number of operand markers in a literal tree.
unsigned countOperandRefs(Attribute attr);
} // namespace mlir::fx

#endif
