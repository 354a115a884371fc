//===- FXDialect.cpp - The fx dialect -------------------------------------===//
#include "fxmlir/Dialect/FX/FXDialect.h"
#include "fxmlir/Dialect/FX/FXOps.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::fx;

#include "fxmlir/Dialect/FX/FXOpsDialect.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "fxmlir/Dialect/FX/FXOpsTypes.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "fxmlir/Dialect/FX/FXOpsAttrs.cpp.inc"

void FXDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "fxmlir/Dialect/FX/FXOps.cpp.inc"
      >();
  addTypes<
#define GET_TYPEDEF_LIST
#include "fxmlir/Dialect/FX/FXOpsTypes.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "fxmlir/Dialect/FX/FXOpsAttrs.cpp.inc"
      >();
}

/// `fx.body` and `fx.body_error` belong to calls of wrapped functions (FXOps.h); whether the
/// body exists is checked with the node's other symbol uses (CallFunctionOp::verifySymbolUses).
LogicalResult FXDialect::verifyOperationAttribute(Operation *op, NamedAttribute attribute) {
  StringRef name = attribute.getName().getValue();
  if (name != kFunctionBodyAttrName && name != kFunctionBodyErrorAttrName)
    return success();
  if (!isa<CallFunctionOp>(op))
    return op->emitError("'") << name << "' belongs on fx.call_function nodes only";
  if (name == kFunctionBodyAttrName && !isa<FlatSymbolRefAttr>(attribute.getValue()))
    return op->emitError("'") << name << "' must name an fx.graph (@symbol), got "
                              << attribute.getValue();
  if (name == kFunctionBodyErrorAttrName && !isa<StringAttr>(attribute.getValue()))
    return op->emitError("'") << name << "' must be a string, got " << attribute.getValue();
  if (op->hasAttr(kFunctionBodyAttrName) && op->hasAttr(kFunctionBodyErrorAttrName))
    return op->emitError("a call has a recorded body ('")
           << kFunctionBodyAttrName << "') or the reason it has none ('"
           << kFunctionBodyErrorAttrName << "'), not both";
  return success();
}
