//===- Pipelines.h - Pipeline stages every target shares ---------*- C++ -*-===//
//
// The lowering pipelines (fx-lower-to-cpu in CPU/Pipeline.h, fx-lower-to-cuda in
// GPU/Pipeline.h) are built from pass constructors and typed options: a misspelt pass or
// option is a compile error, not a pipeline that fails to parse at run time. Each prints
// itself in the textual form (`OpPassManager::printAsTextualPipeline`; fx-compile
// --print-pipeline). These are the stages both share.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_CODEGEN_COMMON_PIPELINES_H
#define FXMLIR_CODEGEN_COMMON_PIPELINES_H

#include "mlir/Pass/PassManager.h"

namespace mlir::fx {

// Each appends to a pass manager on builtin.module (codegen/lib/Common/Stages.cpp).
/// The torch.fx level (module calls become function calls, every node gets a static type),
/// then fx-to-linalg.
void addGraphStage(OpPassManager &pm, bool weightsAsInputs);
/// Elementwise fusion on tensors.
void addFusionStage(OpPassManager &pm);
/// Tensors to buffers; results become out-parameters written in place.
void addBufferizationStage(OpPassManager &pm);
/// Memrefs, arithmetic and functions to the LLVM dialect; statically shaped memrefs cross
/// function boundaries as bare pointers (the C ABI).
void addHostLLVMStage(OpPassManager &pm);

} // namespace mlir::fx

#endif
