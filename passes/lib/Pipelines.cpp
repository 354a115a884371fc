//===- Pipelines.cpp - fx-lower-to-cpu ------------------------------------===//
#include "fxmlir/Passes/Pipelines.h"
#include "fxmlir/Passes/Passes.h"

#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassRegistry.h"

#include <mutex>

using namespace mlir;

// Stages both targets share.
/// torch.fx level (module calls become function calls, every node gets a static type), then
/// fx-to-linalg.
static std::string graphStage(bool weightsAsInputs) {
  return std::string("fx.graph_module(fx-decompose-modules, fx-shape-prop, fx.graph(fx-dce)),") +
         (weightsAsInputs ? "fx-to-linalg{weights-as-inputs=true}," : "fx-to-linalg,") +
         "canonicalize,";
}
static const char *const kFusionStage = "linalg-fuse-elementwise-ops, canonicalize, cse,";
static const char *const kBufferizationStage =
    // Tensors to buffers; results become out-parameters written in place.
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params{hoist-static-allocs modify-public-functions},"
    "buffer-deallocation-pipeline,";
static const char *const kHostLLVMStage =
    // Statically shaped memrefs cross function boundaries as bare pointers (the C ABI).
    "expand-strided-metadata, lower-affine, convert-vector-to-llvm, finalize-memref-to-llvm,"
    "convert-math-to-llvm, convert-math-to-libm, convert-arith-to-llvm,"
    "convert-func-to-llvm{use-bare-ptr-memref-call-conv},";
/// Bufferized host code to the LLVM dialect (the CPU back end).
static const std::string kHostStage =
    std::string("func.func(fx-copies-to-linalg, fx-lower-vectors), canonicalize,"
                "convert-vector-to-scf, convert-linalg-to-loops, lower-affine, "
                "convert-scf-to-cf, canonicalize,") +
    kHostLLVMStage + "convert-cf-to-llvm, convert-ub-to-llvm, reconcile-unrealized-casts)";

std::string mlir::fx::cpuPipeline(const LowerToCpuOptions &options) {
  std::string p = "builtin.module(";
  p += graphStage(options.weightsAsInputs);
  // Contractions: tiled for cache and registers and vectorized, still on tensors. Before
  // elementwise fusion, whose reshape propagation would turn matmuls into generic
  // contractions with split dimensions.
  if (options.vectorize)
    p += "func.func(fx-tile-and-vectorize), canonicalize,";
  p += kFusionStage;
  p += kBufferizationStage;
  p += kHostStage;
  return p;
}

std::string mlir::fx::defaultCudaToolkit() {
#ifdef FX_CUDA_TOOLKIT_DIR
  return FX_CUDA_TOOLKIT_DIR;
#else
  return "";
#endif
}

std::string mlir::fx::cudaPipeline(const LowerToCudaOptions &options) {
  std::string p = "builtin.module(";
  p += graphStage(options.weightsAsInputs);
  p += kFusionStage;
  p += kBufferizationStage;
  // Device buffers; every copy runs as a kernel; a host-buffer entry around the graph.
  p += "func.func(fx-copies-to-linalg{all=true}), fx-buffers-to-gpu,";
  // Each linalg op: a kernel with a thread per output element.
  p += "func.func(fx-linalg-to-gpu{target-threads=" + std::to_string(options.targetThreads) +
       "}), canonicalize, cse,";
  if (options.emulate)
    return p + "fx-emulate-gpu-on-host, canonicalize," + kHostStage;
  // Constants go into the kernels: as kernel parameters, every index division would be a real
  // (64-bit) division instead of a multiply by a constant.
  p += "gpu-launch-sink-index-computations, gpu-kernel-outlining, func.func(gpu-async-region),";
  p += "nvvm-attach-target{chip=" + options.chip + " features=" + options.features + " O=3},";
  p += "gpu.module(lower-affine, convert-scf-to-cf,"
       "convert-gpu-to-nvvm{use-bare-ptr-memref-call-conv}, canonicalize,"
       "reconcile-unrealized-casts),";
  p += "gpu-module-to-binary{format=" + options.format +
       (options.toolkit.empty() ? std::string() : " toolkit=" + options.toolkit) + "},";
  // The host side: as on the CPU, with launches through the runtime's mgpu* functions.
  p += "lower-affine, convert-scf-to-cf,";
  p += kHostLLVMStage;
  p += "gpu-to-llvm{use-bare-pointers-for-host use-bare-pointers-for-kernels},"
       "convert-cf-to-llvm, convert-ub-to-llvm, reconcile-unrealized-casts,"
       "fx-define-device-constants)";
  return p;
}

static void registerUpstreamPasses() {
  static std::once_flag once;
  std::call_once(once, [] { registerAllPasses(); });
}

/// Parses a pipeline built by cpuPipeline/cudaPipeline into `pm` (which is the textual
/// form's outer builtin.module()).
static LogicalResult parseInto(OpPassManager &pm, const std::string &pipeline) {
  registerUpstreamPasses();
  mlir::fx::registerFxMLIRPasses();
  StringRef inner = StringRef(pipeline).drop_front(strlen("builtin.module(")).drop_back();
  return parsePassPipeline(inner, pm, llvm::errs());
}

LogicalResult mlir::fx::buildLowerToCpuPipeline(OpPassManager &pm,
                                                const LowerToCpuOptions &options) {
  return parseInto(pm, cpuPipeline(options));
}

LogicalResult mlir::fx::buildLowerToCudaPipeline(OpPassManager &pm,
                                                 const LowerToCudaOptions &options) {
  return parseInto(pm, cudaPipeline(options));
}

void mlir::fx::registerFxPipelines() {
  registerUpstreamPasses();
  PassPipelineRegistration<LowerToCpuOptions>(
      "fx-lower-to-cpu",
      "Lower fx graph modules to the LLVM dialect for the host CPU (fx-to-linalg, fusion, "
      "bufferization, loops, LLVM; bare-pointer C ABI)",
      [](OpPassManager &pm, const LowerToCpuOptions &options) {
        if (failed(buildLowerToCpuPipeline(pm, options)))
          llvm::report_fatal_error("fx-lower-to-cpu: invalid pipeline");
      });
  PassPipelineRegistration<LowerToCudaOptions>(
      "fx-lower-to-cuda",
      "Lower fx graph modules for NVIDIA GPUs: kernels as an embedded fatbin (sm_90 cubin + "
      "PTX), host code in the LLVM dialect calling the project's CUDA runtime (mgpu*)",
      [](OpPassManager &pm, const LowerToCudaOptions &options) {
        if (failed(buildLowerToCudaPipeline(pm, options)))
          llvm::report_fatal_error("fx-lower-to-cuda: invalid pipeline");
      });
}
