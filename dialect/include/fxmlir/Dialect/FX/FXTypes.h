//===- FXTypes.h - Types of the fx dialect ----------------------*- C++ -*-===//
#ifndef FXMLIR_DIALECT_FX_FXTYPES_H
#define FXMLIR_DIALECT_FX_FXTYPES_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"

#define GET_TYPEDEF_CLASSES
#include "fxmlir/Dialect/FX/FXOpsTypes.h.inc"

#endif
