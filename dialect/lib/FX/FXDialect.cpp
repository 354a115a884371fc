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
