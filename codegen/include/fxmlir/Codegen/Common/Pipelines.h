//===- Pipelines.h - From fx graphs to LLVM, for every target ----*- C++ -*-===//
//
// The two lowering pipelines (fx-lower-to-cpu, fx-lower-to-cuda) and the stages they share,
// built from pass constructors and typed options: a misspelt pass or option is a compile
// error, not a pipeline that fails to parse at run time. Each pipeline prints itself in the
// textual form (`OpPassManager::printAsTextualPipeline`; fx-compile --print-pipeline).
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_CODEGEN_COMMON_PIPELINES_H
#define FXMLIR_CODEGEN_COMMON_PIPELINES_H

#include "fxmlir/Codegen/GPU/Passes.h"

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

// Stages both pipelines share (codegen/lib/Common/Stages.cpp), each appended to a pass
// manager on builtin.module.
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
/// Bufferized host code (linalg, vectors) to the LLVM dialect: the CPU back end, also what the
/// GPU's host emulation runs.
void addHostStage(OpPassManager &pm);

/// fx graphs to the LLVM dialect for the host CPU (codegen/lib/CPU/Pipeline.cpp).
void buildLowerToCpuPipeline(OpPassManager &pm, const LowerToCpuOptions &options);
/// fx graphs to kernels for NVIDIA GPUs and host code calling the project's CUDA runtime, or
/// with `emulate-on-host` the kernels as host loops (codegen/lib/GPU/Pipeline.cpp).
void buildLowerToCudaPipeline(OpPassManager &pm, const LowerToCudaOptions &options);

/// Registers `fx-lower-to-cpu` and `fx-lower-to-cuda` for textual pipelines (fx-opt).
void registerFxPipelines();

} // namespace mlir::fx

#endif
