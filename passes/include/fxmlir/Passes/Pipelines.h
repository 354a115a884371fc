//===- Pipelines.h - From fx graphs to LLVM ------------------------*- C++ -*-===//
#ifndef FXMLIR_PASSES_PIPELINES_H
#define FXMLIR_PASSES_PIPELINES_H

#include "fxmlir/Passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir::fx {

struct LowerToCpuOptions : public PassPipelineOptions<LowerToCpuOptions> {
  Option<bool> weightsAsInputs{*this, "weights-as-inputs",
                               llvm::cl::desc("parameters and buffers as inputs, not constants"),
                               llvm::cl::init(false)};
  Option<bool> vectorize{*this, "vectorize",
                         llvm::cl::desc("tile and vectorize matmuls and convolutions"),
                         llvm::cl::init(true)};
};

/// The CUDA toolkit the build found (empty: ptxas from $PATH).
std::string defaultCudaToolkit();

struct LowerToCudaOptions : public PassPipelineOptions<LowerToCudaOptions> {
  Option<bool> weightsAsInputs{*this, "weights-as-inputs",
                               llvm::cl::desc("parameters and buffers as inputs, not constants"),
                               llvm::cl::init(false)};
  Option<std::string> chip{*this, "chip", llvm::cl::desc("GPU architecture"),
                           llvm::cl::init("sm_90")};
  Option<std::string> features{*this, "features", llvm::cl::desc("PTX features"),
                               llvm::cl::init("+ptx80")};
  Option<std::string> toolkit{*this, "toolkit",
                              llvm::cl::desc("CUDA toolkit (ptxas, fatbinary, libdevice)"),
                              llvm::cl::init(defaultCudaToolkit())};
  Option<std::string> format{*this, "format",
                             llvm::cl::desc("kernel binary: fatbin (cubin + PTX), bin (cubin), "
                                            "isa (PTX)"),
                             llvm::cl::init("fatbin")};
  Option<int64_t> targetThreads{
      *this, "target-threads",
      llvm::cl::desc("threads a reduction kernel aims for (fx-linalg-to-gpu): fewer points split "
                     "their reductions, many more take several points a thread"),
      llvm::cl::init(kGpuTargetThreads)};
  Option<bool> emulate{*this, "emulate-on-host",
                       llvm::cl::desc("run the kernels as host loops (checks the GPU mapping on "
                                      "the CPU; needs neither a GPU nor the CUDA toolkit)"),
                       llvm::cl::init(false)};
};

/// The CUDA pipeline as a textual pass pipeline on builtin.module.
std::string cudaPipeline(const LowerToCudaOptions &options);
LogicalResult buildLowerToCudaPipeline(OpPassManager &pm, const LowerToCudaOptions &options);

/// The stages of the CPU pipeline, each a textual pass pipeline on builtin.module, in order:
/// fx graph passes, fx-to-linalg, fusion, (tiling and vectorization), bufferization, loops,
/// LLVM. fx-run and fx-compile print them with --print-pipeline.
std::string cpuPipeline(const LowerToCpuOptions &options);

/// Appends the CPU pipeline to `pm` (a pass manager on builtin.module).
LogicalResult buildLowerToCpuPipeline(OpPassManager &pm, const LowerToCpuOptions &options);

/// Registers `fx-lower-to-cpu` and `fx-lower-to-cuda` (and the upstream passes they name).
void registerFxPipelines();

} // namespace mlir::fx

#endif
