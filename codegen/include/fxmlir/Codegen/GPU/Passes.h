//===- Passes.h - NVIDIA GPU codegen passes ---------------------*- C++ -*-===//
#ifndef FXMLIR_CODEGEN_GPU_PASSES_H
#define FXMLIR_CODEGEN_GPU_PASSES_H

#include "fxmlir/Dialect/FX/FXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/Pass.h"

namespace mlir::fx {

/// How many threads fx-linalg-to-gpu aims a reduction kernel at, by default: about what an
/// H100 holds at once (132 SMs x 2048 threads is 270336), within a factor of two.
constexpr int64_t kGpuTargetThreads = 131072;

#define GEN_PASS_DECL
#include "fxmlir/Codegen/GPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "fxmlir/Codegen/GPU/Passes.h.inc"

} // namespace mlir::fx

#endif
