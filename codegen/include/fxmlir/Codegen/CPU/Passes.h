//===- Passes.h - CPU codegen passes ----------------------------*- C++ -*-===//
#ifndef FXMLIR_CODEGEN_CPU_PASSES_H
#define FXMLIR_CODEGEN_CPU_PASSES_H

#include "fxmlir/Dialect/FX/FXOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::fx {

#define GEN_PASS_DECL
#include "fxmlir/Codegen/CPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "fxmlir/Codegen/CPU/Passes.h.inc"

} // namespace mlir::fx

#endif
