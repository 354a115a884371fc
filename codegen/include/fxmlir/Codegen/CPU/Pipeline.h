//===- Pipeline.h - fx-lower-to-cpu ------------------------------*- C++ -*-===//
//
// fx graphs to the LLVM dialect for the host CPU: the graph stage, tiled and vectorized
// contractions, fusion, bufferization, then the host stage (loops, vectors, LLVM) that the
// GPU's host emulation reuses.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_CODEGEN_CPU_PIPELINE_H
#define FXMLIR_CODEGEN_CPU_PIPELINE_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::fx {

struct LowerToCpuOptions : public PassPipelineOptions<LowerToCpuOptions> {
  Option<bool> weightsAsInputs{*this, "weights-as-inputs",
                               llvm::cl::desc("parameters and buffers as inputs, not constants"),
                               llvm::cl::init(false)};
  Option<bool> vectorize{*this, "vectorize",
                         llvm::cl::desc("tile and vectorize matmuls and convolutions"),
                         llvm::cl::init(true)};
};

/// Bufferized host code (linalg, vectors) to the LLVM dialect: the CPU back end, also what the
/// GPU's host emulation runs.
void addHostStage(OpPassManager &pm);

/// Appends fx-lower-to-cpu to `pm` (on builtin.module).
void buildLowerToCpuPipeline(OpPassManager &pm, const LowerToCpuOptions &options);

/// Registers `fx-lower-to-cpu` for textual pipelines (fx-opt).
void registerLowerToCpuPipeline();

} // namespace mlir::fx

#endif
