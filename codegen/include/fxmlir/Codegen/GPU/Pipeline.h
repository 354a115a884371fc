//===- Pipeline.h - fx-lower-to-cuda -----------------------------*- C++ -*-===//
//
// fx graphs to kernels for NVIDIA GPUs (an embedded fatbin) and host code calling the
// project's CUDA runtime; or, with `emulate-on-host`, the same kernels as host loops through
// the CPU's host stage.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_CODEGEN_GPU_PIPELINE_H
#define FXMLIR_CODEGEN_GPU_PIPELINE_H

#include "fxmlir/Codegen/GPU/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir::fx {

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

/// Appends fx-lower-to-cuda to `pm` (on builtin.module).
void buildLowerToCudaPipeline(OpPassManager &pm, const LowerToCudaOptions &options);

/// Registers `fx-lower-to-cuda` for textual pipelines (fx-opt).
void registerLowerToCudaPipeline();

} // namespace mlir::fx

#endif
