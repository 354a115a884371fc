//===- Passes.h - codegen passes every target runs --------------*- C++ -*-===//
#ifndef FXMLIR_CODEGEN_COMMON_PASSES_H
#define FXMLIR_CODEGEN_COMMON_PASSES_H

#include "fxmlir/Dialect/FX/FXOps.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Pass/Pass.h"

namespace mlir::fx {

#define GEN_PASS_DECL
#include "fxmlir/Codegen/Common/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "fxmlir/Codegen/Common/Passes.h.inc"

} // namespace mlir::fx

#endif
