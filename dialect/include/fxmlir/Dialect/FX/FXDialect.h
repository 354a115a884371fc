//===- FXDialect.h - The fx dialect -----------------------------*- C++ -*-===//
#ifndef FXMLIR_DIALECT_FX_FXDIALECT_H
#define FXMLIR_DIALECT_FX_FXDIALECT_H

#include "mlir/IR/Dialect.h"

#include "fxmlir/Dialect/FX/FXOpsDialect.h.inc"

#endif
