//===- Passes.h - torch.fx's graph passes -----------------------*- C++ -*-===//
#ifndef FXMLIR_TRANSFORMS_PASSES_H
#define FXMLIR_TRANSFORMS_PASSES_H

#include "fxmlir/Dialect/FX/FXOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::fx {

#define GEN_PASS_DECL
#include "fxmlir/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "fxmlir/Transforms/Passes.h.inc"

} // namespace mlir::fx

#endif
