//===- Pipelines.h - From fx graphs to LLVM ------------------------*- C++ -*-===//
#ifndef FXMLIR_PASSES_PIPELINES_H
#define FXMLIR_PASSES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir::fx {

struct LowerToCpuOptions : public PassPipelineOptions<LowerToCpuOptions> {
  Option<bool> vectorize{*this, "vectorize",
                         llvm::cl::desc("tile and vectorize matmuls and convolutions"),
                         llvm::cl::init(true)};
};

/// The stages of the CPU pipeline, each a textual pass pipeline on builtin.module, in order:
/// fx graph passes, fx-to-linalg, fusion, (tiling and vectorization), bufferization, loops,
/// LLVM. fx-run and fx-compile print them with --print-pipeline.
std::string cpuPipeline(const LowerToCpuOptions &options);

/// Appends the CPU pipeline to `pm` (a pass manager on builtin.module).
LogicalResult buildLowerToCpuPipeline(OpPassManager &pm, const LowerToCpuOptions &options);

/// Registers `fx-lower-to-cpu` (and the upstream passes it names).
void registerFxPipelines();

} // namespace mlir::fx

#endif
