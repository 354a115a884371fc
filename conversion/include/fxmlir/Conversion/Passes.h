//===- Passes.h - fx-to-linalg ----------------------------------*- C++ -*-===//
#ifndef FXMLIR_CONVERSION_PASSES_H
#define FXMLIR_CONVERSION_PASSES_H

#include "fxmlir/Dialect/FX/FXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::fx {

#define GEN_PASS_DECL
#include "fxmlir/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "fxmlir/Conversion/Passes.h.inc"

} // namespace mlir::fx

#endif
